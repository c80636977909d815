import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { randomToken } from '../../crypto.js'
import { AppError } from '../../errors.js'
import {
  Me,
  Ok,
  PasswordLoginBody,
  RefreshBody,
  SmsLoginBody,
  SmsSendBody,
  SmsSendReply,
  SwitchRoleBody,
  TextLine,
  TokenReply,
  WechatMiniBody,
  ROLES,
} from '@cc/shared'
import { REFRESH_COOKIE, type AuthService } from './auth.service.js'

const PUBLIC = { public: true } as const
const ANY_ROLE = { roles: ROLES, scope: { kind: 'none' } } as const
const STATE_COOKIE = 'cc_wx_state'
/**
 * Login and code endpoints are anonymous, so these count per IP — only a coarse guard, since a carrier NAT puts
 * many residents behind one address. The real limits are per phone, in PostgreSQL, in the service (one code a
 * minute, ten a day, five tries per code).
 */
const LOGIN_LIMIT = { max: 30, timeWindow: '1 minute' }
const SMS_LIMIT = { max: 30, timeWindow: '1 minute' }
/** Staff passwords have no per-account limit: keep guessing slow. */
const PASSWORD_LIMIT = { max: 10, timeWindow: '1 minute' }

const clientOf = (req: { headers: Record<string, unknown> }, bodyClient?: 'h5' | 'miniprogram') =>
  bodyClient ?? (req.headers['x-client'] === 'miniprogram' ? 'miniprogram' : 'h5')

export const authRoutes =
  (svc: AuthService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/sms/send', {
      config: { access: PUBLIC, rateLimit: SMS_LIMIT },
      schema: { tags: ['auth'], summary: '发送登录验证码', body: SmsSendBody, response: { 200: SmsSendReply } },
      handler: (req) => svc.sendSmsCode(req.body.phone),
    })

    app.post('/login/sms', {
      config: { access: PUBLIC, rateLimit: LOGIN_LIMIT },
      schema: { tags: ['auth'], summary: '居民手机号验证码登录', body: SmsLoginBody, response: { 200: TokenReply } },
      handler: (req, reply) => svc.loginWithSms(req, reply, req.body.phone, req.body.code, clientOf(req, req.body.client)),
    })

    app.post('/login/password', {
      config: { access: PUBLIC, rateLimit: PASSWORD_LIMIT },
      schema: { tags: ['auth'], summary: '工作人员账号密码登录', body: PasswordLoginBody, response: { 200: TokenReply } },
      handler: (req, reply) => svc.loginWithPassword(req, reply, req.body.username, req.body.password, clientOf(req, req.body.client)),
    })

    app.post('/login/wechat-mini', {
      config: { access: PUBLIC, rateLimit: LOGIN_LIMIT },
      schema: { tags: ['auth'], summary: '小程序 wx.login 登录', body: WechatMiniBody, response: { 200: TokenReply } },
      handler: (req, reply) => svc.loginWithWechatMini(req, reply, req.body.code),
    })

    // The login page asks before offering 微信一键登录: without an appid the OAuth redirect is a dead end.
    const wx = app.config.wechat
    app.get('/options', {
      config: { access: PUBLIC },
      schema: {
        tags: ['auth'],
        summary: '可用的登录方式',
        response: { 200: Type.Object({ wechatOauth: Type.Boolean(), wechatMini: Type.Boolean() }) },
      },
      handler: async () => ({ wechatOauth: !!(wx.appId && wx.secret), wechatMini: !!(wx.mpAppId && wx.mpSecret) }),
    })

    app.get('/wechat/authorize', {
      config: { access: PUBLIC, rateLimit: LOGIN_LIMIT },
      schema: { tags: ['auth'], summary: '跳转微信网页授权', response: { 302: Type.Null() } },
      handler: async (req, reply) => {
        if (!wx.appId || !wx.secret) return reply.redirect('/#/login?wx=off', 302)
        const state = randomToken(16)
        reply.setCookie(STATE_COOKIE, state, { httpOnly: true, sameSite: 'lax', path: '/api/v1/auth/wechat', maxAge: 600 })
        const callback = `${app.config.publicBaseUrl}/api/v1/auth/wechat/callback`
        return reply.redirect(svc.authorizeUrl(callback, state), 302)
      },
    })

    app.get('/wechat/callback', {
      config: { access: PUBLIC, rateLimit: LOGIN_LIMIT },
      schema: {
        tags: ['auth'],
        summary: '微信网页授权回调',
        querystring: Type.Object({ code: Type.Optional(TextLine({ maxLength: 128 })), state: TextLine({ maxLength: 64 }) }),
        response: { 302: Type.Null() },
      },
      handler: async (req, reply) => {
        const expected = req.cookies[STATE_COOKIE]
        reply.clearCookie(STATE_COOKIE, { path: '/api/v1/auth/wechat' })
        if (!expected || expected !== req.query.state) throw new AppError('WECHAT_FAILED', '授权状态已失效，请重新进入')
        if (!req.query.code) return reply.redirect('/#/login?wx=denied', 302)
        await svc.loginWithWechatOauth(req, reply, req.query.code)
        // The refresh cookie is set; the H5 exchanges it for an access token on load.
        return reply.redirect('/#/?wx=1', 302)
      },
    })

    app.post('/refresh', {
      config: { access: PUBLIC, rateLimit: { max: 300, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: '刷新访问令牌（轮换刷新令牌）', body: Type.Optional(RefreshBody), response: { 200: TokenReply } },
      handler: (req, reply) => {
        const token = req.body?.refreshToken ?? req.cookies[REFRESH_COOKIE]
        return svc.refresh(req, reply, token, req.body?.refreshToken ? 'miniprogram' : 'h5')
      },
    })

    app.post('/switch-role', {
      config: { access: ANY_ROLE },
      schema: { tags: ['auth'], summary: '切换身份', body: Type.Intersect([SwitchRoleBody, Type.Optional(RefreshBody)]), response: { 200: TokenReply } },
      handler: async (req, reply) => {
        const me = await svc.me(req.auth!.userId, req.auth!.grantId)
        if (!me.grants.some((g) => g.id === req.body.grantId)) throw new AppError('FORBIDDEN', '您没有这个身份')
        const token = req.body.refreshToken ?? req.cookies[REFRESH_COOKIE]
        return svc.refresh(req, reply, token, req.body.refreshToken ? 'miniprogram' : 'h5', req.body.grantId)
      },
    })

    app.post('/logout', {
      config: { access: PUBLIC },
      schema: { tags: ['auth'], summary: '退出登录', body: Type.Optional(RefreshBody), response: { 200: Ok } },
      handler: async (req, reply) => {
        await svc.logout(req, reply, req.body?.refreshToken ?? req.cookies[REFRESH_COOKIE])
        return { ok: true }
      },
    })

    app.get('/me', {
      config: { access: ANY_ROLE },
      schema: { tags: ['auth'], summary: '当前用户', response: { 200: Me } },
      handler: (req) => svc.me(req.auth!.userId, req.auth!.grantId),
    })
  }
