import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for api.weixin.qq.com that speaks the same protocol: the product's real WeChat client
 * is pointed at it with WECHAT_BASE_URL. Codes are single-use, as on WeChat.
 */
export interface FakeWechat {
  baseUrl: string
  /** code → openid for jscode2session and web OAuth */
  codes: Map<string, string>
  messages: { touser: string; template_id: string; data: Record<string, { value: string }>; page?: string }[]
  /** openids that have not accepted the subscription (send returns 43101) */
  unsubscribed: Set<string>
  tokensIssued: number
  /** Calls to /cgi-bin/ticket/getticket, answered or refused. */
  ticketCalls: number
  /** jsapi_tickets handed out, newest last; each is valid until the next one is issued. */
  tickets: string[]
  /** expires_in of the next tickets (seconds). */
  ticketExpiresIn: number
  /** How long getticket takes to answer (ms): lets callers overlap, as they do against the real server. */
  ticketDelayMs: number
  /** Answers the next getticket call with this errcode (e.g. 40001 for a token WeChat no longer accepts), once. */
  failNextTicket: (errcode: number) => void
  /** Every access token issued so far stops working (as when another server fetched a new one). */
  revokeTokens: () => void
  /** What WeChat checks at wx.config: the signature for this page URL with the current ticket. */
  verifySignature: (c: { url: string; nonceStr: string; timestamp: number | string; signature: string }) => boolean
  close: () => Promise<void>
}

export async function startFakeWechat(appId = 'wx-test-app', secret = 'wx-test-secret'): Promise<FakeWechat> {
  const validTokens = new Set<string>()
  let ticketFailure: number | null = null
  const state: Omit<FakeWechat, 'baseUrl' | 'close'> = {
    codes: new Map(),
    messages: [],
    unsubscribed: new Set(),
    tokensIssued: 0,
    ticketCalls: 0,
    tickets: [],
    ticketExpiresIn: 7200,
    ticketDelayMs: 0,
    failNextTicket: (errcode) => {
      ticketFailure = errcode
    },
    revokeTokens: () => validTokens.clear(),
    verifySignature: ({ url, nonceStr, timestamp, signature }) => {
      const ticket = state.tickets.at(-1)
      if (!ticket) return false
      // Computed here from the documented rule, independently of the product's signing code.
      const string1 = ['jsapi_ticket=' + ticket, 'noncestr=' + nonceStr, 'timestamp=' + timestamp, 'url=' + url.split('#')[0]].join('&')
      return createHash('sha1').update(string1).digest('hex') === signature
    },
  }
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x')
    const q = url.searchParams
    const json = (o: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(o))
    }
    let body = ''
    for await (const chunk of req) body += chunk
    if (url.pathname === '/sns/jscode2session' || url.pathname === '/sns/oauth2/access_token') {
      const code = q.get(url.pathname === '/sns/jscode2session' ? 'js_code' : 'code') ?? ''
      if (q.get('grant_type') !== 'authorization_code' || !q.get('appid') || !q.get('secret')) return json({ errcode: 40013, errmsg: 'invalid appid' })
      const openid = state.codes.get(code)
      if (!openid) return json({ errcode: 40029, errmsg: 'invalid code' })
      state.codes.delete(code)
      return url.pathname === '/sns/jscode2session'
        ? json({ openid, session_key: 'sk', unionid: `u-${openid}` })
        : json({ access_token: 'user-at', expires_in: 7200, refresh_token: 'rt', openid, scope: 'snsapi_base' })
    }
    if (url.pathname === '/cgi-bin/token') {
      if (q.get('appid') !== appId || q.get('secret') !== secret) return json({ errcode: 40125, errmsg: 'invalid appsecret' })
      const t = `at-${++state.tokensIssued}`
      validTokens.add(t)
      return json({ access_token: t, expires_in: 7200 })
    }
    if (url.pathname === '/cgi-bin/ticket/getticket' && req.method === 'GET') {
      state.ticketCalls++
      if (state.ticketDelayMs) await new Promise((r) => setTimeout(r, state.ticketDelayMs))
      if (ticketFailure !== null) {
        const errcode = ticketFailure
        ticketFailure = null
        return json({ errcode, errmsg: 'invalid credential, access_token is invalid or not latest' })
      }
      if (!validTokens.has(q.get('access_token') ?? '')) return json({ errcode: 40001, errmsg: 'invalid credential' })
      if (q.get('type') !== 'jsapi') return json({ errcode: 40097, errmsg: 'invalid args' })
      const ticket = `jt-${state.tickets.length + 1}-${Math.random().toString(36).slice(2, 10)}`
      state.tickets.push(ticket)
      return json({ errcode: 0, errmsg: 'ok', ticket, expires_in: state.ticketExpiresIn })
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send' && req.method === 'POST') {
      if (!validTokens.has(q.get('access_token') ?? '')) return json({ errcode: 40001, errmsg: 'invalid credential' })
      const msg = JSON.parse(body)
      if (!msg.touser || !msg.template_id || typeof msg.data !== 'object') return json({ errcode: 47003, errmsg: 'argument invalid' })
      if (state.unsubscribed.has(msg.touser)) return json({ errcode: 43101, errmsg: 'user refuse to accept the msg' })
      state.messages.push(msg)
      return json({ errcode: 0, errmsg: 'ok', msgid: state.messages.length })
    }
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}
