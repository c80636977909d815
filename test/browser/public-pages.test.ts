import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * What a crawler, a shared link's preview and Lighthouse's SEO and best-practices audits read on the pages
 * anyone may open without logging in: the title and meta description of each route (set by the router, in
 * place also after an in-app navigation), the page language, and a console free of errors with no request
 * leaving our origin. `pnpm lighthouse` scores the same pages.
 */
const PAGES = [
  { hash: '#/login', title: '登录 - 崇川在线', description: /^登录崇川在线：/ },
  { hash: '#/b', title: '整改通报 - 崇川在线', description: /^崇川区网友反馈问题整改通报：逐期公开/ },
  { hash: '#/q', title: '查询进度 - 崇川在线', description: /^凭回执上的跟踪码/ },
]

// (expect.poll, not page.waitForFunction: our CSP has no 'unsafe-eval', which Playwright's polling needs.)
let env: BrowserEnv
beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

describe('public pages', () => {
  for (const p of PAGES) {
    it(`${p.hash}: own title and description, zh-CN, no console error, no third-party request`, async () => {
      const page = await env.phone()
      const errors: string[] = []
      const foreign: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text())
      })
      page.on('request', (r) => {
        if (!r.url().startsWith(env.base) && !r.url().startsWith('data:')) foreign.push(r.url())
      })
      await page.goto(`${env.base}/${p.hash}`)
      await expect.poll(() => page.title()).toBe(p.title)
      await page.waitForLoadState('networkidle')
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
      const descriptions = await page.evaluate(() => [...document.querySelectorAll('meta[name="description"]')].map((m) => m.getAttribute('content')))
      expect(descriptions).toHaveLength(1)
      expect(descriptions[0]).toMatch(p.description)
      expect(errors).toEqual([])
      expect(foreign).toEqual([])
      await page.context().close()
    })
  }

  it('changes the description on an in-app navigation', async () => {
    const page = await env.phone()
    await page.goto(`${env.base}/#/b`)
    await expect.poll(() => page.title()).toBe('整改通报 - 崇川在线')
    const description = () => page.evaluate(() => document.querySelector('meta[name="description"]')?.getAttribute('content') ?? null)
    expect(await description()).toMatch(/^崇川区网友反馈问题整改通报/)
    await page.evaluate(() => (window.location.hash = '#/q'))
    await expect.poll(() => page.title()).toBe('查询进度 - 崇川在线')
    expect(await description()).toMatch(/^凭回执上的跟踪码/)
    await page.evaluate(() => (window.location.hash = '#/login'))
    await expect.poll(() => page.title()).toBe('登录 - 崇川在线')
    expect(await description()).toMatch(/^登录崇川在线/)
    await page.context().close()
  })
})
