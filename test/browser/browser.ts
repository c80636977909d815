import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { createTestApp, ROOT, type TestApp } from '../helper.js'

export const SHOTS = path.join(ROOT, 'test/.artifacts/screenshots')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The real product (API + built H5) on a loopback port, and Debian's Chromium at a phone viewport. */
export async function startBrowserEnv() {
  // H5_DIST measures another build (e.g. an older one) with the same tests.
  const dist = process.env.H5_DIST ?? path.join(ROOT, 'h5/dist')
  if (!existsSync(path.join(dist, 'index.html'))) throw new Error('h5/dist is missing: run `pnpm build` first (pnpm test does)')
  mkdirSync(SHOTS, { recursive: true })
  const app: TestApp = await createTestApp({ h5Dist: dist })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as { port: number }
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  })
  const base = `http://127.0.0.1:${port}`
  return {
    app,
    base,
    browser,
    async phone(): Promise<Page> {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
      const page = await ctx.newPage()
      page.on('pageerror', (e) => console.error('[page error]', e.message))
      return page
    },
    shot: (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) }),
    async close() {
      await browser.close()
      await app.close2()
    },
  }
}
export type BrowserEnv = Awaited<ReturnType<typeof startBrowserEnv>>

export async function loginAsStaff(env: BrowserEnv, page: Page, username: string, password = 'cc123456') {
  await page.goto(`${env.base}/#/login`)
  await page.getByRole('tab', { name: '工作人员' }).click()
  await page.getByPlaceholder('请输入账号').fill(username)
  await page.getByPlaceholder('请输入密码').fill(password)
  await page.locator('[data-test=login-password]').click()
}

export async function loginAsResident(env: BrowserEnv, page: Page, phone: string) {
  await page.goto(`${env.base}/#/login`)
  await page.getByPlaceholder('请输入11位手机号').fill(phone)
  await page.locator('[data-test=send-code]').click()
  const code = (await page.locator('[data-test=dev-code]').textContent({ timeout: 10_000 }))!.trim()
  await page.getByPlaceholder('6位验证码').fill(code)
  await page.locator('[data-test=login-sms]').click()
}
