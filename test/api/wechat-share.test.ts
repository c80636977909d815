import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeWechat, type FakeWechat } from '../fakes/wechat.js'
import { createTestApp, someIp, type TestApp } from '../helper.js'

/**
 * WeChat share cards: the JS-SDK signature route against the fake WeChat server, and the two renderings of
 * /home (a script only for WeChat's browser). WeChat's own check of a signature is the fake's
 * `verifySignature`, computed there from the documented rule.
 */
const CONFIG = '/api/v1/public/wechat/js-config'
const WECHAT_UA =
  'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64'
const PHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const BASE = 'https://cc.chongchuan.gov.cn'

let wx: FakeWechat
let app: TestApp
let dist: string
const wechatEnv = () => ({ WECHAT_BASE_URL: wx.baseUrl, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret' })

beforeAll(async () => {
  wx = await startFakeWechat()
  // A one-file H5 build, enough to see the headers index.html is served with.
  dist = mkdtempSync(path.join(os.tmpdir(), 'cc-h5-wx-'))
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><html lang="zh-CN"><head><title>崇川在线</title></head><body><div id="app"></div></body></html>')
  app = await createTestApp({ publicBaseUrl: BASE, h5Dist: dist }, wechatEnv())
})
afterAll(async () => {
  await app?.close2()
  await wx?.close()
  rmSync(dist, { recursive: true, force: true })
})

const jsConfig = (target: TestApp, url: string, headers: Record<string, string> = {}) =>
  target.inject({ url: `${CONFIG}?url=${encodeURIComponent(url)}`, headers, remoteAddress: someIp() })
const scriptSrc = (csp: unknown) => /(?:^|;)\s*script-src ([^;]*)/.exec(String(csp))?.[1]?.trim().split(/\s+/) ?? []

describe('GET /api/v1/public/wechat/js-config', () => {
  it('signs a page of the product without login, one ticket for many pages', async () => {
    const urls = [`${BASE}/home`, `${BASE}/#/b/12`, `${BASE}/?from=singlemessage&isappinstalled=0#/rb/3`, `${BASE}/`, `${BASE}/home`, `${BASE}/#/b`]
    // WeChat answers slowly here, so the six requests all wait for the same ticket.
    wx.ticketDelayMs = 300
    const replies = await Promise.all(urls.map((u) => jsConfig(app, u))).finally(() => (wx.ticketDelayMs = 0))
    for (const [i, r] of replies.entries()) {
      expect(r.statusCode, r.body).toBe(200)
      const c = r.json()
      expect(c).toMatchObject({ enabled: true, appId: 'wx-test-app' })
      expect(c.nonceStr).toMatch(/^[A-Za-z0-9]{16}$/)
      expect(Math.abs(c.timestamp - Date.now() / 1000)).toBeLessThan(60)
      // WeChat checks it against the page's URL without its #fragment.
      expect(wx.verifySignature({ ...c, url: urls[i]!.split('#')[0]! }), urls[i]).toBe(true)
      expect(wx.verifySignature({ ...c, url: `${BASE}/elsewhere` })).toBe(false)
    }
    expect(wx.tokensIssued).toBe(1)
    expect(wx.ticketCalls).toBe(1)
    for (let i = 0; i < 3; i++) expect((await jsConfig(app, `${BASE}/#/b/${i}`)).statusCode).toBe(200)
    expect(wx.ticketCalls).toBe(1)
  })

  it('signs a page on the host the request came to (a phone on the LAN)', async () => {
    const r = await jsConfig(app, 'http://192.168.1.20:3000/#/b/1', { host: '192.168.1.20:3000' })
    expect(r.statusCode, r.body).toBe(200)
    expect(wx.verifySignature({ ...r.json(), url: 'http://192.168.1.20:3000/' })).toBe(true)
  })

  it('refuses to sign any other site, in Chinese, without asking WeChat', async () => {
    const calls = wx.ticketCalls
    for (const url of [
      'https://evil.example.com/home',
      'https://cc.chongchuan.gov.cn.evil.com/home',
      'https://evil.example.com/?https://cc.chongchuan.gov.cn/',
      'http://cc.chongchuan.gov.cn/home', // the public site is https
      'https://user@cc.chongchuan.gov.cn/home',
      'javascript:alert(1)//https://cc.chongchuan.gov.cn/',
      'http://192.168.1.99:3000/', // not the host this request came to
      'not a url at all',
    ]) {
      const r = await jsConfig(app, url, { host: '192.168.1.20:3000' })
      expect(r.statusCode, url).toBe(400)
      expect(r.json().detail ?? r.json().title, url).toMatch(/本站页面|格式不对/)
    }
    expect((await jsConfig(app, 'https://evil.example.com/')).json().detail).toBe('只能为本站页面生成微信分享签名')
    expect((await app.inject({ url: CONFIG })).statusCode).toBe(400)
    expect(wx.ticketCalls).toBe(calls)
  })

  it('gets a new access token and the ticket again when WeChat calls the cached token invalid (40001)', async () => {
    // A second instance of the API: its own client, its own cache.
    const other = await createTestApp({ publicBaseUrl: BASE }, wechatEnv())
    try {
      await other.services.wechat.getAccessToken() // cached, e.g. by a subscribe message sent earlier
      const tokens = wx.tokensIssued
      const calls = wx.ticketCalls
      wx.revokeTokens() // another server fetched a token since: WeChat no longer takes ours
      const r = await jsConfig(other, `${BASE}/home`)
      expect(r.statusCode, r.body).toBe(200)
      expect(wx.verifySignature({ ...r.json(), url: `${BASE}/home` })).toBe(true)
      expect(wx.tokensIssued - tokens).toBe(1)
      expect(wx.ticketCalls - calls).toBe(2) // 40001, then the ticket
    } finally {
      await other.close2()
    }
  })

  it('retries once on a 40001 WeChat sends even for a fresh token, then signs', async () => {
    const other = await createTestApp({ publicBaseUrl: BASE }, wechatEnv())
    try {
      const calls = wx.ticketCalls
      wx.failNextTicket(40001)
      const r = await jsConfig(other, `${BASE}/home`)
      expect(r.statusCode, r.body).toBe(200)
      expect(wx.verifySignature({ ...r.json(), url: `${BASE}/home` })).toBe(true)
      expect(wx.ticketCalls - calls).toBe(2)
    } finally {
      await other.close2()
    }
  })

  it('answers { enabled: false } when no 服务号 is configured, and never calls WeChat', async () => {
    const bare = await createTestApp({ publicBaseUrl: BASE })
    try {
      const r = await jsConfig(bare, `${BASE}/home`)
      expect(r.statusCode).toBe(200)
      expect(r.json()).toEqual({ enabled: false })
      expect((await jsConfig(bare, 'https://evil.example.com/')).statusCode).toBe(200)
    } finally {
      await bare.close2()
    }
  })

  it('answers 502 in Chinese, not 500, when WeChat cannot be reached', async () => {
    const down = await createTestApp({ publicBaseUrl: BASE }, { ...wechatEnv(), WECHAT_BASE_URL: 'http://127.0.0.1:9' })
    try {
      const r = await jsConfig(down, `${BASE}/home`)
      expect(r.statusCode).toBe(502)
      expect(r.json().detail).toMatch(/微信/)
    } finally {
      await down.close2()
    }
  })
})

describe('/home in and outside WeChat', () => {
  const home = (target: TestApp, ua: string) => target.inject({ url: '/home', headers: { 'user-agent': ua } })

  it('gives WeChat the share-card script, after the content, allowed by its hash and the SDK origin only', async () => {
    const r = await home(app, WECHAT_UA)
    expect(r.statusCode).toBe(200)
    const html = r.body
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
    expect(scripts).toHaveLength(1)
    expect(html.match(/<script/g)).toHaveLength(1)
    const script = scripts[0]!
    expect(html.indexOf('<script>')).toBeGreaterThan(html.indexOf('</footer>'))
    expect(script).toContain("'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'")
    expect(script).toContain('async=true')
    expect(script).toContain(`'${CONFIG}?url='+encodeURIComponent(location.href.split('#')[0])`)
    for (const api of ['wx.config(', "jsApiList:['updateAppMessageShareData','updateTimelineShareData']", 'wx.ready(', 'wx.updateAppMessageShareData(', 'wx.updateTimelineShareData(']) expect(script).toContain(api)
    // The card's values are the meta tags', which are absolute.
    expect(html).toContain(`<meta property="og:url" content="${BASE}/home">`)
    expect(html).toContain(`<meta property="og:image" content="${BASE}/share.png">`)
    const src = scriptSrc(r.headers['content-security-policy'])
    expect(src).toEqual(["'self'", `'sha256-${createHash('sha256').update(script).digest('base64')}'`, 'https://res.wx.qq.com'])
    expect(String(r.headers.vary)).toMatch(/user-agent/i)
    expect(r.headers['cache-control']).toMatch(/^public, max-age=60/)
  })

  it('gives every other browser the same page without any script, under the strict policy', async () => {
    const w = await home(app, WECHAT_UA)
    for (const ua of [PHONE_UA, '']) {
      const r = await home(app, ua)
      expect(r.statusCode).toBe(200)
      expect(r.body).not.toMatch(/<script/i)
      expect(scriptSrc(r.headers['content-security-policy'])).toEqual(["'self'"])
      expect(String(r.headers.vary)).toMatch(/user-agent/i)
      // One read of the numbers, two renderings: apart from the script they are the same page.
      expect(r.body).toBe(w.body.replace(/<script>[\s\S]*?<\/script>\n/, ''))
    }
  })

  it('lets the H5 document load the SDK, and nothing else gains it', async () => {
    const index = await app.inject({ url: '/' })
    expect(index.statusCode).toBe(200)
    expect(scriptSrc(index.headers['content-security-policy'])).toEqual(["'self'", 'https://res.wx.qq.com'])
    const deep = await app.inject({ url: '/r/report' })
    expect(scriptSrc(deep.headers['content-security-policy'])).toEqual(["'self'", 'https://res.wx.qq.com'])
    const api = await app.inject({ url: '/api/v1/complaints/categories' })
    expect(scriptSrc(api.headers['content-security-policy'])).toEqual(["'self'"])
  })

  it('stays script-free for WeChat too when no 服务号 is configured', async () => {
    const bare = await createTestApp({ publicBaseUrl: BASE, h5Dist: dist })
    try {
      const r = await home(bare, WECHAT_UA)
      expect(r.statusCode).toBe(200)
      expect(r.body).not.toMatch(/<script/i)
      expect(scriptSrc(r.headers['content-security-policy'])).toEqual(["'self'"])
      expect(r.headers.vary).toBeUndefined()
      expect(scriptSrc((await bare.inject({ url: '/' })).headers['content-security-policy'])).toEqual(["'self'"])
    } finally {
      await bare.close2()
    }
  })
})
