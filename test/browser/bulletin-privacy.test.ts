import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin, staffToken } from '../helper.js'
import { act, DAQING, fileReport, upload } from '../api/flow.js'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * The bulletin editor shows what may identify a reporter next to each item, and asks before a long number
 * (a hotline, say) is made public for ever.
 */
let env: BrowserEnv
beforeAll(async () => {
  env = await startBrowserEnv()
  const app = env.app
  const resident = await residentLogin(app, '13600000088')
  const admin = await staffToken(app, 'district_admin', [])
  const worker = await staffToken(app, 'community_worker', DAQING)
  const r = await fileReport(app, resident.headers, { description: '我是3号楼张三，东门无人查验，物业热线400-123-4567' })
  const id = r.json().id
  const daqing = await findOrgByNames(app.db, DAQING)
  await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)
  await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })
  await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)
  const photo = (await upload(app, worker.headers, 'rectify')).json().id
  await act(app, worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '已安排志愿者值守东门', photoIds: [photo] })
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/verify`)).statusCode).toBe(200)
}, 60_000)
afterAll(() => env?.close())

describe('bulletin editor', () => {
  it('shows the warnings and asks before publishing a long number', async () => {
    const page = await env.phone()
    await loginAsStaff(env, page, 'admin')
    await page.waitForURL(/#\/d/)
    await page.goto(`${env.base}/#/d/bulletins`)
    await page.locator('[data-test=bulletin-draft]').click()
    await page.waitForURL(/#\/d\/bulletins\/\d+$/)
    const warnings = page.locator('[data-test=bulletin-item-warnings]').first()
    await warnings.waitFor()
    expect(await warnings.textContent()).toContain('我是3号楼张三')
    expect(await warnings.textContent()).toContain('400-123-4567')
    await env.shot(page, 'bulletin-warnings')

    await page.locator('[data-test=bulletin-publish]').click()
    await page.locator('.van-dialog__confirm').click() // 发布后不能修改，确认发布？
    const digits = page.locator('.van-dialog', { hasText: '含有较长的数字' })
    await digits.waitFor()
    expect(await digits.textContent()).toContain('400-123-4567')
    await env.shot(page, 'bulletin-digits-confirm')
    await digits.locator('.van-dialog__confirm').click()
    await page.locator('[data-test=bulletin-public-link]').waitFor()
    expect(await page.locator('[data-test=bulletin-title]').textContent()).toMatch(/第\d+期/)
    await page.context().close()
  }, 60_000)
})
