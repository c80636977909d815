import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAsResident, loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * The whole loop of DESIGN §3.1 through the H5: a resident reports, the district accepts and assigns, the
 * community signs and rectifies, the district verifies and publishes a bulletin, the resident rates it.
 */
let env: BrowserEnv
let resident: Page
let admin: Page
let worker: Page
let complaintId = 0
let trackingCode = ''
let bulletinId = 0
let bulletinTitle = ''

beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

/** A small real JPEG drawn by the page's own canvas (no image library needed in the test). */
async function jpegFixture(page: Page, label: string): Promise<Buffer> {
  const b64 = await page.evaluate((text) => {
    const c = document.createElement('canvas')
    c.width = 800
    c.height = 600
    const g = c.getContext('2d')!
    g.fillStyle = '#4a7bb7'
    g.fillRect(0, 0, 800, 600)
    g.fillStyle = '#ffffff'
    g.font = '64px sans-serif'
    g.fillText(text, 60, 320)
    return c.toDataURL('image/jpeg', 0.9).split(',')[1]!
  }, label)
  return Buffer.from(b64, 'base64')
}

const shot = (page: Page, name: string) => env.shot(page, `loop-${name}`)

/** Click an option in the visible level of an open van-cascader. */
async function cascade(page: Page, ...names: string[]) {
  for (const n of names) await page.locator('.van-cascader__option:visible', { hasText: n }).first().click()
}

async function adminAction(page: Page, act: string) {
  await page.locator('[data-test=admin-actions]').click()
  await page.locator(`.admin-act-${act}`).click()
}

