import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserEnv, type BrowserEnv } from './browser.js'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

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

  // A forwarded link to a bulletin, period or entity that is not (or not yet) public: said so, with a way on.
  for (const [hash, text, back] of [
    ['#/b/999999', '通报不存在或尚未发布', '查看通报列表'],
    ['#/rb/999999', '红黑榜不存在或尚未发布', '查看往期榜单'],
    ['#/rb/e/999999', '没有这个单位的上榜记录', '查看红黑榜'],
  ] as const) {
    it(`${hash}: says it is not there and offers the list, with no retry and no axe violation`, async () => {
      const page = await env.phone()
      await page.goto(`${env.base}/${hash}`)
      await page.getByText(text).waitFor()
      await expect(page.getByRole('button', { name: '重试' }).count()).resolves.toBe(0)
      await page.evaluate(AXE)
      const r = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }))
      expect((r.violations as { id: string }[]).map((v) => v.id)).toEqual([])
      if (hash === '#/rb/999999') await env.shot(page, 'public-not-found-rb')
      await page.getByText(back).click()
      await page.waitForURL((u) => !u.hash.includes('999999'))
      await page.context().close()
    })
  }
})
