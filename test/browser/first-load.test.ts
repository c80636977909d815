import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import type { CDPSession, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../helper.js'
import { startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * What a resident's phone downloads to see the login page, and how long until it shows, printed on every run
 * with generous limits so a regression fails the suite. Network and CPU as Chrome DevTools' "Slow 4G" preset
 * (also Lighthouse's mobile profile): 562.5 ms latency, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up, 4× CPU.
 */
const SLOW_4G = {
  offline: false,
  // FIRST_LOAD_LATENCY_MS=150 gives Lighthouse's simulated round-trip time instead, for comparison.
  latency: Number(process.env.FIRST_LOAD_LATENCY_MS ?? 562.5),
  downloadThroughput: (1.6e6 / 8) * 0.9,
  uploadThroughput: (750e3 / 8) * 0.9,
}
const CPU_SLOWDOWN = 4
const PROFILE = `(${SLOW_4G.latency} ms latency, 1.44 Mbit/s down, ${CPU_SLOWDOWN}× CPU)`
const LIMITS = { jsGzip: 100 * 1024, blockingCssGzip: 25 * 1024, lcpMs: 4000 }
const RUNS = 3

interface Loaded {
  url: string
  status: number
  mime: string
  encoding: string
  wire: number
  fromCache: boolean
  /** Seconds (CDP monotonic clock) when the request was sent and when its last byte arrived. */
  start: number
  end: number
}

let env: BrowserEnv
const dist = process.env.H5_DIST ?? path.join(ROOT, 'h5/dist')

beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

async function throttled(page: Page): Promise<{ cdp: CDPSession; loaded: Loaded[] }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G)
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN })
  const byId = new Map<string, Loaded>()
  const cached = new Set<string>()
  const loaded: Loaded[] = []
  const sent = new Map<string, number>()
  cdp.on('Network.requestWillBeSent', (e) => sent.set(e.requestId, e.timestamp))
  cdp.on('Network.requestServedFromCache', (e) => cached.add(e.requestId))
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]))
    byId.set(e.requestId, {
      url: e.response.url,
      status: e.response.status,
      mime: e.response.mimeType,
      encoding: h['content-encoding'] ?? '',
      wire: 0,
      start: sent.get(e.requestId) ?? 0,
      end: 0,
      fromCache: cached.has(e.requestId) || !!e.response.fromDiskCache,
    })
  })
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId)
    if (!r) return
    r.wire = e.encodedDataLength
    r.end = e.timestamp
    loaded.push(r)
  })
  return { cdp, loaded }
}

/** The last LCP candidate: the login page has settled by now, so it is the final one. */
const readLcp = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const all = list.getEntries()
          resolve(all[all.length - 1]!.startTime)
        }).observe({ type: 'largest-contentful-paint', buffered: true })
        setTimeout(() => resolve(Number.NaN), 5000)
      }),
  )

async function openLogin(page: Page, url: string) {
  await page.goto(url)
  await page.locator('[data-test=login-sms]').waitFor({ timeout: 30_000 })
  await page.waitForLoadState('networkidle')
}

const kind = (r: Loaded) =>
  /\.js(\?|$)/.test(r.url) ? 'JS' : /\.css(\?|$)/.test(r.url) ? 'CSS' : r.mime === 'text/html' ? 'HTML' : r.url.includes('/api/') ? 'API' : 'other'
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const s2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** Size of one URL as the server sends it for a given Accept-Encoding. */
async function sizeAs(url: string, acceptEncoding: string) {
  const r = await env.app.inject({ url: new URL(url).pathname, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} })
  return r.rawPayload.length
}

