import { createHash, randomInt } from 'node:crypto'
import { AppError } from '../../errors.js'

/**
 * HTTP client for the WeChat APIs the product uses. `baseUrl` is configurable so tests talk to the fake
 * server in test/fakes/wechat.ts, which speaks the same protocol.
 */
export interface WechatConfig {
  baseUrl: string
  /** 服务号 (web OAuth, subscribe messages) */
  appId: string
  secret: string
  /** 小程序 (jscode2session) */
  mpAppId: string
  mpSecret: string
}

export interface WechatSession {
  openid: string
  unionid?: string
}

interface WxError {
  errcode?: number
  errmsg?: string
}

/** What a page passes to `wx.config` (with its own jsApiList). */
export interface JsSdkConfig {
  appId: string
  timestamp: number
  nonceStr: string
  signature: string
}

/**
 * JS-SDK 权限签名 (附录1): the fields jsapi_ticket, noncestr, timestamp, url in the ASCII order of their names,
 * joined as key=value&…, values raw (no URL escaping), the url without `#` and what follows; signature =
 * sha1 of that string, lower-case hex. WeChat recomputes it from the page's own location.href at wx.config.
 */
export function signJsapi(p: { ticket: string; nonceStr: string; timestamp: number | string; url: string }): string {
  const url = p.url.split('#')[0]
  return createHash('sha1').update(`jsapi_ticket=${p.ticket}&noncestr=${p.nonceStr}&timestamp=${p.timestamp}&url=${url}`).digest('hex')
}

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const nonce = (n = 16) => Array.from({ length: n }, () => NONCE_CHARS[randomInt(NONCE_CHARS.length)]).join('')
/** WeChat codes for an access token that was revoked (a newer one was issued) or has expired. */
const STALE_TOKEN = new Set([40001, 42001])
const TICKET_RETRY_MS = 30_000

interface Cached {
  value: string
  expiresAt: number
}
/** Kept until 5 minutes before WeChat says it expires (half its life if that is shorter). */
const cacheUntil = (now: number, expiresIn: number | undefined) => {
  const life = expiresIn && expiresIn > 0 ? expiresIn : 7200
  return now + Math.max(life - 300, life / 2) * 1000
}

export class WechatClient {
  private accessToken: Cached | null = null
  private tokenInflight: Promise<string> | null = null
  private jsapiTicket: Cached | null = null
  private ticketInflight: Promise<string> | null = null
  /** After a failed ticket fetch, pages are told no at once for a while instead of each asking WeChat again. */
  private ticketRetryAt = 0
  constructor(
    private readonly cfg: WechatConfig,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** The 服务号 is configured: server access token, web OAuth and the JS-SDK can work. */
  get officialAccount(): boolean {
    return !!(this.cfg.appId && this.cfg.secret)
  }

  private async get<T>(path: string, query: Record<string, string>): Promise<T & WxError> {
    const url = new URL(path, this.cfg.baseUrl)
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v)
    return this.call<T>(url, { method: 'GET' })
  }

