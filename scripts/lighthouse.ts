/**
 * `pnpm lighthouse`: Lighthouse 12 (mobile preset: Moto G Power emulation, simulated Slow 4G + 4× CPU) on the
 * public pages of the built H5, served by the real app on a throwaway embedded PostgreSQL:
 * 登录 /#/login, 通报列表 /#/b, one published bulletin /#/b/:id (walked through the whole loop first, so the
 * page has an item with its verified fix), 查询进度 /#/q. Prints the four category scores per page and, for
 * any category under its target, the titles of its failing audits; full JSON reports go to
 * test/.artifacts/lighthouse/. Exits 1 when a target is missed (`--no-fail`: print only, as `pnpm bench` does).
 * Needs `pnpm build` first (H5_DIST=<folder> measures another build) and Chromium at CHROME_PATH
 * (default /usr/bin/chromium). ~35 s for the four pages; LH_ONLY=/b measures the pages whose hash has /b.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse, { type RunnerResult } from 'lighthouse'
import pg from 'pg'
import { build } from '../server/src/app.js'
import { loadConfig } from '../server/src/config.js'
import { createDb, createPool } from '../server/src/db/client.js'
import { startEmbeddedPostgres } from '../server/src/db/embedded.js'
import { runMigrations } from '../server/src/db/migrate.js'
import { findOrgByNames, seedIfEmpty } from '../server/src/seed/seed.js'
import { TEST_ENV } from '../test/env.js'
import { photoWithGps } from '../test/api/flow.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DIST = path.resolve(process.env.H5_DIST ?? path.join(ROOT, 'h5/dist'))
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium'
/** Full JSON reports, one per page, for the details behind a score (open in https://googlechrome.github.io/lighthouse/viewer/). */
const REPORTS = path.join(ROOT, 'test/.artifacts/lighthouse')
mkdirSync(REPORTS, { recursive: true })
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const
type Category = (typeof CATEGORIES)[number]
const TARGET: Record<Category, number> = { performance: 90, accessibility: 100, 'best-practices': 95, seo: 90 }
const LABEL: Record<Category, string> = { performance: 'perf', accessibility: 'a11y', 'best-practices': 'best practices', seo: 'SEO' }

if (!existsSync(path.join(DIST, 'index.html'))) {
  console.error(`No built H5 at ${DIST}: run \`pnpm build\` first (or set H5_DIST).`)
  process.exit(2)
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-lighthouse-'))
chmodSync(dir, 0o755)
const db = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
const admin = new pg.Client({ connectionString: db.url() })
await admin.connect()
await admin.query('CREATE DATABASE lighthouse')
await admin.end()
const url = db.url('lighthouse')
await runMigrations(url)
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url }, { uploadDir: path.join(dir, 'uploads'), h5Dist: DIST })
await seedIfEmpty(createDb(pool), config)
const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

async function call(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) {
  const r = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
  if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`)
  return r.json()
}
async function staff(role: 'district_admin' | 'community_worker', orgNames: string[]) {
  const org = await findOrgByNames(app.db, orgNames)
  const name = `lh_${role}`
  const u = await pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $1) RETURNING id`, [name])
  const g = await pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [u.rows[0]!.id, role, org.id])
  return { authorization: `Bearer ${app.jwt.sign({ sub: String(u.rows[0]!.id), gid: g.rows[0]!.id, role, org: org.id, path: org.path })}` }
}

/** One report through 反映 → 受理 → 交办 → 签收 → 整改 → 核验 → 通报, by the same routes the H5 calls. */
async function publishedBulletin(): Promise<number> {
  const phone = '13512345678'
  const sent = await call('POST', '/api/v1/auth/sms/send', {}, { phone })
  const login = await call('POST', '/api/v1/auth/login/sms', {}, { phone, code: sent.devCode })
  const resident = { authorization: `Bearer ${login.accessToken}` }
  const district = await staff('district_admin', [])
  const worker = await staff('community_worker', ['任港街道', '大庆社区'])
  const place = await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])
  const cats = await call('GET', '/api/v1/complaints/categories', {})
  const categoryId = cats.items.find((c: { code: string }) => c.code === 'gate_unchecked').id
  const c = await call('POST', '/api/v1/complaints', resident, {
    categoryId,
    placeOrgId: place.id,
    description: '任港路新村10个出入口只有3个有人值守，东门无人查验',
    anonymous: false,
    photoIds: [],
  })
  await call('POST', `/api/v1/admin/complaints/${c.id}/accept`, district, {})
  await call('POST', `/api/v1/admin/complaints/${c.id}/assign`, district, { unitOrgId: (await findOrgByNames(app.db, ['任港街道', '大庆社区'])).id })
  await call('POST', `/api/v1/tasks/${c.id}/sign`, worker, {})
  const form = new FormData()
  form.append('file', new Blob([await photoWithGps()], { type: 'image/jpeg' }), 'fix.jpg')
  const up = await fetch(`${base}/api/v1/uploads?purpose=rectify`, { method: 'POST', headers: worker, body: form })
  if (up.status !== 201 && up.status !== 200) throw new Error(`upload: ${up.status} ${await up.text()}`)
  const photo = ((await up.json()) as { id: string }).id
  await call('POST', `/api/v1/tasks/${c.id}/rectify`, worker, { text: '已在东门增设志愿者，24小时查验出入人员', photoIds: [photo] })
  await call('POST', `/api/v1/admin/complaints/${c.id}/verify`, district, {})
  const draft = await call('POST', '/api/v1/admin/bulletins/draft', district, {})
  await call('POST', `/api/v1/admin/bulletins/${draft.id}/publish`, district, {})
  return draft.id as number
}

