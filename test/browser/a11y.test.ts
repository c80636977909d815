import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin, staffToken } from '../helper.js'
import { act, DAQING, fileReport, upload } from '../api/flow.js'
import { loginAsStaff, startBrowserEnv, type BrowserEnv } from './browser.js'

/**
 * Issue 11 §1: axe-core (WCAG 2.1 A + AA) over every route of the H5 router, as every role that may see it.
 * The routes come from the running app's own router (`router.getRoutes()`), so a route added later is
 * audited without editing this file; a route with a parameter needs one real record below, and the test
 * fails until it has one rather than skipping it.
 */
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
const RESIDENT_PHONE = '13600000311'

let env: BrowserEnv
/** Route pattern (as in the route table) → the value for its parameter. */
const records: Record<string, string> = {}

/** Who logs in, and how. `elder` audits the same role again in 长辈版 (its own sizes and layout). */
const ROLES: { role: string; login: (p: Page) => Promise<void>; elder?: boolean }[] = [
  { role: 'resident', elder: true, login: (p) => signInResident(p) },
  { role: 'gatekeeper', login: (p) => loginAsStaff(env, p, 'menwei') },
  { role: 'unit_handler', login: (p) => loginAsStaff(env, p, 'qiankun') },
  { role: 'community_worker', login: (p) => loginAsStaff(env, p, 'daqing') },
  { role: 'street_admin', login: (p) => loginAsStaff(env, p, 'rengang') },
  { role: 'district_admin', login: (p) => loginAsStaff(env, p, 'admin') },
]
let residentCookie = ''

/** The resident who filed the records, signed in with the refresh cookie of its API login (SMS has a cooldown). */
async function signInResident(p: Page) {
  await p.context().addCookies([{ name: 'cc_rt', value: residentCookie, url: env.base }])
  // The H5 asks /auth/refresh on a first visit only when it has signed in here before (its hint).
  await p.context().addInitScript(() => localStorage.setItem('cc.session', '1'))
  await p.goto(`${env.base}/#/r`)
}

interface RouteInfo {
  path: string
  public: boolean
  roles: string[] | null
  redirect: boolean
  params: { name: string; optional: boolean }[]
}
interface Violation {
  rule: string
  impact: string
  help: string
  target: string
  route: string
  role: string
}

