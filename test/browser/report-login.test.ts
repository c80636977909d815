import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * A visitor reports without signing in first: the form opens without a login, 提交 asks for one, and after
 * it the same report (text, place, category, photo) is filed exactly once.
 */
let env: BrowserEnv

beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

async function jpeg(p: Page): Promise<Buffer> {
  const b64 = await p.evaluate(() => {
    const c = document.createElement('canvas')
    c.width = 640
    c.height = 480
    const g = c.getContext('2d')!
    g.fillStyle = '#36a'
    g.fillRect(0, 0, 640, 480)
    return c.toDataURL('image/jpeg', 0.85).split(',')[1]!
  })
  return Buffer.from(b64, 'base64')
}

async function fillForm(page: Page, text: string) {
  await page.goto(`${env.base}/#/r/report`)
  await page.locator('[data-test=report-guest-tip]').waitFor()
  expect(page.url()).toMatch(/#\/r\/report$/)
  await page.locator('[data-test^=category-]', { hasText: '卡口未查验' }).click()
  await page.locator('[data-test=place-field]').click()
  for (const n of ['任港街道', '大庆社区', '任港路新村']) await page.locator('.van-cascader__option:visible', { hasText: n }).first().click()
  await page.locator('[data-test=report-description] textarea').fill(text)
  await page.locator('[data-test=report-photos] input[type=file]').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page) })
  await page.locator('[data-test=report-photos][data-uploaded="1"]').waitFor({ timeout: 20_000 })
}

async function smsLogin(page: Page, phone: string) {
  await page.getByPlaceholder('请输入11位手机号').fill(phone)
  await page.locator('[data-test=send-code]').click()
  const code = (await page.locator('[data-test=dev-code]').textContent({ timeout: 10_000 }))!.trim()
  await page.getByPlaceholder('6位验证码').fill(code)
  await page.locator('[data-test=login-sms]').click()
}

const reportsOf = async (phoneTail: string, text: string) =>
  (
    await env.app.pool.query(
      `SELECT c.id, c.category_id, p.name AS place, (SELECT count(*)::int FROM complaint_photos ph WHERE ph.complaint_id = c.id) AS photos
       FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id WHERE c.description = $1`,
      [text],
    )
  ).rows as { id: number; category_id: number; place: string; photos: number }[]

describe('report first, sign in at 提交', () => {
  it('keeps the draft through the login and files it exactly once', async () => {
    const page = await env.phone()
    const text = '访客填写：任港路新村东门傍晚无人值守'
    await fillForm(page, text)
    // Nothing was uploaded: the photo waits on the phone until there is an account.
    const uploads = (await env.app.pool.query('SELECT count(*)::int AS n FROM uploads')).rows[0].n
    await env.shot(page, 'report-login-01-guest-form')

    await page.locator('[data-test=report-submit]').click()
    await page.waitForURL(/#\/login\?next=/)
    expect(decodeURIComponent(page.url())).toContain('next=/r/report?submit=1')
    expect(await reportsOf('', text)).toEqual([])
    await env.shot(page, 'report-login-02-login')

    await smsLogin(page, '13600000201')
    await page.waitForURL(/#\/r\/receipt\/\d+/, { timeout: 30_000 })
    const filed = await reportsOf('', text)
    expect(filed).toHaveLength(1)
    expect(filed[0]).toMatchObject({ place: '任港路新村', photos: 1 })
    expect((await env.app.pool.query('SELECT count(*)::int AS n FROM uploads')).rows[0].n).toBe(uploads + 1)
    await env.shot(page, 'report-login-03-receipt')

    // Back, forward and a reload do not file it again; the visitor's draft is gone.
    await page.goBack()
    await page.waitForTimeout(1500)
    await page.reload()
    await page.waitForTimeout(1500)
    expect(await reportsOf('', text)).toHaveLength(1)
    expect(await page.evaluate(() => localStorage.getItem('cc:report-draft:guest'))).toBeNull()
    await page.context().close()
  }, 120_000)

  it('keeps the photo through a full reload on the way (a WeChat login reloads the page)', async () => {
    const page = await env.phone()
    const text = '访客填写：新城桥菜场入口无人测温'
    await fillForm(page, text)
    await page.locator('[data-test=report-submit]').click()
    await page.waitForURL(/#\/login\?next=/)
    await page.reload()
    await page.getByPlaceholder('请输入11位手机号').waitFor()
    await smsLogin(page, '13600000202')
    await page.waitForURL(/#\/r\/receipt\/\d+/, { timeout: 30_000 })
    const filed = await reportsOf('', text)
    expect(filed).toHaveLength(1)
    expect(filed[0]!.photos).toBe(1)
    await page.context().close()
  }, 120_000)

  it('does not let a visitor file anything without signing in', async () => {
    const page = await env.phone()
    await page.goto(`${env.base}/#/r/report`)
    await page.locator('[data-test=report-submit]').click()
    // Validation first, still on the form.
    await page.getByRole('alert').first().waitFor()
    expect(page.url()).toMatch(/#\/r\/report$/)
    await page.context().close()
  }, 60_000)
})