describe('complaint → rectification → bulletin, through the H5', () => {
  it('a resident files a report with a photo at 任港路新村', async () => {
    resident = await env.phone()
    await loginAsResident(env, resident, '13600000009')
    await resident.waitForURL(/#\/r$/)
    await resident.goto(`${env.base}/#/r/report`)

    await resident.locator('[data-test^=category-]', { hasText: '卡口未查验' }).click()
    await resident.locator('[data-test=place-field]').click()
    await cascade(resident, '任港街道', '大庆社区', '任港路新村')
    await expect.poll(() => resident.locator('[data-test=place-field] input').inputValue()).toContain('任港路新村')

    await resident.locator('[data-test=report-description] textarea').fill('任港路新村东门晚上无人值守，进出人员未测温、未查验通行证。')
    await resident.locator('[data-test=report-photos] input[type=file]').setInputFiles({
      name: 'gate.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegFixture(resident, '东门无人'),
    })
    await resident.locator('[data-test=report-photos][data-uploaded="1"]').waitFor({ timeout: 20_000 })
    await shot(resident, '01-report-filled')

    await resident.locator('[data-test=report-submit]').click()
    await resident.waitForURL(/#\/r\/receipt\/\d+/)
    complaintId = Number(/receipt\/(\d+)/.exec(resident.url())![1])
    trackingCode = (await resident.locator('[data-test=tracking-code]').textContent())!.trim()
    expect(trackingCode.length).toBeGreaterThan(3)
    await shot(resident, '02-receipt')
  }, 90_000)

  it('the district accepts it from the triage queue and assigns it to 大庆社区', async () => {
    admin = await env.phone()
    await loginAsStaff(env, admin, 'admin')
    await admin.waitForURL(/#\/d$/)
    await admin.locator('[data-test=district-stats]').waitFor()
    await shot(admin, '03-district-home')

    await admin.goto(`${env.base}/#/d/triage`)
    await admin.locator(`[data-test=complaint-row][data-id="${complaintId}"]`).click()
    await admin.waitForURL(new RegExp(`#/d/c/${complaintId}$`))
    await admin.locator('[data-test=reporter]').waitFor()

    await adminAction(admin, 'accept')
    await admin.locator('[data-test=admin-status]', { hasText: '已受理' }).waitFor()
    await shot(admin, '04-accepted')

    await adminAction(admin, 'assign')
    await admin.locator('[data-test=assign-unit-field]').click()
    await cascade(admin, '任港街道', '大庆社区')
    await expect.poll(() => admin.locator('[data-test=assign-unit-field] input').inputValue()).toContain('大庆社区')
    await shot(admin, '05-assign-form')
    await admin.locator('[data-test=assign-submit]').click()
    await admin.locator('[data-test=admin-status]', { hasText: '已交办' }).waitFor()
    await admin.locator('[data-test=assign-popup]').waitFor({ state: 'hidden' })
    await admin.locator('[data-test=complaint-clocks]').waitFor()
    await shot(admin, '06-assigned')
  }, 90_000)

  it('the community worker signs and rectifies with a photo', async () => {
    worker = await env.phone()
    await loginAsStaff(env, worker, 'daqing')
    await worker.waitForURL(/#\/c$/)
    await worker.goto(`${env.base}/#/c/tasks`)
    await worker.locator(`[data-test=complaint-row][data-id="${complaintId}"]`).click()
    await worker.waitForURL(new RegExp(`#/c/t/${complaintId}$`))
    // The unit never sees who reported.
    expect(await worker.locator('body').textContent()).not.toContain('13600000009')
    await worker.locator('[data-test=sign-countdown]').waitFor()

    await worker.locator('[data-test=task-sign]').click()
    await worker.locator('[data-test=task-status]', { hasText: '已签收' }).waitFor()
    await shot(worker, '07-signed')

    await worker.locator('[data-test=rectify-text] textarea').fill('已安排两名志愿者24小时值守东门，逐一测温、查验通行证，并张贴提示。')
    await worker.locator('[data-test=rectify-photos] input[type=file]').setInputFiles({
      name: 'fixed.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegFixture(worker, '已值守'),
    })
    await worker.locator('[data-test=rectify-photos][data-uploaded="1"]').waitFor({ timeout: 20_000 })
    await worker.locator('[data-test=rectify-submit]').click()
    await worker.locator('[data-test=task-status]', { hasText: '已整改' }).waitFor()
    await shot(worker, '08-rectified')
    await worker.context().close()
  }, 90_000)

  it('the district verifies, drafts a bulletin and publishes it', async () => {
    // 督办 → 待核验 lists the rectified item; its detail shows the unit's fix.
    await admin.goto(`${env.base}/#/d/tracking?status=rectified`)
    await admin.locator(`[data-test=complaint-row][data-id="${complaintId}"]`).click()
    await admin.waitForURL(new RegExp(`#/d/c/${complaintId}$`))
    await admin.locator('[data-test=rectification]').waitFor()
    await adminAction(admin, 'verify')
    await admin.locator('[data-test=admin-status]', { hasText: '已核验' }).waitFor()
    await shot(admin, '09-verified')

    await admin.goto(`${env.base}/#/d/bulletins`)
    await admin.locator('[data-test=bulletin-draft]').click()
    await admin.waitForURL(/#\/d\/bulletins\/\d+$/)
    bulletinId = Number(/bulletins\/(\d+)$/.exec(admin.url())![1])
    await admin.locator('[data-test=bulletin-edit-item]').first().waitFor()
    expect(await admin.locator('[data-test=bulletin-edit-item]').count()).toBeGreaterThanOrEqual(1)
    await shot(admin, '10-bulletin-draft')

    await admin.locator('[data-test=bulletin-publish]').click()
    await admin.locator('.van-dialog__confirm').click()
    await admin.locator('[data-test=bulletin-public-link]').waitFor()
    bulletinTitle = (await admin.locator('[data-test=bulletin-title]').textContent())!.trim()
    expect(bulletinTitle).toMatch(/崇川区网友反馈问题整改通报\(第\d+期\)/)
    await shot(admin, '11-bulletin-published')
    await admin.context().close()
  }, 90_000)

  it('the resident reads the public bulletin, then rates the fix 满意', async () => {
    await resident.goto(`${env.base}/#/b`)
    await resident.locator(`[data-test=bulletin-row][data-id="${bulletinId}"]`).click()
    await resident.waitForURL(new RegExp(`#/b/${bulletinId}$`))
    await resident.locator('[data-test=bulletin-item]', { hasText: '任港路新村' }).first().waitFor()
    await expect.poll(() => resident.title()).toBe(bulletinTitle)
    await shot(resident, '12-public-bulletin')

    await resident.goto(`${env.base}/#/r/mine`)
    await resident.locator(`[data-test=complaint-row][data-id="${complaintId}"]`).click()
    await resident.waitForURL(new RegExp(`#/r/c/${complaintId}$`))
    await resident.locator('[data-test=rectification]').waitFor()
    await resident.locator('[data-test=rate-satisfied]').click()
    await resident.locator('[data-test=rating-done]', { hasText: '满意' }).waitFor()
    await shot(resident, '13-rated')
    await resident.context().close()
  }, 90_000)
})