beforeAll(async () => {
  env = await startBrowserEnv()
  // One real record for each kind of page with an id, created through the API as its users would.
  const resident = await residentLogin(env.app, RESIDENT_PHONE)
  residentCookie = resident.cookie
  const admin = (await staffToken(env.app, 'district_admin', [])).headers
  const worker = (await staffToken(env.app, 'community_worker', DAQING)).headers
  const daqing = await findOrgByNames(env.app.db, DAQING)
  const market = await findOrgByNames(env.app.db, ['和平桥街道', '濠城社区', '东方鑫乾大厦物管项目'])
  const must = async (r: Promise<{ statusCode: number; body: string; json: () => any }>) => {
    const res = await r
    if (res.statusCode >= 300) throw new Error(res.body)
    return res.json()
  }
  const file = async () => (await must(fileReport(env.app, resident.headers))) as { id: number; trackingCode: string }
  const assign = async (id: number, unitOrgId: number) => {
    await must(act(env.app, admin, `/api/v1/admin/complaints/${id}/accept`))
    await must(act(env.app, admin, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId }))
  }
  const rectify = async (id: number) => {
    const photo = (await upload(env.app, worker, 'rectify')).json().id
    await must(act(env.app, worker, `/api/v1/tasks/${id}/rectify`, { text: '已在东门增设志愿者，24小时查验出入人员', photoIds: [photo] }))
  }
  // Published: the resident's detail shows the fix and the rating, the public bulletin has an item.
  const done = await file()
  await assign(done.id, daqing.id)
  await must(act(env.app, worker, `/api/v1/tasks/${done.id}/sign`))
  await rectify(done.id)
  await must(act(env.app, admin, `/api/v1/admin/complaints/${done.id}/verify`))
  const published = await must(act(env.app, admin, '/api/v1/admin/bulletins/draft'))
  await must(act(env.app, admin, `/api/v1/admin/bulletins/${published.id}/publish`))
  // A task the community and its street are working on, one at a market entity, one waiting for triage.
  const task = await file()
  await assign(task.id, daqing.id)
  await must(act(env.app, worker, `/api/v1/tasks/${task.id}/sign`))
  const unitTask = await file()
  await assign(unitTask.id, market.id)
  const waiting = await file()
  // A draft bulletin for the editor.
  const next = await file()
  await assign(next.id, daqing.id)
  await must(act(env.app, worker, `/api/v1/tasks/${next.id}/sign`))
  await rectify(next.id)
  await must(act(env.app, admin, `/api/v1/admin/complaints/${next.id}/verify`))
  const draft = await must(act(env.app, admin, '/api/v1/admin/bulletins/draft'))
  // A household for the register's detail page (the seed's buildings, or one made here).
  const xincun = await findOrgByNames(env.app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])
  await env.app.pool.query(`INSERT INTO buildings (compound_id, name, units) VALUES ($1, '1幢', 2) ON CONFLICT DO NOTHING`, [xincun.id])
  const building = (await env.app.pool.query<{ id: number }>('SELECT id FROM buildings WHERE compound_id = $1 ORDER BY id LIMIT 1', [xincun.id])).rows[0]!
  const household = await must(act(env.app, worker, '/api/v1/register/households', { compoundId: xincun.id, buildingId: building.id, unit: 1, room: '8801' }))
  await must(act(env.app, worker, `/api/v1/register/households/${household.id}/residents`, { name: '钱老汉', idNumber: '320602194203159512', relation: '户主', elderlyAlone: true, noSmartphone: true }))
  // A return the resident registered (返崇登记), placed in home quarantine: 我的隔离 with its slots.
  const returned = await must(
    act(env.app, resident.headers, '/api/v1/me/returnees', {
      forSelf: true,
      name: '孙返乡',
      idNumber: '320602199005051239',
      compoundId: xincun.id,
      address: '2幢1单元301',
      trip: { provinceCode: '420000', cityCode: '420100', districtCode: '420102', originName: '湖北省武汉市江岸区', arrivedOn: new Date().toISOString().slice(0, 10), transport: 'train', transportNo: 'G1234', keyContact: false },
    }),
  )
  await must(act(env.app, worker, `/api/v1/quarantine/cases/${returned.returnee.caseId}/decide`, { measure: 'home', reason: '武汉返崇，居家隔离14天' }))

  // 红黑榜: the seeded periods for the public pages, and a draft with a red and a flagged black entry (evidence
  // with an inspection photo, suggestions) for the editor.
  const rb = (url: string, payload?: object) =>
    must(payload ? act(env.app, admin, `/api/v1/admin/redblack${url}`, payload) : env.app.inject({ url: `/api/v1/admin/redblack${url}`, headers: admin }))
  const rbEntity = async (q: string) => (await rb(`/entities?q=${encodeURIComponent(q)}`)).items[0] as { id: number }
  const rbProject = await rbEntity('濠城公寓物管项目')
  const rbCommunity = await rbEntity('大庆社区')
  const rbPublished = (await must(env.app.inject({ url: '/api/v1/redblack/periods' }))).items[0] as { id: number }
  const rbPhoto = (await upload(env.app, admin, 'report')).json().id
  const rbDraft = await rb('/periods', {})
  await rb(`/periods/${rbDraft.id}/entries`, { entityId: rbCommunity.id, list: 'red', reason: '只开小区北门，每天消杀，逐一排查', evidence: [] })
  await rb(`/periods/${rbDraft.id}/entries`, {
    entityId: rbProject.id,
    list: 'black',
    reason: '被通报后仍无整改措施',
    evidence: [{ kind: 'complaint', complaintId: task.id }, { kind: 'inspection', note: '督查：北门无人值守', photoIds: [rbPhoto] }],
  })

  // A quarantine case of the worker's community (the seed's, in home quarantine: follow-ups, NATs, events).
  const qCase = (await env.app.pool.query<{ id: number }>(`SELECT id FROM quarantine_cases WHERE community_id = $1 AND state = 'home' ORDER BY id LIMIT 1`, [daqing.id])).rows[0]!

  Object.assign(records, {
    '/q/:code?': done.trackingCode,
    '/b/:id(\\d+)': String(published.id),
    '/r/receipt/:id(\\d+)': String(done.id),
    '/r/c/:id(\\d+)': String(done.id),
    '/u/t/:id(\\d+)': String(unitTask.id),
    '/c/t/:id(\\d+)': String(task.id),
    '/s/t/:id(\\d+)': String(task.id),
    '/d/c/:id(\\d+)': String(waiting.id),
    '/d/bulletins/:id(\\d+)': String(draft.id),
    '/c/register/h/:id(\\d+)': String(household.id),
    '/c/quarantine/:id(\\d+)': String(qCase.id),
    '/r/return/:id(\\d+)': String(returned.returnee.id),
    '/rb/:id(\\d+)': String(rbPublished.id),
    '/rb/e/:id(\\d+)': String(rbProject.id),
    '/d/redblack/:id(\\d+)': String(rbDraft.id),
  })
}, 120_000)
afterAll(() => env?.close())

