import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { residentLogin } from '../helper.js'
import { fileReport } from '../api/flow.js'
import { loginAsResident, loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 11 §2, 长辈版: switched on by an `elder=1` link or the switch in 我的, it lifts main text to ≥ 18px
 * and main tap targets to ≥ 60×60px (none under 44×44) on every page a resident or a gate volunteer uses;
 * the largest step (30px) still fits a 390px phone without sideways scrolling.
 */
let env: BrowserEnv
beforeAll(async () => {
  env = await startBrowserEnv()
}, 60_000)
afterAll(() => env?.close())

interface Measure {
  minFont: number
  smallText: string[]
  minLine: number
  main: { n: number; minW: number; minH: number; small: string[] }
  all: { n: number; minW: number; minH: number; small: string[] }
  overflow: number
  clipped: string[]
}

/** Computed sizes of what is on screen in the page body (the tabbar counts; the nav bar's title too). */
function measure(page: Page): Promise<Measure> {
  return page.evaluate(() => {
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect()
      const s = getComputedStyle(el)
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[aria-hidden=true]')
    }
    const label = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}「${(el.textContent ?? '').trim().slice(0, 12)}」`
    const texts = [...document.querySelectorAll('#app *')].filter(
      (el) => visible(el) && !el.closest('.van-badge, .van-icon') && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim()),
    )
    const fonts = texts.map((el) => ({ el, fs: parseFloat(getComputedStyle(el).fontSize), lh: getComputedStyle(el).lineHeight }))
    const lines = fonts.map(({ fs, lh }) => (lh === 'normal' ? 1.2 : parseFloat(lh) / fs))
    const box = (sel: string) => {
      const els = [...document.querySelectorAll(sel)].filter(visible)
      const rs = els.map((el) => ({ el, r: el.getBoundingClientRect() }))
      return {
        n: els.length,
        minW: Math.min(...rs.map((x) => x.r.width)),
        minH: Math.min(...rs.map((x) => x.r.height)),
        rs,
      }
    }
    const MAIN = '.van-button:not(.van-button--small):not(.van-button--mini), .van-cell, .tile, .van-tabbar-item, [role=radio], .van-grid-item__content'
    const ALL = `${MAIN}, button, a[href], [role=button], [role=tab], [role=switch], .van-switch, .van-nav-bar__left:not(:empty), input, textarea, .van-uploader__upload`
    const main = box(MAIN)
    const all = box(ALL)
    return {
      minFont: Math.min(...fonts.map((f) => f.fs)),
      smallText: fonts.filter((f) => f.fs < 18).map((f) => `${label(f.el)} ${f.fs}px`).slice(0, 8),
      minLine: Math.min(...lines),
      main: { n: main.n, minW: main.minW, minH: main.minH, small: main.rs.filter((x) => x.r.width < 60 || x.r.height < 60).map((x) => `${label(x.el)} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`).slice(0, 8) },
      all: { n: all.n, minW: all.minW, minH: all.minH, small: all.rs.filter((x) => x.r.width < 44 || x.r.height < 44).map((x) => `${label(x.el)} ${Math.round(x.r.width)}×${Math.round(x.r.height)}`).slice(0, 8) },
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      // Fixed-height strips whose labels no longer fit (a tabbar label wrapping under the screen edge).
      clipped: [...document.querySelectorAll('.van-tabbar-item, .van-tab, .van-nav-bar__title, .van-button')]
        .filter((el) => visible(el) && (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1))
        .map(label),
    }
  })
}

async function settle(page: Page) {
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {})
  await page.locator('.van-toast').waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
  await page.waitForTimeout(300)
}

/** Asserts the elder floors on the page that is open, and returns the figures for the log. */
async function expectElder(page: Page, where: string, { hasMainTargets = true } = {}) {
  await settle(page)
  expect(await page.evaluate(() => document.documentElement.classList.contains('cc-elder')), where).toBe(true)
  const m = await measure(page)
  expect(m.smallText, `${where}: text under 18px`).toEqual([])
  expect(m.minFont, where).toBeGreaterThanOrEqual(18)
  expect(m.minLine, `${where}: line height`).toBeGreaterThanOrEqual(1.3)
  if (hasMainTargets) expect(m.main.n, `${where}: main tap targets found`).toBeGreaterThan(0)
  expect(m.main.small, `${where}: main tap targets under 60×60`).toEqual([])
  expect(m.all.small, `${where}: tap targets under 44×44`).toEqual([])
  expect(m.overflow, `${where}: horizontal overflow`).toBeLessThanOrEqual(0)
  expect(m.clipped, `${where}: labels cut off`).toEqual([])
  return m
}

const figures: Record<string, string> = {}
const note = (k: string, m: Measure) => (figures[k] = `text ≥ ${m.minFont}px, line ${m.minLine.toFixed(2)}, main targets ≥ ${Math.round(m.main.minW)}×${Math.round(m.main.minH)} (${m.main.n}), all ≥ ${Math.round(m.all.minW)}×${Math.round(m.all.minH)}`)
afterAll(() => console.log(Object.entries(figures).map(([k, v]) => `${k.padEnd(28)} ${v}`).join('\n')))

describe('长辈版 (elder mode)', () => {
  it('an elder=1 link before the hash turns it on, is remembered, and lifts the resident pages', async () => {
    const phone = '13700000011'
    const r = await residentLogin(env.app, phone)
    expect((await fileReport(env.app, r.headers)).statusCode).toBe(201)

    const page = await env.phone()
    // The session from the API login, handed to the browser (a second SMS would wait out the cooldown).
    await page.context().addCookies([{ name: 'cc_rt', value: r.cookie, url: env.base }])
    await page.goto(`${env.base}/#/login`)
    await page.evaluate(() => localStorage.setItem('cc.session', '1'))
    // Normal mode first, for the before/after figures and screenshots.
    await page.goto(`${env.base}/#/r`)
    await page.reload()
    await page.getByText('防控漏洞随手拍').waitFor()
    await settle(page)
    note('normal resident home', await measure(page))
    await page.locator('[data-test=elder-offer]').waitFor()
    await env.shot(page, 'elder-normal-resident-home')
    await page.goto(`${env.base}/#/r/report`)
    await settle(page)
    note('normal report form', await measure(page))
    await env.shot(page, 'elder-normal-report')

    await page.goto(`${env.base}/?elder=1#/r`)
    await page.getByText('防控漏洞随手拍').waitFor()
    // The parameter is taken out of the address, so switching off later is not undone by a reload.
    expect(page.url()).toBe(`${env.base}/#/r`)
    await page.locator('[data-test=elder-tiles]').waitFor()
    expect(await page.locator('[data-test=elder-offer]').count()).toBe(0)
    expect(await page.locator('.tile-text').allTextContents()).toEqual(['反映问题', '我的反映', '整改通报', '查询进度'])
    note('elder resident home', await expectElder(page, 'resident home'))
    await env.shot(page, 'elder-resident-home')

    await page.locator('[data-test=tile-report]').click()
    await page.waitForURL(/#\/r\/report$/)
    await page.locator('[data-test^=category-]').first().waitFor()
    note('elder report form', await expectElder(page, 'report form'))
    await env.shot(page, 'elder-report')

    await page.goto(`${env.base}/#/r/mine`)
    await page.locator('.van-cell, [class*=card]').first().waitFor()
    note('elder 我的反映', await expectElder(page, '我的反映'))
    await env.shot(page, 'elder-mine')

    await page.goto(`${env.base}/#/b`)
    await page.getByText('崇川区网友反馈问题整改通报').waitFor()
    // No bulletin is published in this database: the page is its banner and an empty state.
    note('elder bulletins', await expectElder(page, 'bulletins', { hasMainTargets: false }))
    await env.shot(page, 'elder-bulletins')

    // Remembered on this phone: a fresh visit without the link opens large.
    await page.goto(`${env.base}/#/r`)
    await page.reload()
    await page.locator('[data-test=elder-tiles]').waitFor()
    await page.context().close()
  }, 90_000)

  it('the 长辈版 switch in 我的 turns it on; 30px still fits a 390px phone on every page', async () => {
    const page = await env.phone()
    await loginAsResident(env, page, '13700000012')
    await page.waitForURL(/#\/r$/)
    // The first-visit offer can be declined, and then does not come back.
    await page.locator('[data-test=elder-offer-no]').click()
    await page.reload()
    await page.getByText('防控漏洞随手拍').waitFor()
    expect(await page.locator('[data-test=elder-offer]').count()).toBe(0)

    await page.goto(`${env.base}/#/me`)
    await page.locator('[data-test=elder-switch]').click()
    await page.locator('[data-test=elder-size-30]').click()
    expect(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--cc-elder-fs').trim())).toBe('30px')
    note('elder 我的 at 30px', await expectElder(page, '我的 at 30px'))
    await env.shot(page, 'elder-me-30')
    for (const [path, name] of [['/r', 'home'], ['/r/report', 'report'], ['/r/mine', 'mine'], ['/b', 'bulletins']] as const) {
      await page.goto(`${env.base}/#${path}`)
      await settle(page)
      const m = await expectElder(page, `${name} at 30px`, { hasMainTargets: name !== 'bulletins' })
      expect(m.minFont).toBeGreaterThanOrEqual(18)
      note(`elder ${name} at 30px`, m)
      await env.shot(page, `elder-30-${name}`)
    }
    // Main text is really 30px, not only the floor.
    await page.goto(`${env.base}/#/r`)
    await page.locator('.tile-sub').first().waitFor()
    expect(parseFloat(await page.locator('.tile-sub').first().evaluate((e) => getComputedStyle(e).fontSize))).toBe(30)

    await page.goto(`${env.base}/#/me`)
    await page.locator('[data-test=elder-switch]').click()
    expect(await page.evaluate(() => document.documentElement.classList.contains('cc-elder'))).toBe(false)
    // A fresh load of a link with elder=1 inside the hash route (the form a community worker pastes).
    await page.goto(`${env.base}/?from=wx#/r?elder=1`)
    await page.locator('[data-test=elder-tiles]').waitFor()
    expect(page.url()).toBe(`${env.base}/?from=wx#/r`)
    await page.context().close()
  }, 90_000)

  it("a gatekeeper's pages use the elder sizes without the switch", async () => {
    const page = await env.phone()
    await loginAsStaff(env, page, 'menwei')
    await page.waitForURL(/#\/g$/)
    note('gatekeeper home', await expectElder(page, 'gatekeeper home'))
    await env.shot(page, 'elder-gatekeeper-home')
    await page.goto(`${env.base}/#/me`)
    await page.locator('[data-test=elder-switch]').waitFor()
    expect(await page.locator('[data-test=elder-switch]').getAttribute('class')).toMatch(/van-switch--on/)
    await page.context().close()
  })

  it("staff homes in normal and elder mode (the community worker's measured)", async () => {
    for (const [user, home] of [['daqing', 'c'], ['qiankun', 'u'], ['rengang', 's'], ['admin', 'd']] as const) {
      const page = await env.phone()
      await loginAsStaff(env, page, user)
      await page.waitForURL(new RegExp(`#/${home}$`))
      await settle(page)
      if (user === 'daqing') note('normal community home', await measure(page))
      await env.shot(page, `elder-normal-${home}-home`)
      await page.goto(`${env.base}/#/${home}?elder=1`)
      await page.waitForURL(new RegExp(`#/${home}$`))
      await settle(page)
      if (user === 'daqing') note('elder community home', await expectElder(page, 'community worker home'))
      else expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${user} overflow`).toBeLessThanOrEqual(0)
      await env.shot(page, `elder-${home}-home`)
      await page.context().close()
    }
  }, 90_000)
})
