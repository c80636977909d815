import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { beijingDate, addDays, exportRawPublicKey, generateSigningKeyPair, phoneQrText } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { markOverdueFollowups } from '../../server/src/jobs/quarantine.js'
import { todayList } from '../../server/src/modules/quarantine/quarantine.today.js'
import { residentLogin } from '../helper.js'
import { RENGANG_XINCUN } from '../api/flow.js'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 8, the resident's side of the quarantine loop and its link to the gate, in Chromium at 390×844:
 * a resident registers their return from the H5, the community worker (daqing, through the API) places
 * them in home quarantine, they report 37.8 ℃ and the worker's today list shows the alert; menwei's gate
 * refuses them going out, online and then offline from the cached pack; a missed slot becomes overdue when
 * the job runs with a moved clock; released once the conditions hold, they see the notice and pass again.
 */
const RESIDENT_PHONE = '13600000831'
const NAME = '周返乡'

let env: BrowserEnv
let resident: Page
let daqing: Record<string, string>
let menwei: Record<string, string>
let passId = 0
let eastGate = 0
let communityId = 0
let returneeId = 0
let caseId = 0
let qr: () => Promise<string>

/** GB 11643 check digit. */
function idNumber(base17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...base17].reduce((s, d, i) => s + Number(d) * w[i]!, 0)
  return base17 + '10X98765432'[sum % 11]
}
const ID_NUMBER = idNumber('32060219750302123')

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
async function axe(page: Page): Promise<string[]> {
  await page.waitForTimeout(300)
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
  // A popup's overlay fading out after it closed is not what anyone reads.
  await expect.poll(() => page.locator('.van-overlay:visible').count(), { timeout: 5000 }).toBe(0)
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const r = await page.evaluate(() => (window as any).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }))
  return (r.violations as any[]).flatMap((v) => (v.nodes as any[]).map((n) => `${v.id}: ${n.target.join(' ')} ${n.any?.[0]?.message ?? ''}`))
}

async function password(username: string) {
  const r = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login/password', payload: { username, password: 'cc123456' } })
  expect(r.statusCode, r.body).toBe(200)
  return { authorization: `Bearer ${r.json().accessToken}` }
}
const post = (url: string, headers: Record<string, string>, payload: unknown = {}) => env.app.inject({ method: 'POST', url, headers, payload: payload as object })
const get = (url: string, headers: Record<string, string>) => env.app.inject({ url, headers })
const scanOut = async () => post('/api/v1/gate/checks', menwei, { clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: eastGate, direction: 'out', code: await qr(), temperature: null, mask: null, color: null })

/** The gate phone's cached pack, read from its IndexedDB (what an offline verdict is decided from). */
const cachedQuarantined = (gate: Page) =>
  gate.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('cc-gate')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const all = open.result.transaction('packs').objectStore('packs').getAll()
          all.onsuccess = () => resolve((all.result as { pack: { deny: { quarantinedPassIds: number[] } } }[]).flatMap((p) => p.pack.deny.quarantinedPassIds))
        }
      }),
  )

beforeAll(async () => {
  env = await startBrowserEnv()
  daqing = await password('daqing')
  menwei = await password('menwei')
  // The resident is on 任港路新村's register with a pass, linked to the account the phone signs in with
  // (as test/browser/gate.test.ts does), and their phone has enabled the pass: its key made here.
  const me = await residentLogin(env.app, RESIDENT_PHONE)
  const compound = await findOrgByNames(env.app.db, RENGANG_XINCUN)
  communityId = (await findOrgByNames(env.app.db, RENGANG_XINCUN.slice(0, 2))).id
  eastGate = (await findOrgByNames(env.app.db, [...RENGANG_XINCUN, '东门'])).id
  await env.app.pool.query(`INSERT INTO buildings (compound_id, name, units) VALUES ($1, '1幢', 2) ON CONFLICT DO NOTHING`, [compound.id])
  const building = (await env.app.pool.query(`SELECT id FROM buildings WHERE compound_id = $1 ORDER BY id LIMIT 1`, [compound.id])).rows[0].id
  const hh = await post('/api/v1/register/households', daqing, { compoundId: compound.id, buildingId: building, unit: 1, room: '831' })
  expect(hh.statusCode, hh.body).toBeLessThan(300)
  const member = await post(`/api/v1/register/households/${hh.json().id}/residents`, daqing, {
    name: NAME,
    idNumber: ID_NUMBER,
    phone: RESIDENT_PHONE,
    relation: '户主',
    elderlyAlone: false,
    noSmartphone: false,
    disabled: false,
  })
  expect(member.statusCode, member.body).toBe(201)
  await env.app.pool.query(`UPDATE residents SET user_id = $1 WHERE id = $2 AND user_id IS NULL`, [me.userId, member.json().id])
  passId = member.json().passId
  const keys = await generateSigningKeyPair(false)
  const bound = await post(`/api/v1/me/passes/${passId}/device`, me.headers, { publicKey: await exportRawPublicKey(keys.publicKey) })
  expect(bound.statusCode, bound.body).toBe(200)
  const credential = bound.json().credential as string
  qr = () => phoneQrText(credential, keys.privateKey, Math.floor(Date.now() / 1000))

  resident = await env.phone()
  await resident.context().addCookies([{ name: 'cc_rt', value: me.cookie, url: env.base }])
  await resident.context().addInitScript(() => localStorage.setItem('cc.session', '1'))
}, 120_000)