/** The route table of the running app, read from its router. */
async function routeTable(page: Page): Promise<RouteInfo[]> {
  // (Polled from here: the H5's CSP forbids the eval that page.waitForFunction uses.)
  await expect.poll(() => page.evaluate(() => !!(document.querySelector('#app') as any)?.__vue_app__)).toBe(true)
  return page.evaluate(() => {
    const router = (document.querySelector('#app') as any).__vue_app__.config.globalProperties.$router
    return router.getRoutes().map((r: any) => ({
      path: r.path as string,
      public: !!r.meta.public,
      roles: (r.meta.roles as string[] | undefined) ?? null,
      // A parent (the role shell) is reached through its children; a redirect renders nothing itself.
      redirect: !!r.redirect || (r.children?.length ?? 0) > 0,
      params: [...(r.path as string).matchAll(/:(\w+)(\([^)]*\))?([?*+]?)/g)].map((m) => ({ name: m[1]!, optional: m[3] === '?' || m[3] === '*' })),
    }))
  })
}

/** The URL path for a route: its parameter filled with the record made for it. */
function urlFor(r: RouteInfo): string {
  if (r.params.length === 0) return r.path
  const value = records[r.path]
  if (value === undefined) throw new Error(`route ${r.path} has a parameter: add one real record for it to \`records\` in test/browser/a11y.test.ts`)
  return r.path.replace(/:(\w+)(\([^)]*\))?([?*+]?)/, value)
}

/** Waits until the page has no request in flight and no loading indicator for a moment. */
async function settle(page: Page, inflight: { n: number }) {
  const deadline = Date.now() + 10_000
  let quietSince = 0
  while (Date.now() < deadline) {
    const busy = inflight.n > 0 || (await page.locator('.van-loading:visible, .van-skeleton:visible, .van-pull-refresh__loading:visible').count()) > 0
    if (busy) quietSince = 0
    else if (!quietSince) quietSince = Date.now()
    else if (Date.now() - quietSince > 400) break
    await page.waitForTimeout(50)
  }
  // Let transitions (a toast fading in, tab underline, popups closing) end: axe measures the contrast of
  // what is on screen, and half-faded text is not what anyone reads.
  // A toast is measured mid-fade by chance (登录成功 fading over the first page): wait until it has gone.
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 4000 }).catch(() => {})
  await page.waitForTimeout(100)
  // Finite animations only: a spinner or a marquee runs for ever. (Polled here: the H5's CSP forbids the
  // eval that page.waitForFunction uses.)
  for (let i = 0; i < 50; i++) {
    const moving = await page.evaluate(() =>
      document.getAnimations().some((a) => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime ?? Infinity)),
    )
    if (!moving) break
    await page.waitForTimeout(100)
  }
}

