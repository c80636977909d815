import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest'
import { COMPLAINT_TRANSITIONS, type ComplaintStatus } from '@cc/shared'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { sweepClocks, autoClose } from '../../server/src/jobs/clocks.js'
import { DevSmsProvider } from '../../server/src/modules/auth/sms.js'
import { seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../env.js'
import { staffToken, type TestApp } from '../helper.js'

/**
 * The demo history (DEMO_HISTORY on, the default of a fresh `pnpm start`): a database made from nothing,
 * migrated and seeded the way the product starts, then every invariant checked from the data itself.
 */
let adminUrl: string
let name: string
let pool: pg.Pool
/** CPU of this process and of the one PostgreSQL backend that ran the seed: what a quiet machine would wait. */
const ticks = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}
let app: TestApp
let seedMs = { plain: 0, history: 0, plainCpu: 0, historyCpu: 0 }
const q = async <T = Record<string, unknown>>(text: string, values: unknown[] = []) => (await pool.query(text, values)).rows as T[]

async function seededDatabase(history: boolean) {
  const db = `cc_h_${randomBytes(5).toString('hex')}`
  const a = new pg.Client({ connectionString: adminUrl })
  await a.connect()
  await a.query(`CREATE DATABASE ${db}`)
  await a.end()
  const url = adminUrl.replace(/\/[^/]*$/, `/${db}`)
  await runMigrations(url)
  // One connection, so the backend measured is the one that seeds.
  const p = createPool(url, 1)
  const [{ pid }] = (await p.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }]
  const cpu0 = process.cpuUsage()
  const pg0 = ticks(pid)
  const t0 = performance.now()
  await seedIfEmpty(createDb(p), loadConfig({ ...TEST_ENV, DEMO_HISTORY: history ? '1' : '0' }))
  const ms = performance.now() - t0
  const node = process.cpuUsage(cpu0)
  return { db, url, pool: p, ms, cpu: (node.user + node.system) / 1000 + (ticks(pid) - pg0) }
}
async function dropDatabase(db: string) {
  const a = new pg.Client({ connectionString: adminUrl })
  await a.connect()
  await a.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`)
  await a.end()
}

beforeAll(async () => {
  adminUrl = inject('pgAdminUrl')
  // The same seed without the history, for the cost the history adds to a first start.
  const plain = await seededDatabase(false)
  await plain.pool.end()
  await dropDatabase(plain.db)
  const h = await seededDatabase(true)
  name = h.db
  pool = h.pool
  seedMs = { plain: plain.ms, history: h.ms, plainCpu: plain.cpu, historyCpu: h.cpu }
  const r = Math.round
  console.log(
    `demo seed: ${r(seedMs.plain)} ms without history, ${r(seedMs.history)} ms with it (+${r(seedMs.history - seedMs.plain)} ms); ` +
      `CPU node + postgres backend: ${r(seedMs.plainCpu)} ms → ${r(seedMs.historyCpu)} ms (+${r(seedMs.historyCpu - seedMs.plainCpu)} ms)`,
  )
  const config = loadConfig({ ...TEST_ENV, DEMO_HISTORY: '1' }, { uploadDir: `test/.artifacts/uploads/${name}` })
  const built = await build({ config: { ...config, databaseUrl: h.url }, pool, sms: new DevSmsProvider(), logger: false })
  app = Object.assign(built, { sms: new DevSmsProvider(), close2: async () => {} }) as TestApp
}, 120_000)
afterAll(async () => {
  await app?.close()
  await pool?.end()
  if (name) await dropDatabase(name)
})

describe('demo history seed', () => {
  it('fills ~60 days with 1,000–2,000 reports over every street, category and reachable state', async () => {
    const [r] = await q<{ n: number; streets: number; cats: number; days: number; first: string; reporters: number; places: number }>(`
      SELECT count(*)::int AS n, count(DISTINCT street_org_id)::int AS streets, count(DISTINCT category_id)::int AS cats,
        count(DISTINCT (created_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days, min(created_at)::text AS first,
        count(DISTINCT reporter_id)::int AS reporters, count(DISTINCT place_org_id)::int AS places
      FROM complaints`)
    expect(r!.n).toBeGreaterThanOrEqual(1000)
    expect(r!.n).toBeLessThanOrEqual(2000)
    expect(r!.streets).toBe(16)
    const [{ active }] = await q<{ active: number }>(`SELECT count(*)::int AS active FROM complaint_categories WHERE active`)
    expect(r!.cats).toBe(active)
    expect(r!.days).toBeGreaterThanOrEqual(58)
    expect(r!.reporters).toBeLessThanOrEqual(21)
    // Whatever the hour of the start: 重新办理 is the one state a report only passes through briefly.
    const statuses = (await q<{ status: ComplaintStatus }>(`SELECT DISTINCT status FROM complaints`)).map((x) => x.status)
    expect(statuses).toEqual(expect.arrayContaining(['submitted', 'accepted', 'rejected', 'merged', 'assigned', 'signed', 'rectified', 'verified', 'published', 'closed']))
    // The side roads of the loop happened too: returns, reopenings, requests (some still waiting), joins.
    const [side] = await q<Record<string, number>>(`
      SELECT count(*) FILTER (WHERE kind = 'returned')::int AS returned, count(*) FILTER (WHERE kind = 'rated' AND to_status = 'reopened')::int AS reopened,
        count(*) FILTER (WHERE kind = 'extension_requested')::int AS extension, count(*) FILTER (WHERE kind = 'reassign_approved')::int AS reassigned,
        count(*) FILTER (WHERE kind = 'escalation')::int AS escalated, count(*) FILTER (WHERE kind = 'reminder')::int AS reminded,
        count(*) FILTER (WHERE kind = 'follow')::int AS followed, count(*) FILTER (WHERE kind = 'merged_in')::int AS merged_in
      FROM complaint_events`)
    for (const [k, v] of Object.entries(side!)) expect(v, k).toBeGreaterThan(0)
    const [{ pending, overdueOpen, late, satisfied, rated }] = await q<{ pending: number; overdueOpen: number; late: number; satisfied: number; rated: number }>(`
      SELECT count(*) FILTER (WHERE pending_request IS NOT NULL)::int AS pending,
        count(*) FILTER (WHERE status IN ('assigned', 'signed') AND (sign_overdue OR rectify_overdue))::int AS "overdueOpen",
        count(*) FILTER (WHERE rectified_on_time = false)::int AS late,
        count(*) FILTER (WHERE rating = 'satisfied')::int AS satisfied, count(*) FILTER (WHERE rating IS NOT NULL)::int AS rated
      FROM complaints`)
    expect(pending).toBeGreaterThan(0)
    expect(overdueOpen).toBeGreaterThan(0)
    expect(late).toBeGreaterThan(0)
    expect(satisfied / rated).toBeGreaterThan(0.85)
  })

  it('gives every report a status that agrees with its timestamps and its event history', async () => {
    const rows = await q<Record<string, any>>(`
      SELECT c.*, (SELECT json_agg(json_build_object('at', e.at, 'kind', e.kind, 'from', e.from_status, 'to', e.to_status, 'actor', e.actor_role) ORDER BY e.id)
        FROM complaint_events e WHERE e.complaint_id = c.id) AS events
      FROM complaints c ORDER BY c.id`)
    const now = Date.now()
    const bad: string[] = []
    const fail = (c: Record<string, any>, why: string) => bad.length < 20 && bad.push(`#${c.id}: ${why}`)
    const t = (v: unknown) => (v == null ? null : new Date(v as string).getTime())
    for (const c of rows) {
      const ev = c.events as { at: string; kind: string; from: ComplaintStatus | null; to: ComplaintStatus | null; actor: string | null }[]
      const moves = ev.filter((e) => e.to !== null)
      // A chain of allowed transitions from submitted to the row's status, in time order.
      if (moves[0]?.kind !== 'submitted' || moves[0].to !== 'submitted') fail(c, 'does not start with submitted')
      for (let i = 1; i < moves.length; i++) {
        if (moves[i]!.from !== moves[i - 1]!.to) fail(c, `gap ${moves[i - 1]!.to} → ${moves[i]!.from}`)
        if (!COMPLAINT_TRANSITIONS[moves[i]!.from!].includes(moves[i]!.to!)) fail(c, `forbidden ${moves[i]!.from} → ${moves[i]!.to}`)
      }
      if (moves.at(-1)!.to !== c.status) fail(c, `last event ${moves.at(-1)!.to} ≠ status ${c.status}`)
      for (let i = 1; i < ev.length; i++) if (t(ev[i]!.at)! < t(ev[i - 1]!.at)!) fail(c, 'events out of time order')
      if (t(ev.at(-1)!.at)! > now) fail(c, 'event in the future')
      if (t(ev[0]!.at) !== t(c.created_at)) fail(c, 'first event is not at created_at')
      const s = c.status as ComplaintStatus
      const at = (status: ComplaintStatus) => t([...moves].reverse().find((m) => m.to === status)?.at)
      // Columns each state implies, and the moments they record.
      if (['assigned', 'signed', 'rectified'].includes(s) && !c.assignee_org_id) fail(c, 'no assignee')
      if (s === 'assigned' && (c.signed_at || t(c.assigned_at) !== at('assigned'))) fail(c, 'assigned clocks')
      if (['signed', 'rectified', 'verified', 'published'].includes(s) && !c.signed_at) fail(c, 'no signed_at')
      if (c.signed_at && t(c.signed_at)! < t(c.assigned_at)!) fail(c, 'signed before assigned')
      if (['rectified', 'verified', 'published'].includes(s) && (t(c.rectified_at) === null || c.rectified_on_time === null)) fail(c, 'no rectification')
      if (s === 'rectified' && t(c.rectified_at) !== at('rectified')) fail(c, 'rectified_at ≠ event')
      if (['verified', 'published'].includes(s) && t(c.verified_at) !== at('verified')) fail(c, 'verified_at ≠ event')
      if (s === 'published' && (t(c.published_at) !== at('published') || c.rating !== null || now - t(c.published_at)! > 7 * 86400_000 + 3600_000)) fail(c, 'published')
      if (s === 'closed' && (t(c.closed_at) !== at('closed') || !c.published_at)) fail(c, 'closed')
      if (c.rating === 'satisfied' && s !== 'closed') fail(c, 'satisfied but not closed')
      if (s === 'reopened' && c.rating !== 'unsatisfied') fail(c, 'reopened without 不满意')
      if (s === 'rejected' && !c.reject_reason) fail(c, 'rejected without reason')
      if (s === 'merged' && !c.merged_into_id) fail(c, 'merged without target')
      if (c.returns !== ev.filter((e) => e.kind === 'returned').length) fail(c, 'returns ≠ returned events')
      if (c.pending_request && !['assigned', 'signed'].includes(s)) fail(c, 'request pending outside assigned/signed')
      // The clocks as the minute job leaves them: expired → flagged and escalated; a flag only after expiry.
      const signDue = t(c.sign_due_at)
      const rectifyDue = t(c.rectify_due_at)
      if (s === 'assigned' && signDue! < now - 120_000 && !c.sign_overdue) fail(c, 'sign clock expired, not flagged')
      if (['assigned', 'signed'].includes(s) && rectifyDue! < now - 120_000 && !c.rectify_overdue) fail(c, 'rectify clock expired, not flagged')
      if (c.sign_overdue && (signDue === null || (c.signed_at && t(c.signed_at)! < signDue))) fail(c, 'sign_overdue but signed in time')
      if ((c.sign_overdue || c.rectify_overdue) && !c.escalated_at) fail(c, 'flagged, not escalated')
      if (c.rectified_on_time === true && t(c.rectified_at)! > rectifyDue!) fail(c, 'on time after the deadline')
    }
    expect(bad).toEqual([])
  })

  it('publishes numbered bulletins 1..N without gaps, with every published report in one', async () => {
    const b = await q<{ number: number; status: string; title: string; items: number; published_at: Date }>(`
      SELECT number, status, title, published_at, (SELECT count(*)::int FROM bulletin_items i WHERE i.bulletin_id = b.id) AS items
      FROM bulletins b WHERE kind = 'regular' ORDER BY published_at`)
    expect(b.length).toBeGreaterThan(40)
    expect(b.map((x) => x.number)).toEqual(b.map((_, i) => i + 1))
    expect(b.every((x) => x.status === 'published' && x.items > 0 && x.title === `崇川区网友反馈问题整改通报(第${x.number}期)`)).toBe(true)
    const [{ last }] = await q<{ last: number }>(`SELECT last_number AS last FROM bulletin_counters`)
    expect(last).toBe(b.length)
    // Published/closed reports: their latest publication is a bulletin item published at that moment.
    const orphans = await q(`
      SELECT c.id FROM complaints c WHERE c.published_at IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM bulletin_items i JOIN bulletins b ON b.id = i.bulletin_id WHERE i.complaint_id = c.id AND b.published_at = c.published_at)`)
    expect(orphans).toEqual([])
    const [{ share }] = await q<{ share: number }>(`SELECT (count(*) FILTER (WHERE published_at IS NOT NULL))::float / count(*) AS share FROM complaints WHERE status = 'closed'`)
    expect(share).toBe(1)
    // Published bulletins stay immutable.
    await expect(pool.query(`UPDATE bulletins SET title = 'x' WHERE number = 1`)).rejects.toThrow(/immutable/)
  })

  it('keeps complaint_counters and the daily counts equal to a GROUP BY over the reports', async () => {
    const counters = await q(`
      SELECT status::text, overdue, pending, rating::text, on_time, sum(n)::int AS n FROM complaint_counters
      GROUP BY 1, 2, 3, 4, 5 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4, 5`)
    const recount = await q(`
      SELECT status::text, sign_overdue OR rectify_overdue AS overdue, pending_request IS NOT NULL AS pending, rating::text, rectified_on_time AS on_time, count(*)::int AS n
      FROM complaints GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`)
    expect(counters).toEqual(recount)
    const daily = await q(`SELECT day::text, sum(n)::int AS n FROM complaint_daily_counts WHERE kind = 'received' GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`)
    const perDay = await q(`
      SELECT (created_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, count(*)::int AS n FROM complaints
      WHERE status NOT IN ('rejected', 'merged') GROUP BY 1 ORDER BY 1`)
    expect(daily).toEqual(perDay)
    // The dashboard's rollups (issue 9, migration 0014/0015) saw every report and every gate count too.
    const [dash] = await q<{ present: boolean }>(`SELECT to_regclass('dash_complaint_daily') IS NOT NULL AS present`)
    if (dash!.present) {
      const [r] = await q<{ rolled: number; counted: number; gates: number; checks: number }>(`
        SELECT (SELECT coalesce(sum(received), 0)::int FROM dash_complaint_daily) AS rolled,
          (SELECT count(*)::int FROM complaints WHERE status NOT IN ('rejected', 'merged')) AS counted,
          (SELECT coalesce(sum(n), 0)::int FROM dash_gate_hourly) AS gates, (SELECT count(*)::int FROM gate_checks) AS checks`)
      expect(r!.rolled).toBe(r!.counted)
      expect(r!.gates).toBe(r!.checks)
    }
  })

  it('shows the district home numbers of a district that has been at it for two months', async () => {
    const admin = await staffToken(app, 'district_admin', [])
    const res = await app.inject({ method: 'GET', url: '/api/v1/admin/stats', headers: admin.headers })
    expect(res.statusCode, res.body).toBe(200)
    const s = res.json()
    // 今日受理 depends on the hour of the start (none yet at 00:10 Beijing): it must be the true count.
    const [{ today }] = await q<{ today: number }>(`
      SELECT count(*)::int AS today FROM complaints WHERE status NOT IN ('rejected', 'merged')
        AND created_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'`)
    expect(s.receivedToday).toBe(today)
    expect(s.open).toBeGreaterThan(10)
    expect(s.overdue).toBeGreaterThan(0)
    expect(s.pluggedTotal).toBeGreaterThan(800)
    expect(s.onTimeRate).toBeGreaterThan(0.7)
    expect(s.onTimeRate).toBeLessThan(0.98)
    expect(s.satisfactionRate).toBeGreaterThan(0.85)
    // The minute jobs find nothing left to do: the seed already played them.
    const before = await q<{ n: number }>(`SELECT count(*)::int AS n FROM complaint_events`)
    await autoClose(app.db)
    await sweepClocks(app.db)
    const after = await q<{ n: number }>(`SELECT count(*)::int AS n FROM complaint_events`)
    expect(after[0]!.n - before[0]!.n).toBeLessThanOrEqual(3)
  })

  it('has two weeks of gate checks whose rollup equals the raw checks', async () => {
    const rollup = await q(`SELECT gate_id, day::text, hour, direction::text, verdict::text, reason, sum(n)::int AS n FROM gate_daily GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`)
    const raw = await q(`
      SELECT gate_id, (checked_at AT TIME ZONE 'Asia/Shanghai')::date::text AS day, extract(hour FROM checked_at AT TIME ZONE 'Asia/Shanghai')::smallint AS hour,
        direction::text, verdict::text, CASE WHEN verdict = 'pass' THEN '' ELSE coalesce(reasons[1], '') END AS reason, count(*)::int AS n
      FROM gate_checks GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`)
    expect(rollup).toEqual(raw)
    const [g] = await q<{ n: number; days: number; gates: number; defaultPart: number; keys: number; denied: number; reasons: string[] }>(`
      SELECT count(*)::int AS n, count(DISTINCT (checked_at AT TIME ZONE 'Asia/Shanghai')::date)::int AS days, count(DISTINCT gate_id)::int AS gates,
        (SELECT count(*)::int FROM gate_checks_default) AS "defaultPart", (SELECT count(*)::int FROM gate_check_keys) AS keys,
        count(*) FILTER (WHERE verdict = 'deny')::int AS denied, array_agg(DISTINCT reasons[1]) FILTER (WHERE verdict <> 'pass') AS reasons
      FROM gate_checks`)
    expect(g!.days).toBe(14)
    expect(g!.gates).toBe(5)
    expect(g!.n / 14).toBeGreaterThan(1500)
    expect(g!.defaultPart).toBe(0)
    expect(g!.keys).toBe(g!.n)
    expect(g!.reasons).toEqual(expect.arrayContaining(['fever', 'no_mask', 'yellow_code', 'not_resident']))
    // Hourly shape: the 8 o'clock hour is far busier than 3 in the morning.
    const [shape] = await q<{ am: number; night: number }>(`SELECT sum(n) FILTER (WHERE hour = 8)::int AS am, sum(n) FILTER (WHERE hour = 3)::int AS night FROM gate_daily`)
    expect(shape!.am).toBeGreaterThan(shape!.night * 10)
    const [v] = await q<{ n: number; bad: number }>(`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM gate_checks c WHERE c.visitor_id = v.id AND c.compound_id = v.compound_id))::int AS bad FROM visitors v`)
    expect(v!.n).toBeGreaterThan(100)
    expect(v!.bad).toBe(0)
  })

  it('writes the past days’ quarantine snapshots, each person in exactly one state', async () => {
    const rows = await q<{ day: string; counts: Record<string, number> }>(`SELECT day::text, counts FROM quarantine_daily ORDER BY day`)
    expect(rows.length).toBeGreaterThan(0)
    const days = new Set(rows.map((r) => r.day))
    expect(days.size).toBe(45)
    for (const r of rows) {
      const { total, newToday: _n, releasedToday: _r, transferredToday: _t, ...states } = r.counts
      expect(Object.values(states).reduce((a, b) => a + b, 0)).toBe(total)
    }
    // The history chart reads them, plus today live.
    const admin = await staffToken(app, 'district_admin', [])
    const res = await app.inject({ method: 'GET', url: '/api/v1/quarantine/history?days=30', headers: admin.headers })
    if (res.statusCode !== 404) expect(res.statusCode, res.body).toBe(200)
  })
})
