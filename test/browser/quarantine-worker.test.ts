import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin } from '../helper.js'
import { makeId, RENGANG_XINCUN } from '../api/register-helpers.js'
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
      trip: { provinceCode: '420000', cityCode: '420100', districtCode: '420106', originName: '湖北省武汉市武昌区', arrivedOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10), transport: 'train', transportNo: 'G7204', keyContact: false, healthColor: 'green' },
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
    await sheet.locator('[data-test=measure-save]').click()
    await sheet.waitFor({ state: 'hidden' })
    await expect.poll(() => page.locator('[data-test=case-state]').textContent()).toBe('居家隔离')
    expect(await page.locator('[data-test=case-period]').textContent()).toContain('还剩 14 天')
    // The event names the worker and the reason; the follow-up grid has this period's slots.
    expect(await page.locator('[data-test=case-events]').textContent()).toContain('来自重点地区，居家隔离14天')
    expect(await page.locator('[data-test=followup-grid] tbody tr').count()).toBeGreaterThanOrEqual(14)
    // Now only the moves the state machine allows: no second 研判.
    expect(await page.locator('[data-test=case-decide]').count()).toBe(0)
    expect(await page.locator('[data-test=case-move]').textContent()).toContain('转集中隔离')
    await noToast()
    await env.shot(page, 'quarantine-worker-case')
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    await page.waitForTimeout(200)
    await env.shot(page, 'quarantine-worker-case-bottom')
  })

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
    // Fast entry from the same room: the register's members are offered.
    await same.locator(`[data-test=sweep-add-${household}]`).click()
    const entry = page.locator('[data-test=sweep-entry]')
    await entry.waitFor()
    await page.waitForTimeout(400)
    await env.shot(page, 'quarantine-worker-sweep-entry')
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
  })
})
