import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAsResident, loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

let env: BrowserEnv
beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

describe('log in through the H5 in Chromium', () => {
  it('a resident logs in with phone + SMS code and lands on the resident home', async () => {
    const page = await env.phone()
    await loginAsResident(env, page, '13600000001')
    await page.waitForURL(/#\/r$/)
    await page.getByText('防控漏洞随手拍').waitFor()
    expect(await page.locator('.van-tabbar-item').allTextContents()).toEqual(['首页', '反映问题', '我的反映', '消息', '我的'])
    await env.shot(page, 'resident-home')
    // The session survives a reload: the refresh cookie brings back an access token.
    await page.reload()
    await page.getByText('防控漏洞随手拍').waitFor()
    await page.context().close()
  })

  it('the district admin logs in with a password and lands on the district home', async () => {
    const page = await env.phone()
    await env.shot(page, 'blank')
    await loginAsStaff(env, page, 'admin')
    await page.waitForURL(/#\/d$/)
    expect(await page.locator('.van-tabbar-item').allTextContents()).toEqual(['概览', '受理', '督办', '通报', '我的'])
    await env.shot(page, 'district-home')
    await page.context().close()
  })

  it('a wrong password shows a Chinese error and stays on the login page', async () => {
    const page = await env.phone()
    await loginAsStaff(env, page, 'admin', 'wrong-password')
    // Shown in the toast, and repeated in the live region for screen readers (composables/a11y.ts).
    await page.locator('.van-toast').getByText('用户名或密码错误').waitFor()
    await expect.poll(() => page.locator('[data-test=live-region]').textContent()).toBe('用户名或密码错误')
    expect(page.url()).toContain('#/login')
    await page.context().close()
  })

  it('a community worker who also keeps a gate switches role, then logs out', async () => {
    const page = await env.phone()
    await loginAsStaff(env, page, 'daqing')
    await page.waitForURL(/#\/c$/)
    await page.goto(`${env.base}/#/me`)
    await page.locator('[data-test=grant-gatekeeper]').click()
    await page.waitForURL(/#\/g$/)
    await env.shot(page, 'switched-to-gatekeeper')
    await page.goto(`${env.base}/#/me`)
    await page.locator('[data-test=logout]').click()
    await page.waitForURL(/#\/login/)
    // Logged out for real: the home redirects back to login.
    await page.goto(`${env.base}/#/c`)
    await page.waitForURL(/#\/login/)
    await page.context().close()
  })
})
