import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAsResident, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * The resident's side of issue 6 §5: a half-filled report survives a reload and a tab switch, validation
 * points at the field, the tracking code stays on one line and can be looked up without logging in.
 */
let env: BrowserEnv
let page: Page
let trackingCode = ''

beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

/** Screenshots without the transient toasts and popup animations. */
async function shot(p: Page, name: string) {
  await p.locator('.van-toast').waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
  await p.waitForTimeout(350)
  await env.shot(p, `s5-resident-${name}`)
}

async function jpeg(p: Page): Promise<Buffer> {
  const b64 = await p.evaluate(() => {
    const c = document.createElement('canvas')
    c.width = 640
    c.height = 480
    const g = c.getContext('2d')!
    g.fillStyle = '#3a6'
    g.fillRect(0, 0, 640, 480)
    return c.toDataURL('image/jpeg', 0.85).split(',')[1]!
  })
  return Buffer.from(b64, 'base64')
}

async function cascade(p: Page, ...names: string[]) {
  for (const n of names) await p.locator('.van-cascader__option:visible', { hasText: n }).first().click()
}

/** Is the element's top inside the viewport (scrolled to)? */
const inView = (p: Page, selector: string) =>
  p.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect()
    return r.top >= 0 && r.top < window.innerHeight
  })

