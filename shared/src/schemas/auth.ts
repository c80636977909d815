import { Type, type Static } from '@sinclair/typebox'
import { ROLES } from '../roles.js'
import { PHONE_PATTERN } from '../privacy.js'
import { TextLine } from './common.js'

export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)))

export const Phone = Type.String({ pattern: PHONE_PATTERN })

export const SmsSendBody = Type.Object({ phone: Phone })
export const SmsSendReply = Type.Object({
  sent: Type.Boolean(),
  retryAfter: Type.Integer(),
  /** Only in demo mode, where no real SMS goes out. */
  devCode: Type.Optional(Type.String()),
})

export const SmsLoginBody = Type.Object({
  phone: Phone,
  code: Type.String({ pattern: '^\\d{6}$' }),
  client: Type.Optional(Type.Union([Type.Literal('h5'), Type.Literal('miniprogram')])),
})
export const PasswordLoginBody = Type.Object({
  username: TextLine({ minLength: 2, maxLength: 64 }),
  password: TextLine({ minLength: 6, maxLength: 128 }),
  client: Type.Optional(Type.Union([Type.Literal('h5'), Type.Literal('miniprogram')])),
})
export const WechatMiniBody = Type.Object({ code: TextLine({ minLength: 1, maxLength: 128 }) })
export const RefreshBody = Type.Object({ refreshToken: Type.Optional(TextLine({ maxLength: 200 })) })
export const SwitchRoleBody = Type.Object({ grantId: Type.Integer({ minimum: 1 }) })

export const Grant = Type.Object({
  id: Type.Integer(),
  role: RoleSchema,
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  orgName: Type.Union([Type.String(), Type.Null()]),
})
export type Grant = Static<typeof Grant>

export const Me = Type.Object({
  id: Type.Integer(),
  displayName: Type.String(),
  phoneMasked: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  grantId: Type.Integer(),
  orgId: Type.Union([Type.Integer(), Type.Null()]),
  orgName: Type.Union([Type.String(), Type.Null()]),
  grants: Type.Array(Grant),
})
export type Me = Static<typeof Me>

export const TokenReply = Type.Object({
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  /** Only for the mini-program; the H5 gets it as an httpOnly cookie. */
  refreshToken: Type.Optional(Type.String()),
  me: Me,
})
export type TokenReply = Static<typeof TokenReply>

/** WeChat's built-in browser says so in its User-Agent ("… MicroMessenger/8.0.47 …"). */
export const isWechatBrowser = (ua: string | undefined) => !!ua && /MicroMessenger/i.test(ua)

/** A page asking for its WeChat JS-SDK signature: its own URL (`#…` is not signed), as location.href gives it. */
export const WechatJsConfigQuery = Type.Object({ url: TextLine({ minLength: 8, maxLength: 2048 }) })
/**
 * The values a page passes to `wx.config`; `enabled: false` (and nothing else) when the 服务号 is not configured,
 * so pages simply keep their default share card.
 */
export const WechatJsConfig = Type.Object({
  enabled: Type.Boolean(),
  appId: Type.Optional(Type.String()),
  timestamp: Type.Optional(Type.Integer()),
  nonceStr: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
})
export type WechatJsConfig = Static<typeof WechatJsConfig>