interface Audit {
  id: string
  title: string
  score: number | null
  scoreDisplayMode: string
}
interface Row {
  page: string
  scores: Record<Category, number>
  failing: Partial<Record<Category, string[]>>
}

let chrome: chromeLauncher.LaunchedChrome | undefined
let missed = false
try {
  const bulletinId = await publishedBulletin()
  const pages: [string, string][] = [
    ['登录 /#/login', '/#/login'],
    ['通报列表 /#/b', '/#/b'],
    [`通报 /#/b/${bulletinId}`, `/#/b/${bulletinId}`],
    ['查询进度 /#/q', '/#/q'],
  ]
  const rows: Row[] = []
  for (const [name, hash] of pages.filter(([, h]) => !process.env.LH_ONLY || h.includes(process.env.LH_ONLY))) {
    // A browser per page: in one tab, /#/login → /#/b is a same-document navigation, which leaves
    // Lighthouse without a navigation start (NO_NAVSTART). A fresh profile is also a true first visit.
    chrome = await chromeLauncher.launch({
      chromePath: CHROME,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    })
    let result: RunnerResult | undefined
    // NO_NAVSTART ("please run Lighthouse again") now and then on this machine: a second try clears it.
    for (let attempt = 1; ; attempt++) {
      result = await lighthouse(`${base}${hash}`, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES] })
      const err = result?.lhr.runtimeError
      if (!err) break
      if (attempt === 3) throw new Error(`${hash}: ${err.code} ${err.message}`)
    }
    if (!result) throw new Error(`Lighthouse returned nothing for ${hash}`)
    const lhr = result.lhr
    writeFileSync(path.join(REPORTS, `${hash.replace(/\W+/g, '_').replace(/^_|_$/g, '') || 'root'}.json`), result.report as string)
    const row: Row = { page: name, scores: {} as Record<Category, number>, failing: {} }
    for (const cat of CATEGORIES) {
      const c = lhr.categories[cat]!
      const score = Math.round((c.score ?? 0) * 100)
      row.scores[cat] = score
      if (score < TARGET[cat]) {
        missed = true
        row.failing[cat] = c.auditRefs
          // Weight-0 audits (performance opportunities, manual checks) do not move the score.
          .filter((ref) => ref.weight > 0)
          .map((ref) => lhr.audits[ref.id] as Audit)
          .filter((a) => a.score !== null && a.score < (cat === 'performance' ? 0.9 : 1) && !['informative', 'notApplicable', 'manual'].includes(a.scoreDisplayMode))
          .map((a) => `${a.title}${cat === 'performance' ? ` (${Math.round(a.score! * 100)})` : ''}`)
      }
    }
    rows.push(row)
    await chrome.kill()
    chrome = undefined
    console.error(`  measured ${name}`)
  }

  const cols = CATEGORIES.map((c) => `${LABEL[c]} (≥ ${TARGET[c]})`)
  console.log(`\nLighthouse ${lighthouseVersion()} · mobile · ${DIST}\n`)
  console.log(`| page | ${cols.join(' | ')} |`)
  console.log(`|---|${cols.map(() => '---:').join('|')}|`)
  for (const r of rows) console.log(`| ${r.page} | ${CATEGORIES.map((c) => `${r.scores[c]}${r.scores[c] < TARGET[c] ? ' ✗' : ''}`).join(' | ')} |`)
  for (const r of rows) {
    for (const cat of CATEGORIES) {
      const f = r.failing[cat]
      if (f) console.log(`\n${r.page} · ${LABEL[cat]} ${r.scores[cat]} < ${TARGET[cat]}:\n${f.map((t) => `  - ${t}`).join('\n') || '  (no single failing audit)'}`)
    }
  }
} finally {
  await chrome?.kill()
  await app.close()
  await pool.end()
  await db.stop()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(missed && !process.argv.includes('--no-fail') ? 1 : 0)

function lighthouseVersion() {
  return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/lighthouse/package.json'), 'utf8')) as { version: string }).version
}