async function audit(page: Page, route: string, role: string): Promise<Violation[]> {
  // Evaluated through the DevTools protocol: the H5's CSP (script-src 'self') rightly refuses a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE)
  const results = await page.evaluate(
    (tags) => (window as any).axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  )
  return (results.violations as any[]).flatMap((v) =>
    (v.nodes as any[]).map((n) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      // The target, and for contrast the measured colours and ratio (axe's first finding).
      target: `${(n.target as string[]).join(" ")}  ${n.any?.[0]?.message ?? n.all?.[0]?.message ?? ""} ${v.id === "color-contrast" ? n.html : ""}`.trim(),
      route,
      role,
    })),
  )
}

function tracked(page: Page) {
  const inflight = { n: 0 }
  page.on('request', () => inflight.n++)
  page.on('requestfinished', () => inflight.n--)
  page.on('requestfailed', () => inflight.n--)
  return inflight
}

describe('WCAG 2.1 AA (axe-core) on every route', () => {
  it('every role × route the role may see has no violation', async () => {
    const violations: Violation[] = []
    const pairs: string[] = []

    // Public pages, signed out.
    const guest = await env.phone()
    const guestInflight = tracked(guest)
    await guest.goto(`${env.base}/#/login`)
    const routes = await routeTable(guest)
    expect(routes.length).toBeGreaterThan(10)
    for (const r of routes.filter((r) => r.public && !r.redirect)) {
      const url = urlFor(r)
      await guest.goto(`${env.base}/#${url}`)
      await settle(guest, guestInflight)
      violations.push(...(await audit(guest, url, 'guest')))
      pairs.push(`guest ${url}`)
    }
    await guest.context().close()

    for (const who of ROLES) {
      const page = await env.phone()
      const inflight = tracked(page)
      await who.login(page)
      await page.waitForURL((u) => /^#\/\w/.test(u.hash) && !u.hash.startsWith('#/login'))
      for (const elder of who.elder ? [false, true] : [false]) {
        const label = elder ? `${who.role}(长辈版)` : who.role
        if (elder) {
          await page.goto(`${env.base}/?elder=1#/`)
          await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('cc-elder'))).toBe(true)
        }
        for (const r of routes.filter((r) => !r.public && !r.redirect && (!r.roles || r.roles.includes(who.role)))) {
          const url = urlFor(r)
          await page.goto(`${env.base}/#${url}`)
          await settle(page, inflight)
          const landed = new URL(page.url()).hash.slice(1).split('?')[0]!
          expect(landed, `${label} was sent to the login page from ${url}`).not.toBe('/login')
          // `/` only sends a role to its home, which is audited as its own route.
          if (url === '/') continue
          violations.push(...(await audit(page, landed, label)))
          pairs.push(`${label} ${landed}`)
        }
      }
      await page.context().close()
    }

    const rules = new Set(violations.map((v) => v.rule))
    console.log(`[a11y] axe-core ${TAGS.join(',')}: audited ${pairs.length} role × route pairs; ${rules.size} rules violated on ${violations.length} elements`)
    const byRule = new Map<string, Violation[]>()
    for (const v of violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v])
    const report = [...byRule].map(
      ([rule, vs]) => `${rule} (${vs[0]!.impact}: ${vs[0]!.help}) × ${vs.length}\n` + vs.map((v) => `    ${v.role} ${v.route}  ${v.target}`).join('\n'),
    )
    if (report.length) console.log(report.join('\n'))
    expect(report, `axe violations:\n${report.join('\n')}`).toEqual([])
  }, 300_000)
})

