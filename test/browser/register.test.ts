import ExcelJS from 'exceljs'
import type { Page } from 'playwright-core'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin, staffToken } from '../helper.js'
import { DAQING, RENGANG_XINCUN } from '../api/flow.js'
import { loginAsStaff, SHOTS, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 7, the community worker's register through the H5 (daqing at 390×844): find a household by name and
 * by phone suffix, add a member (a bad ID number refused on the phone, a valid one accepted), import a
 * spreadsheet (a row error blocks the commit; the corrected file goes in), and print cards for residents
 * without a smartphone (A6 cards, 4 per A4 sheet, print CSS).
 */
let env: BrowserEnv
let page: Page
let compoundId = 0
let householdId = 0
const buildings: Record<string, number> = {}

/** A valid 18-digit ID number (GB 11643 check character) for a birth date and sequence. */
function idNumber(birth: string, seq: number, region = '320602') {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * w[i]!, 0)
  return first17 + '10X98765432'[sum % 11]
}
/** The same number with a wrong check character. */
const badChecksum = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1')

async function shot(p: Page, name: string) {
  await p.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
  await p.waitForTimeout(300)
  await env.shot(p, `register-${name}`)
}

async function sheet(rows: (string | number)[][], file: string) {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('住户')
  ws.addRow(['楼栋', '单元', '房号', '姓名', '身份证号', '手机号', '与户主关系', '独居老人', '无智能手机', '残疾'])
  for (const r of rows) ws.addRow(r)
  const out = path.join(SHOTS, '..', file)
  await wb.xlsx.writeFile(out)
  return out
}

