import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 8, the street's overview (/s, 390×844): the community workers' 今日待办 counted per community —
 * alerts, missed follow-ups, follow-ups due, NATs, releases, new registrations — the same numbers as
 * GET /quarantine/today/summary, with no violation for axe.
 */
let env: BrowserEnv
let page: Page

beforeAll(async () => {
  env = await startBrowserEnv()
  page = await env.phone()
  await loginAsStaff(env, page, 'rengang')
  await page.waitForURL((u) => u.hash.startsWith('#/s'))
}, 120_000)
afterAll(() => env?.close())

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

describe('street overview: today per community', () => {
  it('lists the street’s communities with the counts of the summary, alerts first, in words', async () => {
    const rows = page.locator('[data-test=street-today-row]')
    await rows.first().waitFor()
    const rengang = (await env.app.pool.query(`SELECT path FROM org_units WHERE name = '任港街道'`)).rows[0].path as string
    const communities = (await env.app.pool.query(`SELECT id FROM org_units WHERE kind = 'community' AND path LIKE $1`, [`${rengang}%`])).rows
    await expect.poll(() => rows.count()).toBe(communities.length)
    // The numbers on screen are the summary's, read the same moment (the seed's clocks do not move in between).
    const { todaySummary } = await import('../../server/src/modules/quarantine/quarantine.today.js')
    const sum = (await todaySummary(env.app.db, rengang)).items as Record<string, number | string>[]
    const first = rows.first()
    const id = Number(await first.getAttribute('data-community'))
    const s = sum.find((x) => x.communityId === id)!
    expect(Number(s.alert)).toBe(Math.max(...sum.map((x) => Number(x.alert))))
    for (const k of ['alert', 'overdue', 'due_now', 'nat_due', 'release_due', 'new_registration'])
      expect(Number(await first.locator(`[data-kind=${k}] dd`).textContent()), k).toBe(Number(s[k]))
    // Status in words, not colour alone: the labels are there.
    await expect(first.textContent()).resolves.toMatch(/预警.*随访逾期.*待随访.*核酸待检.*可解除.*新登记/)
    const total = await page.locator('[data-test=street-today-total]').textContent()
    expect(total).toContain(`预警 ${sum.reduce((a, x) => a + Number(x.alert), 0)}`)

    await page.waitForTimeout(350)
    await page.evaluate(AXE)
    const r = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }))
    expect((r.violations as any[]).flatMap((v) => (v.nodes as any[]).map((n) => `${v.id} ${n.target.join(' ')}`))).toEqual([])
    await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {})
    await env.shot(page, 'street-overview-today')
    await page.locator('[data-test=street-today]').scrollIntoViewIfNeeded()
    await env.shot(page, 'street-overview-today-scrolled')
  }, 60_000)
})