describe('keyboard only', () => {
  /** Presses Tab until the focused element matches `selector` (at most `max` times), as a keyboard user would. */
  async function tabTo(page: Page, selector: string, max = 60) {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab')
      if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return
    }
    throw new Error(`Tab never reached ${selector}`)
  }

  it('a resident completes a report with Tab, arrows, Space, Enter and typing alone', async () => {
    const page = await env.phone()
    const me = await residentLogin(env.app, '13600000312')
    await page.context().addCookies([{ name: 'cc_rt', value: me.cookie, url: env.base }])
    await page.context().addInitScript(() => localStorage.setItem('cc.session', '1'))
    await page.goto(`${env.base}/#/r/report`)
    await page.locator('[data-test^=category-]').first().waitFor()

    // Category: a radio button, chosen with Space.
    await tabTo(page, '[data-test=category-gate_unchecked]')
    await page.keyboard.press('Space')
    expect(await page.locator('[data-test=category-gate_unchecked]').getAttribute('aria-checked')).toBe('true')

    // Place: the tabs follow the arrow keys; 其他地址 takes a typed address.
    await tabTo(page, '[data-test=place-tabs] [role=tab][aria-selected=true]')
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('[data-test=place-tabs] [role=tab][aria-selected=true]').textContent()).toContain('其他地址')
    await tabTo(page, '[data-test=report-address] input')
    await page.keyboard.type('任港路88号小区东门')

    await tabTo(page, '[data-test=report-description] textarea')
    await page.keyboard.type('东门晚上无人值守，进出人员不测温也不查通行证。')

    // The anonymous switch: reachable, named, toggled with Space.
    await tabTo(page, '[data-test=report-anonymous]')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('匿名反映')
    await page.keyboard.press('Space')
    expect(await page.locator('[data-test=report-anonymous]').getAttribute('aria-checked')).toBe('true')

    await tabTo(page, '[data-test=report-submit]')
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/r\/receipt\/\d+/, { timeout: 15_000 })
    await page.locator('[data-test=tracking-code]').waitFor()
    // The success toast reached the live region, so a screen reader heard it too.
    await expect.poll(() => page.locator('[data-test=live-region]').textContent(), { timeout: 5000 }).not.toBe('')
    await page.context().close()
  }, 90_000)

  it('picks a place in the cascader with Enter and the arrow keys, and comes back to the field', async () => {
    const page = await env.phone()
    const me = await residentLogin(env.app, '13600000313')
    await page.context().addCookies([{ name: 'cc_rt', value: me.cookie, url: env.base }])
    await page.context().addInitScript(() => localStorage.setItem('cc.session', '1'))
    await page.goto(`${env.base}/#/r/report`)
    await page.locator('[data-test^=category-]').first().waitFor()
    await tabTo(page, '[data-test=place-field] input')
    await page.keyboard.press('Enter')
    for (const [level, name] of ['任港街道', '大庆社区', '任港路新村'].entries()) {
      // Focus lands on an option of this level once it has slid in.
      const focusedLevel = () =>
        page.evaluate(() => {
          const el = document.activeElement
          if (el?.getAttribute('role') !== 'menuitemradio') return -1
          return [...document.querySelectorAll('[data-test=place-popup] .van-tab__panel-wrapper')].indexOf(el.closest('.van-tab__panel-wrapper')!)
        })
      await expect.poll(focusedLevel).toBe(level)
      for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.textContent ?? '')).includes(name); i++) await page.keyboard.press('ArrowDown')
      expect(await page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(name)
      await page.keyboard.press('Enter')
    }
    await expect.poll(() => page.locator('[data-test=place-field] input').inputValue()).toContain('任港路新村')
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-test=place-field]') !== null)).toBe(true)
    await page.context().close()
  }, 60_000)
})