  private async call<T>(url: URL, init: RequestInit): Promise<T & WxError> {
    let res: Response
    try {
      res = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(5000) })
    } catch {
      throw new AppError('WECHAT_FAILED', '无法连接微信服务器')
    }
    if (!res.ok) throw new AppError('WECHAT_FAILED', `微信服务器返回 ${res.status}`)
    return (await res.json()) as T & WxError
  }

  /** 小程序登录: wx.login() code → openid. */
  async code2Session(code: string): Promise<WechatSession> {
    const r = await this.get<{ openid?: string; unionid?: string; session_key?: string }>('/sns/jscode2session', {
      appid: this.cfg.mpAppId,
      secret: this.cfg.mpSecret,
      js_code: code,
      grant_type: 'authorization_code',
    })
    if (r.errcode || !r.openid) throw new AppError('WECHAT_FAILED', r.errcode === 40029 ? '微信登录凭证无效，请重试' : '微信登录失败')
    return { openid: r.openid, unionid: r.unionid }
  }

  /** 网页授权: the `code` from the OAuth redirect → openid. */
  async oauthAccessToken(code: string): Promise<WechatSession> {
    const r = await this.get<{ openid?: string; unionid?: string; access_token?: string }>('/sns/oauth2/access_token', {
      appid: this.cfg.appId,
      secret: this.cfg.secret,
      code,
      grant_type: 'authorization_code',
    })
    if (r.errcode || !r.openid) throw new AppError('WECHAT_FAILED', r.errcode === 40029 ? '微信授权已失效，请重新进入' : '微信授权失败')
    return { openid: r.openid, unionid: r.unionid }
  }

  /** Where the H5 sends the browser to start web OAuth inside WeChat. */
  authorizeUrl(redirectUri: string, state: string): string {
    const q = new URLSearchParams({ appid: this.cfg.appId, redirect_uri: redirectUri, response_type: 'code', scope: 'snsapi_base', state })
    return `https://open.weixin.qq.com/connect/oauth2/authorize?${q}#wechat_redirect`
  }

  /**
   * Server access token, cached until 5 minutes before it expires. Single flight: every new token WeChat
   * issues retires the previous one, so concurrent callers must share one request, never race for two.
   */
  async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > this.now()) return this.accessToken.value
    return (this.tokenInflight ??= this.fetchAccessToken().finally(() => {
      this.tokenInflight = null
    }))
  }

  private async fetchAccessToken(): Promise<string> {
    const r = await this.get<{ access_token?: string; expires_in?: number }>('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: this.cfg.appId,
      secret: this.cfg.secret,
    })
    if (r.errcode || !r.access_token) throw new AppError('WECHAT_FAILED', '获取微信接口凭证失败')
    this.accessToken = { value: r.access_token, expiresAt: cacheUntil(this.now(), r.expires_in) }
    return r.access_token
  }

  /**
   * One call with the server access token. When WeChat calls the token revoked or expired early (40001,
   * 42001), it is forgotten (unless a newer one has replaced it meanwhile) and the call made once more.
   */
  private async withAccessToken<T>(call: (token: string) => Promise<T & WxError>): Promise<T & WxError> {
    const token = await this.getAccessToken()
    const r = await call(token)
    if (!r.errcode || !STALE_TOKEN.has(r.errcode)) return r
    if (this.accessToken?.value === token) this.accessToken = null
    return call(await this.getAccessToken())
  }

  /**
   * The JS-SDK's jsapi_ticket. WeChat limits how often it may be fetched, so it is cached (until 5 minutes
   * before `expires_in`) and fetched by one request however many pages ask at once. A token WeChat calls
   * revoked or expired (40001, 42001) is dropped and the ticket asked for once more with a new one. After a
   * failure (WeChat unreachable, the daily quota spent) nobody asks again for 30 seconds.
   */
  async getJsapiTicket(): Promise<string> {
    if (this.jsapiTicket && this.jsapiTicket.expiresAt > this.now()) return this.jsapiTicket.value
    if (this.now() < this.ticketRetryAt) throw new AppError('WECHAT_FAILED', '微信分享暂不可用，请稍后再试')
    return (this.ticketInflight ??= this.fetchJsapiTicket()
      .catch((e: unknown) => {
        this.ticketRetryAt = this.now() + TICKET_RETRY_MS
        throw e
      })
      .finally(() => {
        this.ticketInflight = null
      }))
  }

  private async fetchJsapiTicket(): Promise<string> {
    const r = await this.withAccessToken((token) => this.get<{ ticket?: string; expires_in?: number }>('/cgi-bin/ticket/getticket', { access_token: token, type: 'jsapi' }))
    if (r.errcode || !r.ticket) throw new AppError('WECHAT_FAILED', `获取微信 JS 接口票据失败 (${r.errcode ?? '无票据'})`)
    this.jsapiTicket = { value: r.ticket, expiresAt: cacheUntil(this.now(), r.expires_in) }
    return r.ticket
  }

  /** wx.config values for one page URL (its `#…` part is not signed). */
  async jsSdkConfig(url: string): Promise<JsSdkConfig> {
    const ticket = await this.getJsapiTicket()
    const timestamp = Math.floor(this.now() / 1000)
    const nonceStr = nonce()
    return { appId: this.cfg.appId, timestamp, nonceStr, signature: signJsapi({ ticket, nonceStr, timestamp, url }) }
  }

  /** 订阅消息 (subscribe message) to one user. Returns false when the user has not subscribed (43101). */
  async sendSubscribeMessage(msg: { touser: string; templateId: string; page?: string; data: Record<string, string> }): Promise<boolean> {
    const r = await this.withAccessToken((token) => {
      const url = new URL('/cgi-bin/message/subscribe/send', this.cfg.baseUrl)
      url.searchParams.set('access_token', token)
      const data = Object.fromEntries(Object.entries(msg.data).map(([k, v]) => [k, { value: v }]))
      return this.call<object>(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: msg.touser, template_id: msg.templateId, page: msg.page, data }),
      })
    })
    if (!r.errcode) return true
    if (r.errcode === 43101) return false
    throw new AppError('WECHAT_FAILED', `微信消息发送失败 (${r.errcode})`)
  }
}
