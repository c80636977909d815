import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin } from '../helper.js'
import { makeId, RENGANG_XINCUN } from '../api/register-helpers.js'
import { upload } from '../api/flow.js'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 8, the community worker's H5 (390×844): 今日待办 sorted by urgency with the seeded fever alert and
 * overdue follow-ups; a follow-up of 37.8 recorded from the list raises an alert; a self-registered
 * returnee is placed in home quarantine from the list; a sweep marks a room 无人应答 and the progress moves.
 */
let env: BrowserEnv
let page: Page
let caseId = 0

beforeAll(async () => {
  env = await startBrowserEnv()
  // A resident registers a family member through the API, as 返崇登记 would: it lands on 今日待办 as 新登记.
  const resident = await residentLogin(env.app, '13600000831')
  const compoundId = (await findOrgByNames(env.app.db, RENGANG_XINCUN)).id
  const card = await upload(env.app, resident.headers, 'travel_card')
  expect(card.statusCode, card.body).toBe(201)
  const res = await env.app.inject({
    method: 'POST',
    url: '/api/v1/me/returnees',
    headers: { ...resident.headers, 'idempotency-key': crypto.randomUUID() },
    payload: {
      forSelf: false,
      name: '缪晓燕',
      idNumber: makeId(8831),
      compoundId,
      address: '7幢1单元602',
      trip: { provinceCode: '420000', cityCode: '420100', districtCode: '420106', originName: '湖北省武汉市武昌区', arrivedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), transport: 'train', transportNo: 'G7204', keyContact: false, healthColor: 'green', travelCardUploadId: card.json().id },
    },
  })
  expect(res.statusCode, res.body).toBe(201)
  caseId = res.json().returnee.caseId
  expect(caseId).toBeGreaterThan(0)
  page = await env.phone()
  await loginAsStaff(env, page, 'daqing')
  await page.waitForURL((u) => u.hash.startsWith('#/c'))
}, 120_000)
afterAll(() => env?.close())

const rows = () => page.locator('[data-test=today-row]')
/** axe-core (WCAG 2.1 AA) on what is on screen now: the sheets and the building view that a11y.test.ts does not open. */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
async function axe(where: string) {
  await page.waitForTimeout(350)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const r = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }))
  const found = (r.violations as any[]).flatMap((v) => (v.nodes as any[]).map((n) => `${where}: ${v.id} ${n.target.join(' ')} ${n.any?.[0]?.message ?? ''}`))
  expect(found).toEqual([])
}
/** Screenshots without a toast fading over them. */
const noToast = () => page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
const count = async (kind: string) => Number(await page.locator(`[data-test=count-${kind}] .num`).textContent())