beforeAll(async () => {
  env = await startBrowserEnv()
  const compound = await findOrgByNames(env.app.db, RENGANG_XINCUN)
  compoundId = compound.id
  // Buildings come from the seed when it has them; otherwise three are made here (the register has no
  // route to create buildings: they are the street's reference data).
  const have = await env.app.pool.query<{ id: number; name: string }>('SELECT id, name FROM buildings WHERE compound_id = $1 ORDER BY id', [compoundId])
  if (have.rows.length < 2) {
    for (const [name, units] of [['1幢', 2], ['2幢', 1], ['3幢', 3]] as const) {
      await env.app.pool.query('INSERT INTO buildings (compound_id, name, units) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [compoundId, name, units])
    }
  }
  for (const b of (await env.app.pool.query<{ id: number; name: string }>('SELECT id, name FROM buildings WHERE compound_id = $1 ORDER BY id', [compoundId])).rows) buildings[b.name] = b.id
  const [first] = Object.values(buildings)
  // One household with an elderly resident without a smartphone, as a worker would have registered it.
  const worker = (await staffToken(env.app, 'community_worker', DAQING)).headers
  const h = await env.app.inject({ method: 'POST', url: '/api/v1/register/households', headers: worker, payload: { compoundId, buildingId: first, unit: 1, room: '9502' } })
  if (h.statusCode >= 300) throw new Error(h.body)
  householdId = h.json().id
  const m = await env.app.inject({
    method: 'POST',
    url: `/api/v1/register/households/${householdId}/residents`,
    headers: worker,
    payload: { name: '钱老汉', idNumber: idNumber('19420315', 951), phone: '13905139876', relation: '户主', elderlyAlone: true, noSmartphone: true },
  })
  if (m.statusCode >= 300) throw new Error(m.body)
  page = await env.phone()
  await loginAsStaff(env, page, 'daqing')
  await page.waitForURL((u) => /^#\/\w/.test(u.hash) && !u.hash.startsWith('#/login'))
}, 120_000)
afterAll(() => env?.close())

describe('household register (community worker, H5)', () => {
  it('finds a household by name and by the last four digits of a phone', async () => {
    await page.locator('.van-tabbar-item', { hasText: '住户' }).click()
    await page.waitForURL(/#\/c\/register/)
    await page.locator('[data-test=household-row]').first().waitFor()
    await shot(page, '01-list')

    // A full name finds the one household; the list shows it masked.
    await page.locator('[data-test=register-search] input').fill('钱老汉')
    await expect.poll(() => page.locator('[data-test=household-row]').count()).toBe(1)
    const row = page.locator(`[data-test=household-row][data-id="${householdId}"]`)
    await row.waitFor()
    expect(await row.textContent()).toContain('钱*')
    expect(await row.textContent()).toContain('独居老人')
    expect(await row.textContent()).toContain('无智能手机')
    expect(await row.textContent()).toContain('通行证：有效')
    // The full name never reaches the list.
    expect(await row.textContent()).not.toContain('钱老汉')

    // Four digits: a room or a phone's last four; the worker says which with one tap.
    await page.locator('[data-test=register-search] input').fill('9876')
    await page.locator('[data-test=search-mode-phone]').click()
    await page.locator(`[data-test=household-row][data-id="${householdId}"]`).waitFor()
    await shot(page, '02-search-phone')
    // "1-1-9502" as said on the phone: building 1, unit 1, room 9502.
    await page.locator('[data-test=register-search] input').fill('1-1-9502')
    await expect.poll(() => page.locator('[data-test=household-row]').count()).toBe(1)
    await page.locator(`[data-test=household-row][data-id="${householdId}"]`).waitFor()
    await page.locator('[data-test=register-search] input').fill('9876')
    // As a room, 9876 is no room of this compound.
    await page.locator('[data-test=search-mode-room]').click()
    await page.locator('[data-test=register-empty]').waitFor()
    await page.locator('[data-test=register-search] input').fill('')
  }, 60_000)

  it('adds a member: a bad ID checksum is refused on the phone, a valid number is registered with a pass', async () => {
    // 新增住户 with a room that is already registered opens that household.
    await page.goto(`${env.base}/#/c/register`)
    await page.locator('[data-test=shortcut-new]').click()
    await page.locator(`[data-test=building-${Object.values(buildings)[0]}]`).click()
    if (await page.locator('[data-test=unit-1]').count()) await page.locator('[data-test=unit-1]').click()
    await page.locator('[data-test=new-room] input').fill('9502')
    await shot(page, '03a-new-household')
    await page.locator('[data-test=new-submit]').click()
    await page.waitForURL(new RegExp(`#/c/register/h/${householdId}$`))
    await page.locator('[data-test=member-card]').first().waitFor()
    await page.locator('[data-test=add-member]').click()
    const form = page.locator('[data-test=member-form]')
    await form.waitFor()
    const good = idNumber('19450601', 962)
    await form.locator('[data-test=member-name] input').fill('钱老太')
    await form.locator('[data-test=member-id] input').fill(badChecksum(good))
    await form.locator('[data-test=member-phone] input').fill('13905131234')
    await form.locator('[data-test="relation-配偶"]').click()
    await form.locator('[data-test=flag-elderlyAlone]').click()
    await form.locator('[data-test=member-submit]').click()
    await expect.poll(() => form.locator('.van-field__error-message').first().textContent()).toContain('校验位')
    await shot(page, '03-member-bad-id')

    await form.locator('[data-test=member-id] input').fill(good.toLowerCase())
    await form.locator('[data-test=member-submit]').click()
    await expect.poll(() => page.locator('[data-test=member-card]').count()).toBe(2)
    const card = page.locator('[data-test=member-card]', { hasText: '配偶' })
    // Masked: never the whole number.
    expect(await card.textContent()).toMatch(/\d{4,6}\*{8,}\d{3}[\dX]/)
    expect(await card.textContent()).not.toContain(good)
    expect(await card.textContent()).toContain('尾号 1234')
    expect(await card.locator('[data-test=member-pass-status]').textContent()).toContain('有效')
    await shot(page, '04-household')

    // Suspend with a reason (one tap on a common one), then restore: the status is a word, not a colour.
    await card.locator('[data-test=pass-suspend]').click()
    const dialog = page.locator('[data-test=reason-dialog]')
    await dialog.getByRole('button', { name: '居家隔离' }).click()
    await dialog.locator('.van-dialog__confirm').click()
    await expect.poll(() => card.locator('[data-test=member-pass-status]').textContent()).toContain('暂停')
    await card.locator('[data-test=pass-restore]').click()
    await dialog.getByRole('button', { name: '隔离期满' }).click()
    await dialog.locator('.van-dialog__confirm').click()
    await expect.poll(() => card.locator('[data-test=member-pass-status]').textContent()).toContain('有效')
  }, 60_000)

  it('adds a building the compound did not have yet, and a household in it', async () => {
    await page.goto(`${env.base}/#/c/register/new`)
    await page.locator('[data-test=building-add-open]').click()
    await page.locator('[data-test=building-add-name] input').fill('88')
    await page.locator('.add-building .van-stepper__plus').click()
    await shot(page, '03b-add-building')
    await page.locator('[data-test=building-add-save]').click()
    const chip = page.locator('[data-test=new-building] [role=radio]', { hasText: '88幢' })
    await expect.poll(() => chip.getAttribute('aria-checked'), { timeout: 10_000 }).toBe('true')
    await page.locator('[data-test=unit-2]').click()
    await page.locator('[data-test=new-room] input').fill('301')
    await page.locator('[data-test=new-submit]').click()
    await page.waitForURL(/#\/c\/register\/h\/\d+$/)
    const row = await env.app.pool.query(`SELECT b.name, b.units, h.unit, h.room FROM households h JOIN buildings b ON b.id = h.building_id WHERE b.name = '88幢'`)
    expect(row.rows).toEqual([{ name: '88幢', units: 2, unit: 2, room: '301' }])
  }, 60_000)

  it('imports a spreadsheet: a row error blocks the commit, the corrected file goes in at once', async () => {
    const b = Object.keys(buildings)[0]!
    const rows = [
      [b, 1, '9101', '孙一', idNumber('19800101', 911), '13800001111', '户主', '', '', ''],
      [b, 1, '9101', '孙二', badChecksum(idNumber('19820202', 922)), '', '配偶', '', '是', ''],
      [b, 2, '9202', '周三', idNumber('19500303', 933), '', '户主', '是', '是', '是'],
    ]
    const bad = await sheet(rows, 'register-bad.xlsx')
    await page.goto(`${env.base}/#/c/register/import`)
    // The template is a real spreadsheet with the columns the import reads.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=import-template]').click()])
    const template = new ExcelJS.Workbook()
    await template.xlsx.readFile(await download.path())
    expect(template.worksheets[0]!.getRow(1).values).toEqual(expect.arrayContaining(['楼栋', '单元', '房号', '姓名', '身份证号']))
    await page.locator('[data-test=import-file]').setInputFiles(bad)
    await page.locator('[data-test=import-preview]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-test=import-error-count]').textContent()).toBe('1')
    const err = page.locator('[data-test=import-error-row]').first()
    expect(await err.textContent()).toContain('第3行')
    expect(await err.textContent()).toContain('身份证号')
    expect(await page.locator('[data-test=import-commit]').isDisabled()).toBe(true)
    await shot(page, '05-import-errors')

    rows[1]![4] = idNumber('19820202', 922)
    const good = await sheet(rows, 'register-good.xlsx')
    await page.locator('[data-test=import-file]').setInputFiles(good)
    await expect.poll(() => page.locator('[data-test=import-error-count]').textContent(), { timeout: 20_000 }).toBe('0')
    await shot(page, '06-import-preview')
    await page.locator('[data-test=import-commit]').click()
    const done = page.locator('[data-test=import-done]')
    await done.waitFor({ timeout: 20_000 })
    expect(await done.textContent()).toContain('3 人')
    await shot(page, '07-import-done')
    const n = await env.app.pool.query('SELECT count(*)::int AS n FROM residents WHERE compound_id = $1 AND name IN ($2, $3, $4)', [compoundId, '孙一', '孙二', '周三'])
    expect(n.rows[0].n).toBe(3)
  }, 90_000)

  it('approves one claim and refuses another with a reason', async () => {
    await page.goto(`${env.base}/#/c/register`)
    // The seed's claims wait: the shortcut carries their number.
    await expect.poll(() => page.locator('[data-test=pending-claims]').textContent()).toMatch(/^\d+条待审核$/)
    await page.locator('[data-test=shortcut-claims]').click()
    await page.waitForURL(/#\/c\/claims/)
    const rows = page.locator('[data-test=claim-row]')
    await rows.first().waitFor()
    const before = await rows.count()
    expect(before).toBeGreaterThanOrEqual(2)
    await shot(page, '11-claims')
    await rows.first().locator('[data-test=claim-approve]').click()
    await expect.poll(() => rows.count()).toBe(before - 1)
    await rows.first().locator('[data-test=claim-refuse]').click()
    const dialog = page.locator('[data-test=reason-dialog]')
    await dialog.waitFor()
    // No reason, no refusal.
    await dialog.locator('.van-dialog__confirm').click()
    await dialog.locator('.van-field__error-message', { hasText: '请填写原因' }).waitFor()
    await dialog.getByRole('button', { name: '房号不符' }).click()
    await shot(page, '12-claim-refuse')
    await dialog.locator('.van-dialog__confirm').click()
    await expect.poll(() => rows.count()).toBe(before - 2)
    await page.getByRole('tab', { name: '未通过' }).click()
    await page.locator('[data-test=claim-row]', { hasText: '房号不符' }).first().waitFor()
  }, 60_000)

  it('a resident claims a household from 我的 and sees it waiting for review', async () => {
    const me = await residentLogin(env.app, '13600000921')
    const resident = await env.phone()
    await resident.context().addCookies([{ name: 'cc_rt', value: me.cookie, url: env.base }])
    await resident.context().addInitScript(() => localStorage.setItem('cc.session', '1'))
    await resident.goto(`${env.base}/#/me`)
    await resident.locator('[data-test=me-claim]').click()
    await resident.waitForURL(/#\/me\/claim/)
    await resident.locator('[data-test=claim-compound-search] input').fill('任港')
    await resident.locator('[data-test=claim-compound-hit]', { hasText: '任港路新村' }).click()
    await resident.locator(`[data-test=claim-building-${Object.values(buildings)[1]}]`).click()
    await resident.locator('[data-test=claim-room] input').fill('9903')
    await resident.locator('[data-test=claim-name] input').fill('赵小明')
    await resident.locator('[data-test=claim-id] input').fill(badChecksum(idNumber('19900909', 941)))
    await resident.locator('[data-test=claim-submit]').click()
    await resident.locator('.van-field__error-message', { hasText: '校验位' }).waitFor()
    await resident.locator('[data-test=claim-id] input').fill(idNumber('19900909', 941))
    await resident.locator('[data-test="claim-relation-子女"]').click()
    await shot(resident, '13-claim-form')
    await resident.locator('[data-test=claim-submit]').click()
    await resident.locator('[data-test=my-claim][data-status=pending]').waitFor()
    expect(await resident.locator('[data-test=my-claim]').textContent()).toContain('待审核')
    await shot(resident, '14-claim-pending')
    // 长辈版: the same page in large type.
    await resident.goto(`${env.base}/?elder=1#/me/claim`)
    await resident.locator('[data-test=my-claim]').waitFor()
    await shot(resident, '15-claim-elder')
    await resident.context().close()
  }, 60_000)

  it('the district reads the active rules in plain Chinese and activates a new version', async () => {
    const admin = await env.phone()
    await loginAsStaff(env, admin, 'admin')
    await admin.waitForURL(/#\/d$/)
    await admin.locator('[data-test=shortcut-rules]').click()
    await admin.waitForURL(/#\/d\/rules/)
    const active = admin.locator('[data-test=rules-active]')
    await active.waitFor()
    expect(await active.textContent()).toContain('37.3℃')
    expect(await active.textContent()).toContain('48 小时')
    expect(await active.textContent()).toContain('60 秒')
    await shot(admin, '16-rules')
    const version = Number((await active.locator('h2').textContent())!.match(/\d+/)![0])
    await admin.locator('[data-test=rules-new]').click()
    const form = admin.locator('[data-test=rules-form]')
    await form.waitFor()
    // An invalid threshold is caught on the phone with the shared validator's words.
    await form.locator('[data-test=rules-fever] input').fill('45')
    await form.locator('[data-test=rules-save]').click()
    await form.locator('[data-test=rules-errors]', { hasText: '发热体温标准' }).waitFor()
    await form.locator('[data-test=rules-fever] input').fill('37.3')
    await form.locator('[data-test=rules-nat] input').fill('24')
    await form.locator('[data-test=rules-note] input').fill('按市指挥部通知，核酸有效期调整为24小时')
    await shot(admin, '17-rules-form')
    await form.locator('[data-test=rules-save]').click()
    await admin.locator('.van-dialog', { hasText: `启用第 ${version + 1} 版` }).waitFor()
    await admin.locator('.van-dialog__confirm').click()
    await expect.poll(() => active.locator('h2').textContent()).toContain(`第 ${version + 1} 版`)
    expect(await active.textContent()).toContain('24 小时')
    // The green-with-star texts followed the new NAT window.
    expect(await admin.locator('[data-test=rules-color-green_star]').textContent()).toContain('24小时')
    await shot(admin, '18-rules-activated')
    await admin.context().close()
  }, 60_000)
  it('imports 5,000 rows with the stages shown, in seconds', async () => {
    const names = Object.keys(buildings)
    const rows: (string | number)[][] = []
    const day0 = Date.UTC(1950, 0, 1)
    for (let i = 0; i < 5000; i++) {
      const d = new Date(day0 + i * 86400_000)
      const birth = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`
      const h = Math.floor(i / 2)
      rows.push([names[h % names.length]!, 1, String(7000 + Math.floor(h / names.length)), `${'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨'[i % 16]}${'一二三四五六七八九十'[Math.floor(i / 16) % 10]}${'明华国强芳敏静丽军伟'[Math.floor(i / 160) % 10]}`, idNumber(birth, 900 + (i % 100)), i % 3 ? `137${String(i).padStart(8, '0')}` : '', i % 2 ? '配偶' : '户主', '', i % 7 ? '' : '是', ''])
    }
    const file = await sheet(rows, 'register-5000.xlsx')
    await page.goto(`${env.base}/#/c/register/import`)
    const t0 = Date.now()
    await page.locator('[data-test=import-file]').setInputFiles(file)
    await page.locator('[data-test=import-progress]').waitFor()
    await shot(page, '19-import-5000-progress')
    await page.locator('[data-test=import-preview]').waitFor({ timeout: 60_000 })
    const checked = Date.now() - t0
    expect(await page.locator('[data-test=import-error-count]').textContent()).toBe('0')
    const t1 = Date.now()
    await page.locator('[data-test=import-commit]').click()
    await page.locator('[data-test=import-done]').waitFor({ timeout: 60_000 })
    const committed = Date.now() - t1
    expect(await page.locator('[data-test=import-done]').textContent()).toContain('5000 人')
    await shot(page, '20-import-5000-done')
    console.log(`[register] 5,000-row xlsx through the H5: upload + check ${(checked / 1000).toFixed(1)} s, commit ${(committed / 1000).toFixed(1)} s`)
  }, 150_000)
  it('prints A6 cards, four to an A4 sheet, for residents without a smartphone', async () => {
    await page.goto(`${env.base}/#/c/passes`)
    await page.locator('[data-test=pass-row]').first().waitFor()
    await page.locator('[data-test=filter-nophone]').click()
    // Only residents flagged 无智能手机 (the seed's and this test's); five of them, so two A4 sheets.
    await expect
      .poll(async () => {
        const texts = await page.locator('[data-test=pass-row]').allTextContents()
        return texts.length >= 5 && texts.every((t) => t.includes('无智能手机'))
      })
      .toBe(true)
    const rows = page.locator('[data-test=pass-row]')
    for (let i = 0; i < 5; i++) await rows.nth(i).locator('input[type=checkbox]').check()
    expect(await page.locator('[data-test=print-bar]').textContent()).toContain('已选 5 人')
    await shot(page, '08-passes')
    await page.locator('[data-test=print-cards]').click()
    await page.waitForURL(/#\/c\/passes\/print/)
    await expect.poll(() => page.locator('[data-test=pass-card] img.qr').count(), { timeout: 15_000 }).toBe(5)
    expect(await page.locator('[data-test=card-sheet]').count()).toBe(2)
    const code = (await page.locator('[data-test=card-code]').first().textContent())!.replace(/\s/g, '')
    expect(code).toMatch(/^\d{10}$/)
    expect(await page.locator('[data-test=pass-card]').first().textContent()).toContain('此卡仅限本人使用，遗失请联系社区')
    await shot(page, '09-print-screen')

    await page.emulateMedia({ media: 'print' })
    // On paper: no app bars, and the cards sit 2 × 2 on a sheet of 210 × 297 mm.
    expect(await page.locator('.van-tabbar').isVisible()).toBe(false)
    expect(await page.locator('.van-nav-bar').isVisible()).toBe(false)
    const boxes = await page.locator('[data-test=pass-card]').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width), h: Math.round(r.height) })))
    // 105 mm ≈ 397 CSS px, 148 mm ≈ 559 CSS px.
    for (const b of boxes) {
      expect(Math.abs(b.w - 397)).toBeLessThan(3)
      expect(Math.abs(b.h - 559)).toBeLessThan(3)
    }
    expect(boxes[1]!.x).toBeGreaterThan(boxes[0]!.x + 390)
    expect(boxes[2]!.y).toBeGreaterThan(boxes[0]!.y + 550)
    await page.setViewportSize({ width: 794, height: 1123 })
    await page.screenshot({ path: path.join(SHOTS, 'register-10-print-media.png'), fullPage: true })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    // Five cards: one full sheet and one with a single card.
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length).toBe(2)
    await page.emulateMedia({ media: 'screen' })
    await page.setViewportSize({ width: 390, height: 844 })
  }, 90_000)
})
