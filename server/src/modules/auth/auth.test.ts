import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, residentLogin, someIp, type TestApp } from '../../../../test/helper.js'
import { startFakeWechat, type FakeWechat } from '../../../../test/fakes/wechat.js'
import { startFakeAliyunSms } from '../../../../test/fakes/sms.js'
import { AliyunSmsProvider } from './sms.js'

let app: TestApp
let wx: FakeWechat

beforeAll(async () => {
  wx = await startFakeWechat()
  app = await createTestApp({}, {
    WECHAT_BASE_URL: wx.baseUrl,
    WECHAT_APPID: 'wx-test-app',
    WECHAT_SECRET: 'wx-test-secret',
    WECHAT_MINI_APPID: 'wx-mini',
    WECHAT_MINI_SECRET: 'wx-mini-secret',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
  })
})
afterAll(async () => {
  await app.close2()
  await wx.close()
})

const post = (url: string, payload?: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url, payload, headers, remoteAddress: someIp() })

describe('auth', () => {
  describe('POST /api/v1/auth/sms/send', () => {
    it('refuses a malformed phone number with a Chinese message', async () => {
      const r = await post('/api/v1/auth/sms/send', { phone: '12345' })
      expect(r.statusCode).toBe(400)
      expect(r.headers['content-type']).toContain('application/problem+json')
      expect(r.json().detail).toBe('手机号格式不正确')
    })

    it('refuses a second code for the same phone within 60 seconds', async () => {
      expect((await post('/api/v1/auth/sms/send', { phone: '13900000011' })).statusCode).toBe(200)
      const again = await post('/api/v1/auth/sms/send', { phone: '13900000011' })
      expect(again.statusCode).toBe(429)
      expect(again.json().detail).toMatch(/秒后再获取验证码/)
    })

    it('stores only a hash of the code and of the phone', async () => {
      await post('/api/v1/auth/sms/send', { phone: '13900000012' })
      const code = app.sms.sent.at(-1)!.code
      const rows = await app.pool.query('SELECT phone_hash, code_hash FROM sms_codes')
      const dump = JSON.stringify(rows.rows)
      expect(dump).not.toContain('13900000012')
      expect(dump).not.toContain(code)
    })
  })

  describe('POST /api/v1/auth/login/sms', () => {
    it('logs a resident in, creates the account with an encrypted phone, and masks it in /me', async () => {
      const r = await residentLogin(app, '13900000021')
      const me = await app.inject({ url: '/api/v1/auth/me', headers: r.headers })
      expect(me.json()).toMatchObject({ role: 'resident', phoneMasked: '139****0021' })
      const row = await app.pool.query('SELECT phone_enc::text AS enc FROM users WHERE id = $1', [r.userId])
      expect(row.rows[0].enc).not.toContain('13900000021')
    })

    it('refuses a wrong code and locks the code after 5 wrong attempts', async () => {
      await post('/api/v1/auth/sms/send', { phone: '13900000022' })
      const good = app.sms.sent.at(-1)!.code
      const bad = good === '000000' ? '111111' : '000000'
      for (let i = 0; i < 5; i++) expect((await post('/api/v1/auth/login/sms', { phone: '13900000022', code: bad })).statusCode).toBe(401)
      const r = await post('/api/v1/auth/login/sms', { phone: '13900000022', code: good })
      expect(r.statusCode).toBe(401)
      expect(r.json().title).toBe('验证码错误或已过期')
    })

    it('accepts a code only once', async () => {
      await post('/api/v1/auth/sms/send', { phone: '13900000023' })
      const code = app.sms.sent.at(-1)!.code
      expect((await post('/api/v1/auth/login/sms', { phone: '13900000023', code })).statusCode).toBe(200)
      expect((await post('/api/v1/auth/login/sms', { phone: '13900000023', code })).statusCode).toBe(401)
    })
  })

  describe('POST /api/v1/auth/login/password', () => {
    it('logs the district admin in with the demo password', async () => {
      const r = await post('/api/v1/auth/login/password', { username: 'admin', password: 'cc123456' })
      expect(r.statusCode).toBe(200)
      expect(r.json().me).toMatchObject({ role: 'district_admin', orgName: '崇川区' })
      expect(r.json().refreshToken).toBeUndefined()
      const cookie = r.cookies.find((c) => c.name === 'cc_rt')!
      expect(cookie.httpOnly).toBe(true)
      expect(cookie.sameSite).toBe('Strict')
    })

    it('gives the same answer for an unknown user and a wrong password, and audits both', async () => {
      const a = await post('/api/v1/auth/login/password', { username: 'nobody', password: 'whatever1' })
      const b = await post('/api/v1/auth/login/password', { username: 'admin', password: 'wrong-pass' })
      expect(a.statusCode).toBe(401)
      expect(a.json()).toEqual(b.json())
      const audit = await app.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login.failed'`)
      expect(audit.rows[0].n).toBeGreaterThanOrEqual(2)
    })

    it('returns the refresh token in the body for the mini-program', async () => {
      const r = await post('/api/v1/auth/login/password', { username: 'daqing', password: 'cc123456', client: 'miniprogram' })
      expect(r.json().refreshToken).toMatch(/^[\w-]{40,}$/)
    })
  })

  describe('refresh tokens', () => {
    it('rotates, and re-using an old token revokes the whole family', async () => {
      const login = await post('/api/v1/auth/login/password', { username: 'rengang', password: 'cc123456', client: 'miniprogram' })
      const t1 = login.json().refreshToken
      const r2 = await post('/api/v1/auth/refresh', { refreshToken: t1 })
      expect(r2.statusCode).toBe(200)
      const t2 = r2.json().refreshToken
      expect(t2).not.toBe(t1)
      // An attacker replays t1: refused, and t2 (the legitimate holder's) dies with it.
      expect((await post('/api/v1/auth/refresh', { refreshToken: t1 })).statusCode).toBe(401)
      expect((await post('/api/v1/auth/refresh', { refreshToken: t2 })).statusCode).toBe(401)
      const audit = await app.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh.reuse'`)
      expect(audit.rows[0].n).toBeGreaterThanOrEqual(1)
    })

    it('stores only hashes of refresh tokens', async () => {
      const login = await post('/api/v1/auth/login/password', { username: 'menwei', password: 'cc123456', client: 'miniprogram' })
      const rows = await app.pool.query('SELECT token_hash FROM refresh_tokens')
      expect(JSON.stringify(rows.rows)).not.toContain(login.json().refreshToken)
    })

    it('refreshes from the httpOnly cookie for the H5, and logout revokes it', async () => {
      const r = await residentLogin(app, '13900000031')
      const cookie = `cc_rt=${r.cookie}`
      const ref = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie }, payload: {} })
      expect(ref.statusCode).toBe(200)
      const next = `cc_rt=${ref.cookies.find((c) => c.name === 'cc_rt')!.value}`
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: next }, payload: {} })).statusCode).toBe(200)
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie: next }, payload: {} })).statusCode).toBe(401)
    })
  })

  describe('POST /api/v1/auth/switch-role', () => {
    it('switches a worker who is also a gatekeeper to the gatekeeper role, and refuses a grant of someone else', async () => {
      const login = await post('/api/v1/auth/login/password', { username: 'daqing', password: 'cc123456', client: 'miniprogram' })
      const body = login.json()
      expect(body.me.role).toBe('community_worker')
      const gate = body.me.grants.find((g: { role: string }) => g.role === 'gatekeeper')
      const auth = { authorization: `Bearer ${body.accessToken}` }
      const sw = await post('/api/v1/auth/switch-role', { grantId: gate.id, refreshToken: body.refreshToken }, auth)
      expect(sw.statusCode).toBe(200)
      expect(sw.json().me).toMatchObject({ role: 'gatekeeper', orgName: '任港路新村' })
      const foreign = await post('/api/v1/auth/switch-role', { grantId: 1, refreshToken: sw.json().refreshToken }, { authorization: `Bearer ${sw.json().accessToken}` })
      expect(foreign.statusCode).toBe(403)
    })
  })

  describe('WeChat', () => {
    it('logs a mini-program user in with wx.login code through jscode2session', async () => {
      wx.codes.set('mini-code-1', 'openid-mini-1')
      const r = await post('/api/v1/auth/login/wechat-mini', { code: 'mini-code-1' })
      expect(r.statusCode).toBe(200)
      expect(r.json().me.role).toBe('resident')
      expect(r.json().refreshToken).toBeTruthy()
      // Same person again: same account.
      wx.codes.set('mini-code-2', 'openid-mini-1')
      expect((await post('/api/v1/auth/login/wechat-mini', { code: 'mini-code-2' })).json().me.id).toBe(r.json().me.id)
    })

    it('turns an invalid code into a Chinese 502', async () => {
      const r = await post('/api/v1/auth/login/wechat-mini', { code: 'nope' })
      expect(r.statusCode).toBe(502)
      expect(r.json().detail).toBe('微信登录凭证无效，请重试')
    })

    it('runs the web OAuth redirect and callback, checking state', async () => {
      const start = await app.inject({ url: '/api/v1/auth/wechat/authorize' })
      expect(start.statusCode).toBe(302)
      const loc = new URL(start.headers.location as string)
      expect(loc.host).toBe('open.weixin.qq.com')
      const state = loc.searchParams.get('state')!
      const stateCookie = start.cookies.find((c) => c.name === 'cc_wx_state')!.value
      wx.codes.set('web-code-1', 'openid-web-1')
      const bad = await app.inject({ url: `/api/v1/auth/wechat/callback?code=web-code-1&state=forged`, headers: { cookie: `cc_wx_state=${stateCookie}` } })
      expect(bad.statusCode).toBe(502)
      const cb = await app.inject({ url: `/api/v1/auth/wechat/callback?code=web-code-1&state=${state}`, headers: { cookie: `cc_wx_state=${stateCookie}` } })
      expect(cb.statusCode).toBe(302)
      expect(cb.headers.location).toBe('/#/?wx=1')
      const rt = cb.cookies.find((c) => c.name === 'cc_rt')!.value
      const ref = await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', headers: { cookie: `cc_rt=${rt}` }, payload: {} })
      expect(ref.json().me.role).toBe('resident')
    })

    it('tells the login page which WeChat logins are configured', async () => {
      const r = await app.inject({ url: '/api/v1/auth/options' })
      expect(r.statusCode).toBe(200)
      expect(r.json()).toEqual({ wechatOauth: true, wechatMini: true })
    })

    it('without an appid, offers no WeChat login and sends the OAuth entry back to the login page', async () => {
      const bare = await createTestApp()
      try {
        expect((await bare.inject({ url: '/api/v1/auth/options' })).json()).toEqual({ wechatOauth: false, wechatMini: false })
        const start = await bare.inject({ url: '/api/v1/auth/wechat/authorize' })
        expect(start.statusCode).toBe(302)
        expect(start.headers.location).toBe('/#/login?wx=off')
      } finally {
        await bare.close2()
      }
    })
  })

  describe('Aliyun SMS provider', () => {
    it('signs SendSms requests the way the endpoint verifies them', async () => {
      const fake = await startFakeAliyunSms('ak-id', 'ak-secret')
      try {
        const p = new AliyunSmsProvider({ baseUrl: fake.baseUrl, accessKeyId: 'ak-id', accessKeySecret: 'ak-secret', signName: '崇川在线', templateCode: 'SMS_1' })
        expect(await p.sendCode('13900000041', '123456')).toEqual({})
        expect(fake.sent[0]).toMatchObject({ phone: '13900000041' })
        expect(JSON.parse(fake.sent[0]!.params.TemplateParam!)).toEqual({ code: '123456' })
        const wrong = new AliyunSmsProvider({ baseUrl: fake.baseUrl, accessKeyId: 'ak-id', accessKeySecret: 'bad', signName: '崇川在线', templateCode: 'SMS_1' })
        await expect(wrong.sendCode('13900000041', '123456')).rejects.toMatchObject({ code: 'SMS_FAILED' })
      } finally {
        await fake.close()
      }
    })
  })

  describe('rate limits', () => {
    it('limits login attempts per client address', async () => {
      const codes: number[] = []
      for (let i = 0; i < 12; i++) codes.push((await app.inject({ method: 'POST', url: '/api/v1/auth/login/password', payload: { username: 'x', password: 'yyyyyy' }, remoteAddress: '10.9.9.9' })).statusCode)
      expect(codes).toContain(429)
    })
  })
})