describe('first load of the login page (Slow 4G, 4× CPU)', () => {
  it('ships precompressed .br and .gz next to every JS and CSS file of the build', () => {
    const files = readdirSync(path.join(dist, 'assets'))
    // Files of a few dozen bytes do not get smaller and are left plain on purpose.
    const code = files.filter((f) => /\.(js|css)$/.test(f) && statSync(path.join(dist, 'assets', f)).size > 200)
    expect(code.length).toBeGreaterThan(5)
    const missing = code.filter((f) => !files.includes(`${f}.br`) || !files.includes(`${f}.gz`))
    expect(missing).toEqual([])
  })

  it('login route: prints bytes and LCP, stays under the limits, and a repeat visit fetches no asset again', async () => {
    const { lcps, first, repeat } = await coldLoads(`${env.base}/#/login`, true)

    const rows: string[] = [`login route ${PROFILE}`]
    const totals: Record<string, { n: number; raw: number; gzip: number; br: number; wire: number; enc: Set<string> }> = {}
    for (const r of first) {
      const k = kind(r)
      const t = (totals[k] ??= { n: 0, raw: 0, gzip: 0, br: 0, wire: 0, enc: new Set() })
      t.n++
      t.wire += r.wire
      t.enc.add(r.encoding || 'none')
      if (k !== 'API') {
        t.raw += await sizeAs(r.url, '')
        t.gzip += await sizeAs(r.url, 'gzip')
        t.br += await sizeAs(r.url, 'br')
      }
    }
    const row = (label: string, n: number, raw: number, gzip: number, br: number, wire: string) =>
      `  ${label.padEnd(8)}${String(n).padStart(5)}   ${kb(raw).padStart(12)}   ${kb(gzip).padStart(8)}   ${kb(br).padStart(8)}   ${wire}`
    rows.push('  first load  files   uncompressed       gzip     brotli   on the wire, headers included (encoding Chromium chose)')
    for (const [k, t] of Object.entries(totals)) rows.push(row(k, t.n, t.raw, t.gzip, t.br, `${kb(t.wire)} (${[...t.enc].join(', ')})`))
    const sum = (f: (t: (typeof totals)[string]) => number) => Object.values(totals).reduce((s, t) => s + f(t), 0)
    rows.push(row('total', first.length, sum((t) => t.raw), sum((t) => t.gzip), sum((t) => t.br), kb(sum((t) => t.wire))))

    // The CSS index.html links is render-blocking: nothing paints before all of it has arrived.
    const blocking = [...readFileSync(path.join(dist, 'index.html'), 'utf8').matchAll(/<link rel="stylesheet"[^>]*href="([^"]+\.css)"/g)].map((m) => m[1]!)
    let blockingGzip = 0
    for (const css of blocking) {
      const gz = await sizeAs(`${env.base}${css}`, 'gzip')
      blockingGzip += gz
      rows.push(`  render-blocking CSS ${css}: ${kb(await sizeAs(`${env.base}${css}`, ''))} uncompressed, ${kb(gz)} gzip`)
    }
    rows.push(`  LCP ${s2(median(lcps))} (median of ${RUNS}: ${lcps.map(s2).join(', ')})`)
    const refetched = repeat.filter((r) => r.url.includes('/assets/') && !r.fromCache)
    rows.push(`  repeat visit: ${repeat.length} responses, ${refetched.length} asset(s) fetched again, ${kb(repeat.reduce((s, r) => s + r.wire, 0))} on the wire`)
    if (process.env.FIRST_LOAD_WATERFALL) rows.push(...waterfall(first))
    console.log(rows.join('\n'))

    const notCompressed: string[] = []
    for (const r of first) if ((kind(r) === 'JS' || kind(r) === 'CSS') && !r.encoding && (await sizeAs(r.url, '')) > 1024) notCompressed.push(r.url)
    expect(notCompressed, 'JS/CSS sent uncompressed').toEqual([])
    expect(totals.JS!.gzip).toBeLessThanOrEqual(LIMITS.jsGzip)
    expect(blocking.length).toBeGreaterThan(0)
    expect(blockingGzip).toBeLessThanOrEqual(LIMITS.blockingCssGzip)
    expect(refetched.map((r) => `${r.status} ${r.url}`)).toEqual([])
    expect(median(lcps)).toBeLessThanOrEqual(LIMITS.lcpMs)
  }, 180_000)

  it('a new visitor opening the app root is sent to the login page within the LCP limit too', async () => {
    const { lcps, first } = await coldLoads(`${env.base}/`, false)
    const rows = [`app root → login ${PROFILE}`, `  ${first.length} requests, LCP ${s2(median(lcps))} (median of ${RUNS}: ${lcps.map(s2).join(', ')})`]
    if (process.env.FIRST_LOAD_WATERFALL) rows.push(...waterfall(first))
    console.log(rows.join('\n'))
    expect(median(lcps)).toBeLessThanOrEqual(LIMITS.lcpMs)
  }, 180_000)
})

/** RUNS loads in fresh contexts (empty cache); the first run's responses, and with `again` a repeat visit's. */
async function coldLoads(url: string, again: boolean) {
  const lcps: number[] = []
  let first: Loaded[] = []
  let repeat: Loaded[] = []
  for (let i = 0; i < RUNS; i++) {
    const page = await env.phone()
    const { loaded } = await throttled(page)
    await openLogin(page, url)
    lcps.push(await readLcp(page))
    if (i === 0) {
      first = [...loaded]
      if (again) {
        // The same page in the same tab later: only index.html may go to the server (to revalidate).
        loaded.length = 0
        await openLogin(page, `${env.base}/?again=1#/login`)
        repeat = [...loaded]
      }
    }
    await page.context().close()
  }
  return { lcps, first, repeat }
}

function waterfall(loaded: Loaded[]) {
  const t0 = Math.min(...loaded.map((r) => r.start))
  return [...loaded]
    .sort((a, b) => a.start - b.start)
    .map((r) => `    ${((r.start - t0) * 1000).toFixed(0).padStart(5)} → ${((r.end - t0) * 1000).toFixed(0).padStart(5)} ms  ${kb(r.wire).padStart(8)}  ${new URL(r.url).pathname}`)
}
