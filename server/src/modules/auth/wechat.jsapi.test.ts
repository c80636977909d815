import { describe, expect, it } from 'vitest'
import { signJsapi, WechatClient } from './wechat.client.js'

/** The worked example of WeChat's JS-SDK documentation (附录1 JS-SDK使用权限签名算法). */
const DOC = {
  ticket: 'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
  nonceStr: 'Wm3WZYTPz0wzccnW',
  timestamp: 1414587457,
  url: 'http://mp.weixin.qq.com?params=value',
  signature: '0f9de62fce790f9a083d5c99e95740ceb90c27ed',
}

describe('signJsapi (JS-SDK 权限签名)', () => {
  it('gives the signature of the documented example', () => {
    expect(signJsapi(DOC)).toBe(DOC.signature)
  })

  it('takes the timestamp as a number or as the string WeChat concatenates', () => {
    expect(signJsapi({ ...DOC, timestamp: String(DOC.timestamp) })).toBe(DOC.signature)
  })

  it('signs the URL without its #fragment (hash routes share one signature)', () => {
    expect(signJsapi({ ...DOC, url: `${DOC.url}#/b/12` })).toBe(DOC.signature)
  })

  it('uses the raw URL: an escaped one is another page', () => {
    expect(signJsapi({ ...DOC, url: encodeURI('http://mp.weixin.qq.com?params=值') })).not.toBe(signJsapi({ ...DOC, url: 'http://mp.weixin.qq.com?params=值' }))
    expect(signJsapi({ ...DOC, url: 'http://mp.weixin.qq.com/?params=value' })).not.toBe(DOC.signature)
  })
})

/** A scripted WeChat: answers by path, counts calls, lets a test hold a response back. */
function scripted(handlers: Record<string, (q: URLSearchParams) => unknown | Promise<unknown>>) {
  const calls: string[] = []
  const fetchImpl = (async (input: URL | RequestInfo) => {
    const url = new URL(String(input))
    calls.push(url.pathname)
    const body = await handlers[url.pathname]!(url.searchParams)
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  return { calls, fetchImpl, count: (p: string) => calls.filter((c) => c === p).length }
}

const CFG = { baseUrl: 'http://wx.invalid', appId: 'wx-app', secret: 's', mpAppId: '', mpSecret: '' }

describe('WechatClient jsapi_ticket', () => {
  it('fetches the ticket once for concurrent callers and keeps it until 5 minutes before it expires', async () => {
    let now = 1_700_000_000_000
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let n = 0
    const wx = scripted({
      '/cgi-bin/token': () => ({ access_token: 'at', expires_in: 7200 }),
      '/cgi-bin/ticket/getticket': async () => {
        await gate
        return { errcode: 0, errmsg: 'ok', ticket: `t${++n}`, expires_in: 7200 }
      },
    })
    const client = new WechatClient(CFG, wx.fetchImpl, () => now)
    const all = Promise.all([client.getJsapiTicket(), client.getJsapiTicket(), client.jsSdkConfig('http://a.cn/home')])
    await new Promise((r) => setTimeout(r, 10))
    release()
    const [a, b, c] = await all
    expect([a, b]).toEqual(['t1', 't1'])
    expect(c.signature).toBe(signJsapi({ ticket: 't1', nonceStr: c.nonceStr, timestamp: c.timestamp, url: 'http://a.cn/home' }))
    expect(wx.count('/cgi-bin/token')).toBe(1)
    expect(wx.count('/cgi-bin/ticket/getticket')).toBe(1)
    now += (7200 - 301) * 1000
    expect(await client.getJsapiTicket()).toBe('t1')
    now += 2000 // now within the last 5 minutes of its life
    expect(await client.getJsapiTicket()).toBe('t2')
    expect(wx.count('/cgi-bin/ticket/getticket')).toBe(2)
  })

  it('drops an access token WeChat calls expired (42001), gets a new one and asks again, once', async () => {
    let tokens = 0
    const wx = scripted({
      '/cgi-bin/token': () => ({ access_token: `at${++tokens}`, expires_in: 7200 }),
      '/cgi-bin/ticket/getticket': (q) => (q.get('access_token') === 'at1' ? { errcode: 42001, errmsg: 'access_token expired' } : { errcode: 0, ticket: 'fresh', expires_in: 7200 }),
    })
    const client = new WechatClient(CFG, wx.fetchImpl)
    expect(await client.getJsapiTicket()).toBe('fresh')
    expect(wx.calls).toEqual(['/cgi-bin/token', '/cgi-bin/ticket/getticket', '/cgi-bin/token', '/cgi-bin/ticket/getticket'])
  })

  it('gives up after the one retry, and then waits 30 s before asking WeChat again', async () => {
    let now = 1_700_000_000_000
    const wx = scripted({
      '/cgi-bin/token': () => ({ access_token: 'at', expires_in: 7200 }),
      '/cgi-bin/ticket/getticket': () => ({ errcode: 40001, errmsg: 'invalid credential' }),
    })
    const client = new WechatClient(CFG, wx.fetchImpl, () => now)
    await expect(client.getJsapiTicket()).rejects.toMatchObject({ code: 'WECHAT_FAILED' })
    expect(wx.count('/cgi-bin/ticket/getticket')).toBe(2)
    await expect(client.jsSdkConfig('http://a.cn/')).rejects.toMatchObject({ code: 'WECHAT_FAILED' })
    expect(wx.count('/cgi-bin/ticket/getticket')).toBe(2)
    now += 31_000
    await expect(client.getJsapiTicket()).rejects.toMatchObject({ code: 'WECHAT_FAILED' })
    expect(wx.count('/cgi-bin/ticket/getticket')).toBe(4)
  })

  it('shares one access-token request between concurrent callers (a second token would retire the first)', async () => {
    const wx = scripted({ '/cgi-bin/token': async () => (await new Promise((r) => setTimeout(r, 5)), { access_token: 'only', expires_in: 7200 }) })
    const client = new WechatClient(CFG, wx.fetchImpl)
    expect(await Promise.all([client.getAccessToken(), client.getAccessToken(), client.getAccessToken()])).toEqual(['only', 'only', 'only'])
    expect(wx.count('/cgi-bin/token')).toBe(1)
  })
})
