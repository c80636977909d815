import { readFileSync } from 'node:fs'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loopActors, walk } from '../api/loop.js'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/** The district's 导出 buttons: a file with the list's filters, a busy state while it downloads, a toast. */
let env: BrowserEnv

beforeAll(async () => {
  env = await startBrowserEnv()
  const a = await loopActors(env.app, ['13512345611', '13512345612'])
  await walk(env.app, a, 'submitted', a.resident, { description: '=1+1 导出按钮测试：东门无人值守' })
}, 60_000)
afterAll(() => env?.close())

describe('district 导出', () => {
  it('downloads the triage queue as .xlsx with its filters and says so', async () => {
    const page = await env.phone()
    await loginAsStaff(env, page, 'admin')
    await page.waitForURL(/#\/d$/)
    await page.goto(`${env.base}/#/d/triage`)
    const button = page.locator('[data-test=xlsx-export]')
    await button.waitFor()
    expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(44)
    await env.shot(page, 'export-01-triage')
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()])
    expect(download.suggestedFilename()).toBe('反映事项-待受理.xlsx')
    await page.getByText(/已导出/).waitFor()
    await env.shot(page, 'export-02-done')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync((await download.path())!) as never)
    const descriptions = (wb.worksheets[0]!.getColumn(7).values as unknown[]).slice(2)
    expect(descriptions).toContain("'=1+1 导出按钮测试：东门无人值守")
    const statuses = new Set((wb.worksheets[0]!.getColumn(8).values as unknown[]).slice(2))
    expect([...statuses].every((s) => s === '待受理' || s === '重新办理')).toBe(true)

    await page.goto(`${env.base}/#/d/bulletins`)
    const [b] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=xlsx-export]').click()])
    expect(b.suggestedFilename()).toBe('整改通报.xlsx')
    await page.context().close()
  }, 90_000)
})