afterAll(() => env?.close())

describe('the resident’s quarantine loop and the gate link (Chromium, 390×844)', () => {
  it('a resident registers their return from the H5 (返崇登记)', async () => {
    await resident.goto(`${env.base}/#/r`)
    await resident.locator('[data-test=home-return]').click()
    await resident.locator('[data-test=return-new]').waitFor()
    await env.shot(resident, 'quarantine-return-list-empty')
    expect(await axe(resident)).toEqual([])
    await resident.locator('[data-test=return-new]').click()
    const form = resident.locator('[data-test=return-form]')
    await form.waitFor()
    // Submitting empty says what is missing, and sends nothing.
    await resident.locator('[data-test=rf-submit]').click()
    await expect.poll(() => resident.locator('.field-error, .van-field__error-message').count()).toBeGreaterThan(3)
    expect(await env.app.pool.query('SELECT count(*)::int AS n FROM returnees WHERE phone_last4 = $1', [RESIDENT_PHONE.slice(-4)]).then((r) => r.rows[0].n)).toBe(0)

    await resident.locator('[data-test=rf-self]').click()
    await resident.locator('[data-test=rf-name] input').fill(NAME)
    await resident.locator('[data-test=rf-id] input').fill(ID_NUMBER)
    await resident.locator('[data-test=rf-phone] input').fill(RESIDENT_PHONE)
    await resident.locator('[data-test=rf-compound-search] input').fill('任港路新村')
    await resident.locator('[data-test=rf-compound-hit]').first().click()
    await resident.locator('[data-test=rf-address] input').fill('1幢1单元831')
    // The Vant Area picker fed by @vant/area-data: 湖北省 → 武汉市 → 江岸区 (the first city and district).
    await resident.locator('[data-test=rf-origin] input').click()
    const province = resident.locator('.van-picker-column').first().locator('.van-picker-column__item', { hasText: '湖北省' })
    await province.dispatchEvent('click')
    await expect.poll(() => resident.locator('.van-picker-column').nth(1).locator('.van-picker-column__item--selected').textContent()).toBe('武汉市')
    await resident.waitForTimeout(400)
    await resident.locator('.van-picker__confirm').click()
    await expect.poll(() => resident.locator('[data-test=rf-origin] input').inputValue()).toBe('湖北省武汉市江岸区')
    await resident.locator('[data-test=rf-route] input').fill('武汉—南京—南通')
    const today = beijingDate(new Date())
    await resident.locator('[data-test=rf-departed] input').fill(addDays(today, -1))
    await resident.locator('[data-test=rf-transport-train]').click()
    await resident.locator('[data-test=rf-transport-no] input').fill('G1234')
    await resident.locator('[data-test=rf-contact-no]').click()
    await resident.locator('[data-test=rf-color-green]').click()
    // 行程卡截图: compressed in the page, uploaded as purpose travel_card, attached to the trip on submit.
    const card = await resident.evaluate(() => {
      const c = document.createElement('canvas')
      c.width = 600
      c.height = 900
      const g = c.getContext('2d')!
      g.fillStyle = '#2f9e5a'
      g.fillRect(0, 0, 600, 900)
      g.fillStyle = '#fff'
      g.font = '48px sans-serif'
      g.fillText('通信大数据行程卡', 60, 200)
      return c.toDataURL('image/jpeg', 0.9).split(',')[1]!
    })
    await resident.locator('[data-test=rf-travel-card] input[type=file]').setInputFiles({ name: 'card.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(card, 'base64') })
    await resident.locator('[data-test=rf-travel-card] [data-uploaded="1"]').waitFor({ timeout: 20_000 })
    await env.shot(resident, 'quarantine-return-form')
    expect(await axe(resident)).toEqual([])

    const posted = resident.waitForRequest((r) => r.url().endsWith('/api/v1/me/returnees') && r.method() === 'POST')
    await resident.locator('[data-test=rf-submit]').click()
    // One Idempotency-Key per filled form, as the complaint form sends it.
    expect((await posted).headers()['idempotency-key']).toMatch(/^[\w-]{16,}$/)
    await resident.waitForURL(/#\/r\/return\/\d+$/)
    returneeId = Number(resident.url().match(/(\d+)$/)![1])
    const status = resident.locator('[data-test=return-status]')
    await expect.poll(() => status.getAttribute('data-state')).toBe('registered')
    await expect(status.textContent()).resolves.toContain('待研判')
    await expect(status.textContent()).resolves.toContain('湖北省武汉市江岸区')
    await env.shot(resident, 'quarantine-return-registered')
    expect(await axe(resident)).toEqual([])

    const row = (await env.app.pool.query(`SELECT r.current_case_id AS "caseId", r.household_id IS NOT NULL AS "onRegister", t.transport_no AS no, t.source, t.travel_card_upload_id IS NOT NULL AS card FROM returnees r JOIN returnee_trips t ON t.returnee_id = r.id WHERE r.id = $1`, [returneeId])).rows
    expect(row).toHaveLength(1)
    expect(row[0]).toMatchObject({ onRegister: true, no: 'G1234', source: 'self', card: true })
    caseId = row[0].caseId
  }, 90_000)

  it('placed in home quarantine by the worker, the resident reports 37.8 ℃ and the worker’s today list shows the alert', async () => {
    const d = await post(`/api/v1/quarantine/cases/${caseId}/decide`, daqing, { measure: 'home', reason: '武汉返崇，居家隔离14天' })
    expect(d.statusCode, d.body).toBe(200)
    // Slots open at 06:00 and 14:00 Beijing time; the test may run at night, when none is open: the first
    // one is opened now (only its opening time moves).
    const slot = (await env.app.pool.query(`UPDATE followup_slots SET opens_at = least(opens_at, now() - interval '1 minute') WHERE id = (SELECT id FROM followup_slots WHERE case_id = $1 ORDER BY due_at LIMIT 1) RETURNING id, slot`, [caseId])).rows[0]

    await resident.reload()
    await resident.locator('[data-test=quarantine-days]').waitFor()
    await expect(resident.locator('[data-test=quarantine-days]').textContent()).resolves.toContain('13')
    await expect(resident.locator('[data-test=return-state]').textContent()).resolves.toBe('居家隔离')
    await resident.locator(`[data-test=report-${slot.slot}]`).click()
    // No default temperature: submitting without one is refused on the page.
    await resident.locator('[data-test=report-submit]').click()
    await resident.locator('.report [role=alert]').waitFor()
    for (const k of '378') await resident.locator(`[data-test=temp-key-${k}]`).click()
    await resident.locator('[data-test=sym-none]').click()
    await resident.locator('[data-test=report-form]').scrollIntoViewIfNeeded()
    await env.shot(resident, 'quarantine-self-report')
    expect(await axe(resident)).toEqual([])
    await resident.locator('[data-test=report-submit]').click()
    await resident.locator('.van-dialog').getByText('已通知社区').waitFor()
    await resident.locator('.van-dialog__confirm').click()
    await expect.poll(() => resident.locator(`[data-test=slot-${slot.slot}]`).getAttribute('data-status')).toBe('abnormal')
    await expect(resident.locator(`[data-test=slot-${slot.slot}]`).textContent()).resolves.toContain('37.8 ℃')
    await env.shot(resident, 'quarantine-self-reported')

    const today = await get('/api/v1/quarantine/today', daqing)
    expect(today.statusCode, today.body).toBe(200)
    const alert = (today.json().items as { kind: string; caseId: number; detail: string }[]).find((i) => i.kind === 'alert' && i.caseId === caseId)
    expect(alert?.detail).toContain('37.8')
    expect(today.json().items[0].kind).toBe('alert')
  }, 90_000)

  it('the gate refuses them going out, online: 禁止 with 居家隔离期间不得外出, and the worker is alerted', async () => {
    const out = await scanOut()
    expect(out.statusCode, out.body).toBe(200)
    expect(out.json().verdict).toBe('deny')
    expect(out.json().reasons.map((r: { text: string }) => r.text)).toContain('居家隔离期间不得外出')
    const today = (await get('/api/v1/quarantine/today', daqing)).json()
    expect(today.items.some((i: { kind: string; title: string; caseId: number }) => i.kind === 'alert' && i.title === '卡口预警' && i.caseId === caseId)).toBe(true)
  })

  it('offline: menwei’s gate phone has the pass in its cached deny list and refuses the card with no network', async () => {
    const card = await post('/api/v1/passes/cards', daqing, { passIds: [passId] })
    expect(card.statusCode, card.body).toBeLessThan(300)
    const code = card.json().items[0].code as string
    const gate = await env.phone()
    await loginAsStaff(env, gate, 'menwei')
    await gate.locator('[data-test^=gate-pick-]').first().waitFor({ timeout: 20_000 })
    await gate.locator(`[data-test=gate-pick-${eastGate}]`).click()
    await gate.locator('[data-test=pack-age]').filter({ hasText: '更新' }).waitFor({ timeout: 20_000 })
    await expect.poll(() => cachedQuarantined(gate)).toContain(passId)

    await gate.context().setOffline(true)
    await gate.locator('[data-test=offline-banner]').waitFor()
    await gate.locator('[data-test=dir-out]').click()
    await gate.locator('[data-test=card-entry]').click()
    await gate.locator('[data-test=card-code] input').fill(code)
    await gate.locator('[data-test=card-submit]').click()
    // A deny known from the pass alone is shown at once, before anything is measured.
    await gate.locator('[data-test=verdict], [data-test=gate-input]').first().waitFor()
    if (await gate.locator('[data-test=gate-input]').isVisible()) {
      if (await gate.locator('[data-test=temp-key-3]').isVisible()) for (const k of '365') await gate.locator(`[data-test=temp-key-${k}]`).click()
      await gate.locator('[data-test=judge]').click()
    }
    const verdict = gate.locator('[data-test=verdict]')
    await verdict.waitFor()
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('deny')
    await expect(verdict.textContent()).resolves.toContain('居家隔离期间不得外出')
    await env.shot(gate, 'quarantine-gate-offline-deny')
    expect(await axe(gate)).toEqual([])
    await gate.locator('[data-test=verdict-close]').click()
    await gate.context().setOffline(false)
    // Back online, the queued check syncs and the server agrees.
    await expect
      .poll(async () => (await env.app.pool.query(`SELECT verdict, offline FROM gate_checks WHERE pass_id = $1 AND offline ORDER BY id DESC LIMIT 1`, [passId])).rows[0], { timeout: 30_000 })
      .toEqual({ verdict: 'deny', offline: true })
    await gate.context().close()
  }, 90_000)

  it('a slot nobody filled becomes an overdue item when the job runs past its deadline', async () => {
    const next = (await env.app.pool.query(`SELECT id, due_at FROM followup_slots WHERE case_id = $1 AND recorded_at IS NULL ORDER BY due_at LIMIT 1`, [caseId])).rows[0]
    const clock = new Date(new Date(next.due_at).getTime() + 60_000)
    expect((await markOverdueFollowups(env.app.db, clock)).marked).toBeGreaterThanOrEqual(1)
    expect((await env.app.pool.query('SELECT overdue FROM followup_slots WHERE id = $1', [next.id])).rows[0].overdue).toBe(true)
    const list = await todayList(env.app.db, communityId, clock)
    expect(list.items.find((i) => i.kind === 'overdue' && i.targetId === next.id)).toMatchObject({ title: '随访逾期', caseId })
    // The resident sees it too: on today's card, or among the missed ones of other days.
    await resident.reload()
    await resident.locator('[data-test=quarantine-days]').waitFor()
    await expect.poll(async () => (await resident.locator('[data-status=overdue]').count()) + (await resident.locator('[data-test=missed-slots]').count())).toBeGreaterThan(0)
    await env.shot(resident, 'quarantine-overdue')
  }, 60_000)

  it('released once the conditions hold: the resident sees the notice and the gate lets them out again', async () => {
    // Fourteen days cannot pass in a test: the whole period moves back 13 days, as if placed then, so the
    // end date is today and the earlier slots are past.
    await env.app.pool.query(
      `UPDATE quarantine_cases SET start_on = start_on - 13, end_on = end_on - 13, started_at = started_at - interval '13 days' WHERE id = $1`,
      [caseId],
    )
    // In two steps: one shift of 13 days would collide, row by row, with the slot 13 days earlier still in place.
    await env.app.pool.query(`UPDATE followup_slots SET slot_date = slot_date - 10000 WHERE case_id = $1`, [caseId])
    await env.app.pool.query(`UPDATE followup_slots SET slot_date = slot_date + 9987, opens_at = opens_at - interval '13 days', due_at = due_at - interval '13 days' WHERE case_id = $1`, [caseId])
    await env.app.pool.query(`UPDATE nat_tests SET due_on = due_on - 13 WHERE case_id = $1`, [caseId])
    const early = await post(`/api/v1/quarantine/cases/${caseId}/release`, daqing)
    expect(early.statusCode).toBe(409)

    // The worker handles the alert and records the normal re-checks of every later slot that has opened; the
    // fever reading of day 1 stays as it was (an old, handled fever does not block the release).
    const c = (await get(`/api/v1/quarantine/cases/${caseId}`, daqing)).json()
    for (const a of c.alerts) expect((await post(`/api/v1/quarantine/alerts/${a.id}/handle`, daqing, { note: '上门复测 36.6 ℃，无症状' })).statusCode).toBe(200)
    const now = Date.now()
    for (const f of c.followups as { id: number; opensAt: string; recordedAt: string | null }[])
      if (f.recordedAt === null && Date.parse(f.opensAt) <= now) expect((await post(`/api/v1/quarantine/followups/${f.id}`, daqing, { temperature: 36.6, symptoms: [] })).statusCode).toBe(200)
    expect((await env.app.pool.query(`SELECT count(*)::int AS n FROM followup_slots WHERE case_id = $1 AND abnormal`, [caseId])).rows[0].n).toBe(1)
    for (const n of c.nats as { id: number; dueOn: string }[])
      if (n.dueOn <= beijingDate(new Date())) expect((await post(`/api/v1/quarantine/nats/${n.id}`, daqing, { result: 'negative' })).statusCode).toBe(200)
    const rel = await post(`/api/v1/quarantine/cases/${caseId}/release`, daqing)
    expect(rel.statusCode, rel.body).toBe(200)
    expect(rel.json().state).toBe('released')

    await resident.reload()
    const notice = resident.locator('[data-test=release-notice]')
    await notice.waitFor()
    await expect(notice.textContent()).resolves.toContain('解除')
    await expect(resident.locator('[data-test=return-state]').textContent()).resolves.toBe('已解除')
    await env.shot(resident, 'quarantine-released')
    expect(await axe(resident)).toEqual([])
    // The notice in 消息 opens the resident's own page (it used to name /me/returnees, which the H5 has not).
    await resident.goto(`${env.base}/#/r/messages`)
    await resident.locator('[data-test=message-item]', { hasText: '解除隔离通知' }).first().click()
    await resident.waitForURL((u) => u.hash === `#/r/return/${returneeId}`)

    // No manual step at the gate: the next scan going out passes.
    const out = await scanOut()
    expect(out.json().verdict, out.body).toBe('pass')
    const pack = await get(`/api/v1/gate/pack?gateId=${eastGate}`, menwei)
    expect(pack.json().deny.quarantinedPassIds).not.toContain(passId)
  }, 90_000)

  it('the district keeps the key-area list and reads the daily counts; the street its own; the public only totals', async () => {
    const admin = await env.phone()
    await loginAsStaff(env, admin, 'admin')
    await admin.locator('[data-test=shortcut-quarantine-counts]').click()
    const table = admin.locator('[data-test=counts-table]')
    await table.waitFor()
    expect(await admin.locator('[data-test=counts-row]').count()).toBeGreaterThan(0)
    await expect(admin.locator('[data-test=counts-reconciled]').textContent()).resolves.toContain('已核对')
    await admin.locator('[data-test=counts-chart]').waitFor()
    expect(await axe(admin)).toEqual([])
    await env.shot(admin, 'quarantine-district-counts')
    await admin.locator('[data-test=counts-chart]').scrollIntoViewIfNeeded()
    await env.shot(admin, 'quarantine-district-chart')
    const download = admin.waitForEvent('download')
    await admin.locator('[data-test=export-counts]').click()
    expect((await download).suggestedFilename()).toMatch(/^隔离日报-\d{4}-\d{2}-\d{2}\.xlsx$/)
    await admin.locator('[data-test=by-community]').click()
    expect(await admin.locator('[data-test=counts-row]').count()).toBeGreaterThan(1)

    // 重点地区: 浙江省台州市 added through the Area picker, then retired; history keeps it.
    await admin.goto(`${env.base}/#/d/key-areas`)
    await admin.locator('[data-test=ka-add]').click()
    await admin.locator('[data-test=ka-level-city]').click()
    await admin.locator('[data-test=ka-area] input').click()
    await admin.locator('.van-picker-column').first().locator('.van-picker-column__item', { hasText: '浙江省' }).dispatchEvent('click')
    await expect.poll(() => admin.locator('.van-picker-column').nth(1).locator('.van-picker-column__item--selected').textContent()).toBe('杭州市')
    await admin.locator('.van-picker-column').nth(1).locator('.van-picker-column__item', { hasText: '台州市' }).dispatchEvent('click')
    await admin.waitForTimeout(400)
    await admin.locator('.van-picker__confirm').click()
    await expect.poll(() => admin.locator('[data-test=ka-area] input').inputValue()).toBe('浙江省台州市')
    await admin.locator('[data-test=ka-risk-high]').click()
    await env.shot(admin, 'quarantine-key-area-form')
    await admin.locator('[data-test=ka-save]').click()
    await admin.locator('.form-pop').waitFor({ state: 'hidden' })
    const added = admin.locator('[data-test=ka-item][data-code="331000"]')
    await added.waitFor()
    const row = (await env.app.pool.query(`SELECT id, level, risk FROM key_areas WHERE code = '331000' AND retired_at IS NULL`)).rows
    expect(row).toEqual([{ id: expect.any(Number), level: 'city', risk: 'high' }])
    await env.shot(admin, 'quarantine-key-areas')
    expect(await axe(admin)).toEqual([])
    await admin.locator(`[data-test=ka-retire-${row[0].id}]`).click()
    await admin.locator('.van-dialog__confirm').click()
    await added.waitFor({ state: 'detached' })
    await admin.locator('[data-test=ka-history]').click()
    await expect(admin.locator('[data-test=ka-item][data-code="331000"]').first().textContent()).resolves.toContain('已撤销')
    await admin.context().close()

    const street = await env.phone()
    await loginAsStaff(env, street, 'rengang')
    await street.locator('[data-test=shortcut-quarantine-counts]').click()
    await street.locator('[data-test=counts-table]').waitFor()
    const names = await street.locator('[data-test=counts-row] th').allTextContents()
    expect(names).toContain('大庆社区')
    await env.shot(street, 'quarantine-street-counts')
    expect(await axe(street)).toEqual([])
    await street.context().close()

    const anyone = await env.phone()
    await anyone.goto(`${env.base}/#/b`)
    const card = anyone.locator('[data-test=public-quarantine-totals]')
    await card.locator('[data-test=pt-home]').waitFor()
    const totals = (await get('/api/v1/quarantine/public/totals', {})).json()
    await expect(card.locator('[data-test=pt-home]').textContent()).resolves.toBe(String(totals.home))
    await expect(card.textContent()).resolves.not.toMatch(/\*|\d{4}\*/)
    await env.shot(anyone, 'quarantine-public-totals')
    expect(await axe(anyone)).toEqual([])
    await anyone.context().close()
  }, 120_000)
})
