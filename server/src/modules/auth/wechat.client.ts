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

export class WechatClient {
  private accessToken: { value: string; expiresAt: number } | null = null
  constructor(
    private readonly cfg: WechatConfig,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

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

  /** Server access token (cached until 5 minutes before it expires). */
  async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now()) return this.accessToken.value
    const r = await this.get<{ access_token?: string; expires_in?: number }>('/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: this.cfg.appId,
      secret: this.cfg.secret,
    })
    if (r.errcode || !r.access_token) throw new AppError('WECHAT_FAILED', '获取微信接口凭证失败')
    this.accessToken = { value: r.access_token, expiresAt: Date.now() + ((r.expires_in ?? 7200) - 300) * 1000 }
    return r.access_token
  }

  /** 订阅消息 (subscribe message) to one user. Returns false when the user has not subscribed (43101). */
  async sendSubscribeMessage(msg: { touser: string; templateId: string; page?: string; data: Record<string, string> }): Promise<boolean> {
    const send = async () => {
      const token = await this.getAccessToken()
      const url = new URL('/cgi-bin/message/subscribe/send', this.cfg.baseUrl)
      url.searchParams.set('access_token', token)
      const data = Object.fromEntries(Object.entries(msg.data).map(([k, v]) => [k, { value: v }]))
      return this.call<object>(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ touser: msg.touser, template_id: msg.templateId, page: msg.page, data }),
      })
    }
    let r = await send()
    if (r.errcode === 40001 || r.errcode === 42001) {
      this.accessToken = null // token revoked or expired early: refresh once
      r = await send()
    }
    if (!r.errcode) return true
    if (r.errcode === 43101) return false
    throw new AppError('WECHAT_FAILED', `微信消息发送失败 (${r.errcode})`)
  }
}
