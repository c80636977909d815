import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFakeWechat, type FakeWechat } from '../fakes/wechat.js'
import { createTestApp, ROOT, type TestApp } from '../helper.js'
import { act } from '../api/flow.js'
import { loopActors, walk } from '../api/loop.js'
import { CHROMIUM } from './browser.js'

/**
 * Share cards inside WeChat, in Chromium with WeChat's User-Agent: the real /home and the real H5 run against
 * the API and the fake WeChat server. WeChat's SDK (res.wx.qq.com) is replaced by a recorder of what the page
 * hands it, served at its own URL, so the page's CSP decides whether it may run — as on a phone.
 */
const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN'
const SDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'
const SDK_STUB = `window.__wx={config:null,app:[],timeline:[]};
window.wx={config:function(c){__wx.config=c},ready:function(cb){setTimeout(cb,0)},error:function(){},
updateAppMessageShareData:function(d){__wx.app.push(d)},updateTimelineShareData:function(d){__wx.timeline.push(d)}};`
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 }

interface Recorded {
  config: { appId: string; timestamp: number; nonceStr: string; signature: string; jsApiList: string[] } | null
  app: { title: string; desc: string; link: string; imgUrl: string }[]
  timeline: { title: string; link: string; imgUrl: string }[]
}

let wx: FakeWechat
let app: TestApp
let browser: Browser
let base: string
let bulletin: { id: number; title: string }
let period: { id: number; title: string }

beforeAll(async () => {
  wx = await startFakeWechat()
  app = await createTestApp({ h5Dist: process.env.H5_DIST ?? path.join(ROOT, 'h5/dist') }, { WECHAT_BASE_URL: wx.baseUrl, WECHAT_APPID: 'wx-test-app', WECHAT_SECRET: 'wx-test-secret' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'] })
  const a = await loopActors(app, ['13512345611', '13512345612'])
  await walk(app, a, 'verified', a.resident, { description: '任港路新村东门无人值守，进出人员未测温' })
  const d = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
  const p = await act(app, a.admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
  expect(p.statusCode, p.body).toBe(200)
  bulletin = { id: p.json().id, title: p.json().title }
  const periods = (await app.inject({ url: '/api/v1/redblack/periods' })).json().items
  period = { id: periods[0].id, title: periods[0].title }
}, 120_000)
afterAll(async () => {
  await browser?.close()
  await app?.close2()
  await wx?.close()
})

/** A phone page with the given UA; records requests and CSP complaints, and serves the SDK recorder. */
async function phone(ua?: string): Promise<{ page: Page; ctx: BrowserContext; requests: string[]; cspErrors: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN', ...(ua ? { userAgent: ua } : {}) })
  const page = await ctx.newPage()
  const requests: string[] = []
  const cspErrors: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text())
  })
  page.on('pageerror', (e) => cspErrors.push(`page error: ${e.message}`))
  await ctx.route('https://**/*', (route) =>
    route.request().url() === SDK_URL ? route.fulfill({ status: 200, contentType: 'application/javascript', body: SDK_STUB }) : route.abort(),
  )
  return { page, ctx, requests, cspErrors }
}

const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __wx?: Recorded }).__wx ?? null) as Promise<Recorded | null>
/** Polled from here: waitForFunction would evaluate a string in the page, which its CSP (rightly) refuses. */
async function lastCard(page: Page, title: string) {
  await expect.poll(async () => (await recorded(page))?.app.at(-1)?.title, { timeout: 10_000 }).toBe(title)
  return (await recorded(page))!
}
const meta = (page: Page, p: string) => page.locator(`meta[property="og:${p}"]`).getAttribute('content')