describe('resident report form', () => {
  it('keeps a half-filled report, photo included, across a reload', async () => {
    page = await env.phone()
    await loginAsResident(env, page, '13600000101')
    await page.waitForURL(/#\/r$/)
    await page.goto(`${env.base}/#/r/report`)
    await page.locator('[data-test^=category-]', { hasText: '卡口未查验' }).click()
    await page.locator('[data-test=place-field]').click()
    await cascade(page, '任港街道', '大庆社区', '任港路新村')
    await page.locator('[data-test=report-description] textarea').fill('任港路新村南门傍晚无人值守')
    await page.locator('[data-test=report-photos] input[type=file]').setInputFiles({ name: 'a.jpg', mimeType: 'image/jpeg', buffer: await jpeg(page) })
    await page.locator('[data-test=report-photos][data-uploaded="1"]').waitFor({ timeout: 20_000 })

    // The browser asks before a reload throws the form away; the draft brings it back either way.
    const dialogs: string[] = []
    page.on('dialog', (d) => {
      dialogs.push(d.type())
      void d.accept()
    })
    await page.waitForTimeout(400) // the draft is saved 300 ms after the last change (and on unload)
    await page.reload()
    await page.locator('[data-test=draft-restored]').waitFor()
    expect(dialogs).toContain('beforeunload')
    expect(await page.locator('[data-test=report-description] textarea').inputValue()).toBe('任港路新村南门傍晚无人值守')
    expect(await page.locator('[data-test=place-field] input').inputValue()).toContain('任港路新村')
    expect(await page.locator('[data-test^=category-][aria-checked=true]').textContent()).toContain('卡口未查验')
    await page.locator('[data-test=report-photos][data-uploaded="1"]').waitFor()
    await page.locator('[data-test=report-photos] .van-uploader__preview-image img').first().waitFor()
    await shot(page, '01-draft-restored')
  }, 90_000)

  it('asks before a tab switch leaves the form, and keeps it when the resident goes anyway', async () => {
    await page.locator('.van-tabbar-item', { hasText: '我的反映' }).click()
    await page.locator('.van-dialog', { hasText: '还没有提交' }).waitFor()
    await shot(page, '02-leave-confirm')
    await page.locator('.van-dialog__cancel').click()
    expect(page.url()).toMatch(/#\/r\/report$/)

    await page.locator('.van-tabbar-item', { hasText: '我的反映' }).click()
    await page.locator('.van-dialog__confirm').click()
    await page.waitForURL(/#\/r\/mine$/)
    await page.locator('.van-dialog').waitFor({ state: 'hidden' })
    await page.locator('.van-tabbar-item', { hasText: '反映问题' }).click()
    await page.waitForURL(/#\/r\/report$/)
    await page.locator('[data-test=draft-restored]').waitFor()
    expect(await page.locator('[data-test=report-description] textarea').inputValue()).toBe('任港路新村南门傍晚无人值守')
  }, 60_000)

  it('scrolls to and marks the field that is missing', async () => {
    await page.locator('[data-test=report-description] textarea').fill('短')
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.locator('[data-test=report-submit]').click()
    await page.locator('section.invalid[data-field=description]').waitFor()
    await expect.poll(() => inView(page, 'section[data-field=description]')).toBe(true)
    expect(await page.locator('section[data-field=description] .van-field__error-message').textContent()).toContain('至少5个字')
    await shot(page, '03-invalid-description')

    await page.locator('[data-test=draft-discard]').click()
    await page.locator('.van-dialog__confirm').click()
    await expect.poll(() => page.locator('[data-test=report-description] textarea').inputValue()).toBe('')
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight))
    await page.locator('[data-test=report-submit]').click()
    await page.locator('section.invalid[data-field=category]').waitFor()
    await expect.poll(() => inView(page, 'section[data-field=category]')).toBe(true)
    await shot(page, '04-invalid-category')
  }, 60_000)

  it('files the report; the receipt shows the 跟踪码 on one line, and the draft is gone', async () => {
    await page.locator('[data-test^=category-]', { hasText: '卡口未查验' }).click()
    await page.locator('[data-test=place-field]').click()
    await cascade(page, '任港街道', '大庆社区', '任港路新村')
    await page.locator('[data-test=report-description] textarea').fill('任港路新村南门傍晚无人值守，电话 13600000101')
    await page.locator('[data-test=report-submit]').click()
    await page.waitForURL(/#\/r\/receipt\/\d+/)
    const code = page.locator('[data-test=tracking-code]')
    trackingCode = (await code.textContent())!.trim()
    expect(await page.locator('.code-box').textContent()).toContain('跟踪码')
    expect(await page.locator('body').textContent()).not.toContain('查询码')
    // One line: the box is no taller than one line of its own text.
    const { height, lineHeight, whiteSpace } = await code.evaluate((el) => {
      const cs = getComputedStyle(el)
      return { height: el.getBoundingClientRect().height, lineHeight: parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.5, whiteSpace: cs.whiteSpace }
    })
    expect(whiteSpace).toBe('nowrap')
    expect(height).toBeLessThan(lineHeight * 1.5)
    await shot(page, '05-receipt')

    await page.goto(`${env.base}/#/r/report`)
    await page.locator('[data-test=report-submit]').waitFor()
    expect(await page.locator('[data-test=draft-restored]').count()).toBe(0)
    await page.context().close()
  }, 60_000)
})

describe('tracking-code lookup (public)', () => {
  it('is reachable from the login page and shows progress, not the report', async () => {
    const anon = await env.phone()
    await anon.goto(`${env.base}/#/login`)
    await anon.locator('[data-test=login-track]').click()
    await anon.waitForURL(/#\/q$/)
    await anon.locator('[data-test=track-input]').fill(trackingCode.toLowerCase())
    await anon.locator('[data-test=track-submit]').click()
    await anon.waitForURL(new RegExp(`#/q/${trackingCode}$`))
    await anon.locator('[data-test=track-result]').waitFor()
    expect(await anon.locator('[data-test=track-status]').textContent()).toContain('已提交')
    const text = (await anon.locator('body').textContent())!
    expect(text).toContain('任港路新村')
    expect(text).not.toContain('南门傍晚')
    expect(text).not.toContain('13600000101')
    await shot(anon, '06-track-found')

    await anon.locator('[data-test=track-input]').fill('CC000000ZZZZZ')
    await anon.locator('[data-test=track-submit]').click()
    await anon.locator('[data-test=track-missing]').waitFor()
    await anon.context().close()
  }, 60_000)

  it('is linked from the resident home', async () => {
    const p = await env.phone()
    await loginAsResident(env, p, '13600000102')
    await p.waitForURL(/#\/r$/)
    await shot(p, '07-home')
    await p.locator('[data-test=home-track]').click()
    await p.waitForURL(/#\/q$/)
    await shot(p, '08-track-empty')
    await p.goto(`${env.base}/#/r/messages`)
    await p.locator('[data-test=messages-read-all]').waitFor()
    const readAll = await p.locator('[data-test=messages-read-all]').boundingBox()
    expect(readAll!.height).toBeGreaterThanOrEqual(44)
    await shot(p, '09-messages')
    await p.context().close()
  }, 60_000)
})

describe('small phones (320 px) and grey text', () => {
  /** Smallest rendered font size among visible text, and the contrast of the lightest grey text. */
  const measure = (p: Page) =>
    p.evaluate(() => {
      const lum = (rgb: number[]) => {
        const f = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * f(rgb[0]!) + 0.7152 * f(rgb[1]!) + 0.0722 * f(rgb[2]!)
      }
      const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number)
      const bgOf = (el: Element | null): number[] => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor)
          if (c.length >= 3 && (c[3] ?? 1) > 0.5) return c
        }
        return [255, 255, 255]
      }
      let minFont = 99
      let minContrast = 99
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const el = n.parentElement!
        if (!n.textContent!.trim() || !el.checkVisibility?.() || el.closest('.van-icon, input, textarea')) continue
        const cs = getComputedStyle(el)
        const r = el.getBoundingClientRect()
        if (r.width === 0 || r.bottom < 0 || r.top > innerHeight) continue
        minFont = Math.min(minFont, parseFloat(cs.fontSize))
        const fg = parse(cs.color)
        const a = lum(fg)
        const b = lum(bgOf(el))
        minContrast = Math.min(minContrast, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05))
      }
      return { minFont, minContrast: Math.round(minContrast * 100) / 100 }
    })

  it('keeps text at 12 px or more, grey text at 4.5:1 or more, and the small links 44 px tall', async () => {
    const ctx = await env.browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    const p = await ctx.newPage()
    await p.goto(`${env.base}/#/login`)
    await p.locator('[data-test=send-code]').waitFor()
    const login = await measure(p)
    const sizes = await p.evaluate(() =>
      ['[data-test=send-code]', '[data-test=login-bulletins]', '[data-test=login-track]'].map((s) => {
        const r = document.querySelector(s)!.getBoundingClientRect()
        return Math.min(r.width, r.height)
      }),
    )
    await env.shot(p, 's5-320-login')
    await loginAsResident(env, p, '13600000103')
    await p.waitForURL(/#\/r$/)
    await p.goto(`${env.base}/#/r/report`)
    await p.locator('[data-test^=category-]').first().waitFor()
    const report = await measure(p)
    await env.shot(p, 's5-320-report')
    const viewport = await p.evaluate(() => document.querySelector('meta[name=viewport]')!.getAttribute('content'))
    console.log(`[a11y @320px] login ${JSON.stringify(login)}, report ${JSON.stringify(report)}, tap targets ${sizes.map((s) => s.toFixed(1)).join('/')} px`)
    expect(login.minFont).toBeGreaterThanOrEqual(12)
    expect(report.minFont).toBeGreaterThanOrEqual(12)
    expect(login.minContrast).toBeGreaterThanOrEqual(4.5)
    expect(report.minContrast).toBeGreaterThanOrEqual(4.5)
    for (const s of sizes) expect(s).toBeGreaterThanOrEqual(44)
    expect(viewport).not.toMatch(/user-scalable=no|maximum-scale/)
    await ctx.close()
  }, 60_000)
})

describe('inside WeChat', () => {
  it('offers no 微信一键登录 when the server has no WeChat appid', async () => {
    const ctx = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      userAgent: 'Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/107.0 Mobile Safari/537.36 MicroMessenger/8.0.40',
    })
    const p = await ctx.newPage()
    const options = p.waitForResponse((r) => r.url().endsWith('/api/v1/auth/options'))
    await p.goto(`${env.base}/#/login`)
    expect((await (await options).json()).wechatOauth).toBe(false)
    await p.locator('[data-test=send-code]').waitFor()
    expect(await p.locator('[data-test=wechat-login]').count()).toBe(0)
    expect(await p.getByText('微信一键登录').count()).toBe(0)
    await ctx.close()
  }, 30_000)
})