describe('community worker: quarantine in the H5', () => {
  it('opens on 今日待办 with the seeded fever alert on top and overdue follow-ups, each with its reason in words', async () => {
    await rows().first().waitFor({ timeout: 15_000 })
    expect(new URL(page.url()).hash).toBe('#/c')
    const first = rows().first()
    expect(await first.getAttribute('data-kind')).toBe('alert')
    // The seeded alert reads 37.8℃ with a cough, and says so in words, not colour alone.
    const alerts = page.locator('[data-test=today-row][data-kind=alert]')
    await expect.poll(() => alerts.filter({ hasText: '37.8' }).count()).toBeGreaterThan(0)
    expect(await first.locator('.q-tag').textContent()).toContain('预警')
    const overdue = page.locator('[data-test=today-row][data-kind=overdue]')
    expect(await overdue.count()).toBeGreaterThan(0)
    expect(await overdue.first().textContent()).toContain('体温未报')
    expect(await overdue.first().textContent()).toContain('已超期')
    // Sorted: no alert after the first overdue item.
    const kinds = await rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
    expect(kinds.lastIndexOf('alert')).toBeLessThan(kinds.indexOf('overdue'))
    await noToast()
    await env.shot(page, 'quarantine-worker-today')
  })

  it('records a follow-up of 37.8 from the list and sees a new alert', async () => {
    const before = await count('alert')
    const row = page.locator('[data-test=today-row][data-kind=overdue]').first()
    const name = (await row.locator('.name').textContent())!.trim()
    const detail = (await row.locator('.detail').textContent())!.trim()
    const slot = detail.slice(0, detail.indexOf('体温'))
    await row.locator('[data-test=act-overdue]').click()
    const sheet = page.locator('[data-test=followup-sheet]')
    await sheet.waitFor()
    for (const k of '378') await sheet.locator(`[data-test=temp-key-${k}]`).click()
    await expect.poll(() => sheet.locator('[data-test=temp-display]').textContent()).toContain('37.8')
    await expect.poll(() => sheet.textContent()).toContain('发热')
    await env.shot(page, 'quarantine-worker-followup-sheet')
    await axe('follow-up sheet')
    await sheet.locator('[data-test=followup-save]').click()
    await sheet.waitFor({ state: 'hidden' })
    await expect.poll(() => count('alert')).toBe(before + 1)
    const fresh = page.locator('[data-test=today-row][data-kind=alert]').filter({ hasText: name }).filter({ hasText: `${slot}随访异常：体温 37.8℃` })
    await expect.poll(() => fresh.count()).toBe(1)
  })

  it('decides home quarantine for a newly registered returnee and shows the case page', async () => {
    const row = page.locator(`[data-test=today-row][data-kind=new_registration][data-case="${caseId}"]`)
    await row.waitFor()
    expect(await row.textContent()).toContain('湖北省武汉市武昌区')
    await row.locator('[data-test=act-new_registration]').click()
    await page.waitForURL((u) => u.hash.startsWith(`#/c/quarantine/${caseId}`))
    const sheet = page.locator('[data-test=measure-sheet]')
    await sheet.waitFor()
    await sheet.locator('[data-test=measure-home]').click()
    await sheet.getByRole('button', { name: '来自重点地区，居家隔离14天' }).click()
    await env.shot(page, 'quarantine-worker-decide')
    await axe('measure sheet')
    await sheet.locator('[data-test=measure-save]').click()
    await sheet.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('[data-test=case-state]').textContent()).toBe('居家隔离')
    expect(await page.locator('[data-test=case-period]').textContent()).toContain('还剩 14 天')
    // The event names the worker and the reason; the follow-up grid has this period's slots.
    expect(await page.locator('[data-test=case-events]').textContent()).toContain('来自重点地区，居家隔离14天')
    await page.locator('[data-test=followup-more]').click()
    expect(await page.locator('[data-test=followup-grid] tbody tr').count()).toBeGreaterThanOrEqual(14)
    // Now only the moves the state machine allows: no second 研判.
    expect(await page.locator('[data-test=case-decide]').count()).toBe(0)
    expect(await page.locator('[data-test=case-move]').textContent()).toContain('转集中隔离')
    // The 行程卡 photo the resident attached, as a thumbnail that loads.
    const thumb = page.locator('[data-test=case-travel-card] img')
    await expect.poll(() => thumb.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0)).toBe(true)
    await noToast()
    await thumb.scrollIntoViewIfNeeded()
    await env.shot(page, 'quarantine-worker-travel-card')
    await env.shot(page, 'quarantine-worker-case')
    await axe('case page')
    // 延长隔离 7 days: a reason, confirm, and the period moves (an event with the reason).
    const end = /至 (\S+?)（/.exec((await page.locator('[data-test=case-period]').textContent())!)![1]!
    await page.locator('[data-test=case-extend]').click()
    const dialog = page.locator('[data-test=reason-dialog]')
    await dialog.waitFor()
    await dialog.getByRole('button', { name: '随访发现异常，延长观察' }).click()
    await axe('extend dialog')
    await dialog.getByRole('button', { name: '确认延长' }).click()
    await dialog.waitFor({ state: 'hidden' })
    const later = new Date(Date.parse(`${end}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10)
    await expect.poll(() => page.locator('[data-test=case-period]').textContent()).toContain(`至 ${later}`)
    expect(await page.locator('[data-test=case-events]').textContent()).toContain('随访发现异常，延长观察')
    // 转集中隔离: the sites show live occupancy; the full one refuses, a free one takes the person.
    await page.locator('[data-test=case-move]').click()
    const move = page.locator('[data-test=measure-sheet]')
    await move.waitFor()
    const full = move.locator('.m-site.full').first()
    await full.waitFor()
    expect(await full.textContent()).toMatch(/已住 (\d+) \/ 共 \1，已满，不能安排/)
    // aria-disabled: Playwright will not tap it, a thumb will.
    await full.dispatchEvent('click')
    await expect.poll(() => page.locator('.van-toast').first().textContent()).toContain('已满')
    expect(await full.getAttribute('aria-checked')).toBe('false')
    const free = move.locator('.m-site:not(.full)').first()
    const siteName = (await free.locator('.m-site-name').textContent())!
    await free.click()
    await move.locator('[data-test=measure-room]').locator('input').fill('A305')
    await move.getByRole('button', { name: '家中不具备隔离条件' }).click()
    await env.shot(page, 'quarantine-worker-move')
    await axe('move sheet')
    await move.locator('[data-test=measure-save]').click()
    await move.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('[data-test=case-state]').textContent()).toBe('集中隔离')
    expect(await page.locator('.person').textContent()).toContain(`${siteName} A305 房间`)
    // Day 1 NAT: 录结果 → 阴性, and the row says 阴性.
    const natButton = page.locator('[data-test^=nat-]').first()
    const natId = (await natButton.getAttribute('data-test'))!
    await natButton.click()
    await page.locator('.van-action-sheet').getByText('阴性', { exact: true }).waitFor()
    await axe('NAT sheet')
    await page.locator('.van-action-sheet').getByText('阴性', { exact: true }).click()
    await expect.poll(() => page.locator(`[data-test=${natId}]`).count()).toBe(0)
    expect(await page.locator('.nat').first().textContent()).toContain('阴性')
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    await noToast()
    await env.shot(page, 'quarantine-worker-case-bottom')
  }, 60_000)

  it('sweeps: marks a room 无人应答 and the building progress moves', async () => {
    await page.goto(`${env.base}/#/c/sweep`)
    const building = page.locator('[data-test^=sweep-building-]').first()
    await building.waitFor({ timeout: 15_000 })
    await noToast()
    await env.shot(page, 'quarantine-worker-sweep-buildings')
    const progress = async () => Number(/已扫 (\d+)/.exec((await page.locator('[data-test=room-progress]').textContent())!)![1])
    await building.click()
    await page.locator('[data-test=sweep-room]').first().waitFor()
    const before = await progress()
    const room = page.locator('[data-test=sweep-room]').filter({ has: page.locator('[data-test=room-mark]', { hasText: '未扫' }) }).first()
    const household = await room.getAttribute('data-household')
    await room.locator('[data-test=mark-no_answer]').click()
    const same = page.locator(`[data-test=sweep-room][data-household="${household}"]`)
    await expect.poll(() => same.locator('[data-test=room-mark]').textContent()).toBe('无人应答')
    await expect.poll(progress).toBe(before + 1)
    expect(await same.locator('[data-test=mark-no_answer]').getAttribute('aria-pressed')).toBe('true')
    await noToast()
    await env.shot(page, 'quarantine-worker-sweep-rooms')
    await axe('sweep rooms')
    // Fast entry from the same room: the register's members are offered.
    await same.locator(`[data-test=sweep-add-${household}]`).click()
    const entry = page.locator('[data-test=sweep-entry]')
    await entry.waitFor()
    await page.waitForTimeout(400)
    await env.shot(page, 'quarantine-worker-sweep-entry')
    await axe('sweep entry')
    const members = entry.locator('[data-test^=se-member-]:not([data-test=se-member-other]):not([disabled])')
    expect(await members.count()).toBeGreaterThanOrEqual(1)
    // One member of the room, from Wuhan by train today: saved with an Idempotency-Key; the room becomes 已登记.
    await members.first().click()
    await entry.locator('[data-test=se-origin-420100]').click()
    await entry.locator('[data-test=se-save]').click()
    await entry.waitFor({ state: 'hidden' })
    await expect.poll(() => same.locator('[data-test=room-mark]').textContent()).toBe('已登记')
    await expect.poll(() => same.locator('.member').first().textContent()).toContain('待研判')
  })

  it('lists the community\'s people by state, and the sites with their occupancy in words', async () => {
    await page.goto(`${env.base}/#/c/quarantine`)
    await page.locator('[data-test=returnee-row]').first().waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-test=state-tabs] [role=tab][aria-selected=true]').textContent()).toContain('居家隔离')
    expect(await page.locator('[data-test=returnee-row]').first().textContent()).toContain('居家隔离')
    await noToast()
    await env.shot(page, 'quarantine-worker-list')
    await page.goto(`${env.base}/#/c/quarantine/sites`)
    await page.locator('[data-test=site-row]').first().waitFor({ timeout: 15_000 })
    const texts = await page.locator('[data-test=site-row]').allTextContents()
    expect(texts.some((t) => t.includes('已满') && /已住 \d+ \/ 共 \d+/.test(t))).toBe(true)
    await env.shot(page, 'quarantine-worker-sites')
  })

  it('reads in 长辈版 (elder mode) too', async () => {
    await page.goto(`${env.base}/?elder=1#/c`)
    await rows().first().waitFor({ timeout: 15_000 })
    await noToast()
    await env.shot(page, 'quarantine-worker-today-elder')
    // The seeded fever alert's person: a case in progress, with readings in the grid and the alert to handle.
    await page.locator('[data-test=today-row][data-kind=alert]').filter({ hasText: '咳嗽' }).locator('button.main').click()
    await page.locator('[data-test=case-alert]').first().waitFor()
    expect(await page.locator('[data-test=followup-grid]').textContent()).toMatch(/37\.8℃ 异常/)
    await noToast()
    await env.shot(page, 'quarantine-worker-case-elder')
    await page.locator('[data-test=followup-grid]').scrollIntoViewIfNeeded()
    await env.shot(page, 'quarantine-worker-case-elder-grid')
    await axe('case page (长辈版)')
  })
})