describe('WeChat share cards', () => {
  it('/home in WeChat: signs its URL, configures the SDK and sets the card from its meta tags, within its CSP', async () => {
    const { page, ctx, cspErrors } = await phone(WECHAT_UA)
    await page.goto(`${base}/home?from=singlemessage#top`)
    const r = await lastCard(page, '崇川在线 · 疫情防控公开数据')
    expect(r.config!.jsApiList).toEqual(['updateAppMessageShareData', 'updateTimelineShareData'])
    expect(r.config!.appId).toBe('wx-test-app')
    expect(wx.verifySignature({ ...r.config!, url: `${base}/home?from=singlemessage` })).toBe(true)
    expect(r.app).toEqual([{ title: await meta(page, 'title'), desc: await meta(page, 'description'), link: await meta(page, 'url'), imgUrl: await meta(page, 'image') }])
    expect(r.app[0]!.desc).toMatch(/^崇川区疫情防控：网友反映的漏洞已堵/)
    expect(r.app[0]!.imgUrl).toMatch(/^https?:\/\/.+\/share\.png$/)
    expect(r.timeline).toEqual([{ title: r.app[0]!.title, link: r.app[0]!.link, imgUrl: r.app[0]!.imgUrl }])
    expect(cspErrors).toEqual([])
    await ctx.close()
  })

  it('/home elsewhere: no script, no request to WeChat', async () => {
    const { page, ctx, requests, cspErrors } = await phone()
    await page.goto(`${base}/home`)
    await page.getByText('累计堵漏').waitFor()
    await page.waitForLoadState('networkidle')
    expect(await page.locator('script').count()).toBe(0)
    expect(requests.filter((u) => u.includes('wx.qq.com') || u.includes('/wechat/'))).toEqual([])
    expect(cspErrors).toEqual([])
    await ctx.close()
  })

  it('the H5 in WeChat: the bulletin and the 红黑榜 period set their cards, one signature for the visit', async () => {
    const { page, ctx, requests, cspErrors } = await phone(WECHAT_UA)
    await page.goto(`${base}/#/b/${bulletin.id}`)
    let r = await lastCard(page, bulletin.title)
    expect(bulletin.title).toMatch(/整改通报.*第\d+期/)
    expect(r.app.at(-1)!.desc).toMatch(/^本期通报1个网友反映问题的整改情况：/)
    expect(r.app.at(-1)!.link).toBe(`${base}/#/b/${bulletin.id}`)
    expect(r.app.at(-1)!.imgUrl).toBe(`${base}/share.png`)
    expect(r.timeline.at(-1)).toEqual({ title: bulletin.title, link: `${base}/#/b/${bulletin.id}`, imgUrl: `${base}/share.png` })
    expect(wx.verifySignature({ ...r.config!, url: `${base}/` })).toBe(true)
    // Another public page of the same visit: a hash route, so the same signature serves.
    await page.evaluate((id) => (location.hash = `#/rb/${id}`), period.id)
    r = await lastCard(page, period.title)
    expect(period.title).toMatch(/红黑榜\(第\d+期\)/)
    expect(r.app.at(-1)!.desc).toMatch(/红榜\d+个/)
    expect(r.app.at(-1)!.link).toBe(`${base}/#/rb/${period.id}`)
    // Leaving for a page without a card of its own gives the app's card back, for that page's link.
    await page.evaluate(() => (location.hash = '#/b'))
    r = await lastCard(page, '崇川在线')
    expect(r.app.at(-1)!.link).toBe(`${base}/#/b`)
    expect(requests.filter((u) => u.includes('/api/v1/public/wechat/js-config'))).toHaveLength(1)
    expect(requests.filter((u) => u === SDK_URL)).toHaveLength(1)
    expect(cspErrors).toEqual([])
    await ctx.close()
  })

  it('the H5 elsewhere: the bulletin page never loads the SDK nor asks for a signature', async () => {
    const { page, ctx, requests } = await phone()
    await page.goto(`${base}/#/b/${bulletin.id}`)
    await page.locator('[data-test=bulletin-title]').waitFor()
    await page.waitForLoadState('networkidle')
    expect(requests.filter((u) => u.includes('wx.qq.com') || u.includes('/wechat/'))).toEqual([])
    await ctx.close()
  })

  it('keeps /home painting first in WeChat: LCP on Slow 4G + 4× CPU with and without the script (printed)', async () => {
    const lcp: Record<string, number> = {}
    for (const [name, ua] of [
      ['wechat', WECHAT_UA],
      ['other', undefined],
    ] as const) {
      const { page, ctx } = await phone(ua)
      const cdp = await ctx.newCDPSession(page)
      await cdp.send('Network.enable')
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 })
      await page.goto(`${base}/home`)
      await page.getByText('累计堵漏').waitFor()
      lcp[name] = await page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            new PerformanceObserver((l) => resolve(l.getEntries().at(-1)!.startTime)).observe({ type: 'largest-contentful-paint', buffered: true })
            setTimeout(() => resolve(Number.NaN), 5000)
          }),
      )
      await ctx.close()
    }
    console.log(`[wechat-share] /home LCP on Slow 4G + 4× CPU: in WeChat ${(lcp.wechat! / 1000).toFixed(2)} s, elsewhere ${(lcp.other! / 1000).toFixed(2)} s`)
    expect(lcp.wechat).toBeLessThanOrEqual(2500)
  }, 60_000)
})
