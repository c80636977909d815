/**
 * `pnpm bench:dashboard`: every dashboard call on BENCH_ROWS complaints (default 1,000,000, generate.ts) and
 * GATE_FILL_ROWS gate checks (default 10,000,000 over 90 days, gate-load.ts), through the app's routes over
 * loopback HTTP, one client: p50/p95 over BENCH_SAMPLES calls (default 40, at least 30), next to the naive
 * GROUP BY over the raw tables that answers the same question, timed in the same run (BENCH_NAIVE runs,
 * default 3, median), and the ratio p95 / naive. Targets: p95 ≤ 200 ms and ≤ 10 % of the naive time.
 *
 * Both loads are set-based with the row triggers off, then recount the rollups once from the rows
 * (dash_complaints_rebuild(), dash_gate_rebuild() — the functions the migration uses); the deltas are then
 * folded (the 5-minute job's work).
 * Quick run: `BENCH_ROWS=100000 GATE_FILL_ROWS=1000000 pnpm bench:dashboard`. BENCH_DATABASE_URL uses a server of yours.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { build } from '../../server/src/app.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { generateComplaints } from './generate.js'
import { fillGateChecks } from './gate-load.js'
import { benchDatabase } from './bench-db.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const GATE_ROWS = Number(process.env.GATE_FILL_ROWS ?? 10_000_000)
const SAMPLES = Math.max(30, Number(process.env.BENCH_SAMPLES ?? 40))
const NAIVE = Math.max(1, Number(process.env.BENCH_NAIVE ?? 3))
const GATE_DAYS = 90
const log = (s: string) => console.log(s)
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`

const { pool, db, config, close } = await benchDatabase('dashboard')

const bj = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
const daysAgo = (n: number) => bj(new Date(Date.now() - n * 86400_000))

type Scope = { kind: 'district' | 'street' | 'community'; id: number; path: string }

/** The same numbers as GET /dashboard/complaints, from the raw rows. */
function naiveComplaints(s: Scope, from: string, to: string) {
  const place = s.kind === 'district' ? 'true' : s.kind === 'street' ? `c.street_org_id = ${s.id}` : `p.path LIKE '${s.path}%'`
  const child = s.kind === 'district' ? 'c.street_org_id' : s.kind === 'street' ? `split_part(p.path, '/', 4)` : null
  return [
    `SELECT ${child ? `GROUPING(${child})` : '1'} AS go, GROUPING((c.created_at AT TIME ZONE 'Asia/Shanghai')::date) AS gd, GROUPING(c.category_id) AS gc,
       count(*) FILTER (WHERE c.status NOT IN ('rejected', 'merged')) AS received, count(*) FILTER (WHERE c.signed_at IS NOT NULL) AS signed,
       count(*) FILTER (WHERE c.signed_at <= c.sign_due_at) AS signed_on_time, count(*) FILTER (WHERE c.rectified_at IS NOT NULL) AS rectified,
       count(*) FILTER (WHERE c.rectified_on_time) AS rectified_on_time, count(*) FILTER (WHERE c.rating IS NOT NULL) AS rated,
       count(*) FILTER (WHERE c.rating = 'satisfied') AS satisfied, count(*) FILTER (WHERE c.returns > 0) AS returned, sum(c.returns) AS returns,
       count(*) FILTER (WHERE c.status IN ('verified', 'published', 'closed')) AS plugged
     FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id
     WHERE c.created_at >= ('${from}'::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND c.created_at < (('${to}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai') AND ${place}
     GROUP BY GROUPING SETS ((), ((c.created_at AT TIME ZONE 'Asia/Shanghai')::date), (c.category_id)${child ? `, (${child})` : ''})`,
    `SELECT ${child ?? `'x'`} AS k, count(*) FILTER (WHERE (c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed')) AS overdue,
       count(*) FILTER (WHERE c.status IN ('submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened')) AS open
     FROM complaints c LEFT JOIN org_units p ON p.id = c.place_org_id WHERE ${place} GROUP BY 1`,
  ]
}

/** The same numbers as GET /dashboard/gate, from the raw checks (bounded by time, as every gate query is). */
function naiveGate(s: Scope, from: string, to: string) {
  const child = s.kind === 'district' ? `split_part(cp.path, '/', 3)` : s.kind === 'street' ? `split_part(cp.path, '/', 4)` : null
  const hour = `extract(hour FROM g.checked_at AT TIME ZONE 'Asia/Shanghai')`
  const day = `(g.checked_at AT TIME ZONE 'Asia/Shanghai')::date`
  return [
    `SELECT g.verdict, count(*) FROM gate_checks g JOIN org_units cp ON cp.id = g.compound_id
     WHERE g.checked_at >= ('${from}'::date::timestamp AT TIME ZONE 'Asia/Shanghai') AND g.checked_at < (('${to}'::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
       ${s.kind === 'district' ? '' : `AND cp.path LIKE '${s.path}%'`}
     GROUP BY GROUPING SETS ((${hour}, g.verdict), (${day}, g.verdict), (g.verdict, coalesce(g.reasons[1], '')), (g.direction, g.verdict)${child ? `, (${child}, g.verdict)` : ''})`,
  ]
}

async function timeNaive(queries: string[]) {
  const ts: number[] = []
  for (let i = 0; i < NAIVE; i++) {
    const t = performance.now()
    for (const q of queries) await pool.query(q)
    ts.push(performance.now() - t)
  }
  ts.sort((a, b) => a - b)
  return ts[Math.floor(ts.length / 2)]!
}

try {
  let t = performance.now()
  const g = await generateComplaints(pool, ROWS, (s) => log(`  ${s}`))
  log(`complaints: ${ROWS.toLocaleString('en')} generated and rolled up in ${g.seconds.toFixed(1)} s`)
  await fillGateChecks(pool, { rows: GATE_ROWS, days: GATE_DAYS, chunk: Number(process.env.GATE_FILL_CHUNK ?? 500_000), keys: false, log: (s) => log(`  ${s}`) })
  t = performance.now()
  await pool.query('SELECT dash_rollup_compact()')
  await pool.query('VACUUM ANALYZE dash_complaint_days, dash_complaint_now, dash_gate_org')
  const sizes = (
    await pool.query<{ c: number; n: number; g: number }>(
      `SELECT (SELECT count(*) FROM dash_complaint_days)::int AS c, (SELECT count(*) FROM dash_complaint_now)::int AS n, (SELECT count(*) FROM dash_gate_org)::int AS g`,
    )
  ).rows[0]!
  log(`rollups folded in ${secs(t)}: dash_complaint_days ${sizes.c.toLocaleString('en')} rows, dash_complaint_now ${sizes.n}, dash_gate_org ${sizes.g.toLocaleString('en')}`)

  const app = await build({ config, pool, logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  try {
    const token = async (role: string, org: { id: number; path: string }) => {
      const name = `bench_${role}_${randomBytes(3).toString('hex')}`
      const u = await pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $1) RETURNING id`, [name])
      const gr = await pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [u.rows[0]!.id, role, org.id])
      return { authorization: `Bearer ${app.jwt.sign({ sub: String(u.rows[0]!.id), gid: gr.rows[0]!.id, role: role as 'district_admin', org: org.id, path: org.path })}` }
    }
    const district = (await pool.query<{ id: number; path: string }>(`SELECT id, path FROM org_units WHERE kind = 'district' ORDER BY id LIMIT 1`)).rows[0]!
    const street = await findOrgByNames(db, ['任港街道'])
    const community = await findOrgByNames(db, ['任港街道', '大庆社区'])
    const S = {
      district: { kind: 'district', ...district } as Scope,
      street: { kind: 'street', ...street } as Scope,
      community: { kind: 'community', ...community } as Scope,
    }
    const H = { district: await token('district_admin', district), street: await token('street_admin', street), community: await token('community_worker', community) }

    async function p95(u: string, headers: Record<string, string>) {
      for (let i = 0; i < 5; i++) await (await fetch(base + u, { headers })).arrayBuffer()
      const ts: number[] = []
      for (let i = 0; i < SAMPLES; i++) {
        const t0 = performance.now()
        const r = await fetch(base + u, { headers })
        const body = await r.text()
        if (r.status !== 200) throw new Error(`${u} → ${r.status} ${body.slice(0, 200)}`)
        ts.push(performance.now() - t0)
      }
      ts.sort((a, b) => a - b)
      const q = (p: number) => ts[Math.min(ts.length - 1, Math.floor(ts.length * p))]!
      return { p50: q(0.5), p95: q(0.95) }
    }

    const year = { from: daysAgo(365), to: daysAgo(0) }
    const month = { from: daysAgo(29), to: daysAgo(0) }
    const gateRange = { from: daysAgo(GATE_DAYS - 1), to: daysAgo(0) }
    const rows: { call: string; p50: number; p95: number; naive: number | null }[] = []
    const measure = async (call: string, u: string, h: Record<string, string>, naive: string[] | null) => {
      const r = await p95(u, h)
      const n = naive ? await timeNaive(naive) : null
      rows.push({ call, ...r, naive: n })
      log(`  ${call}: p95 ${r.p95.toFixed(1)} ms${n === null ? '' : `, naive ${n.toFixed(0)} ms, ratio ${((r.p95 / n) * 100).toFixed(1)} %`}`)
    }
    const qs = (r: { from: string; to: string }, s: Scope) => `from=${r.from}&to=${r.to}${s.kind === 'district' ? '' : `&orgId=${s.id}`}`
    log(`\nmeasuring (${SAMPLES} sequential calls each, naive median of ${NAIVE}) …`)
    for (const k of ['district', 'street', 'community'] as const) {
      await measure(`complaints ${k}, 1 year`, `/api/v1/dashboard/complaints?${qs(year, S[k])}`, H[k], naiveComplaints(S[k], year.from, year.to))
    }
    await measure('complaints district, 30 days', `/api/v1/dashboard/complaints?${qs(month, S.district)}`, H.district, naiveComplaints(S.district, month.from, month.to))
    for (const k of ['district', 'street', 'community'] as const) {
      await measure(`gate ${k}, ${GATE_DAYS} days`, `/api/v1/dashboard/gate?${qs(gateRange, S[k])}`, H[k], naiveGate(S[k], gateRange.from, gateRange.to))
    }
    await measure('gate district, 30 days', `/api/v1/dashboard/gate?${qs(month, S.district)}`, H.district, naiveGate(S.district, month.from, month.to))
    await measure('quarantine district, 1 year', `/api/v1/dashboard/quarantine?${qs(year, S.district)}`, H.district, null)
    const day = daysAgo(40)
    await measure(`list: district signed on time, ${day}`, `/api/v1/dashboard/complaints/list?day=${day}&metric=signedOnTime`, H.district, null)
    await measure(`list: street rectified late, 1 year`, `/api/v1/dashboard/complaints/list?${qs(year, S.street)}&metric=rectifiedLate`, H.street, null)
    await measure(`list: denied checks, district, ${daysAgo(10)}`, `/api/v1/dashboard/gate/checks?day=${daysAgo(10)}`, H.district, null)
    await measure(`list: denied checks, community, 31 days`, `/api/v1/dashboard/gate/checks?from=${daysAgo(30)}&to=${daysAgo(0)}&orgId=${community.id}&reason=fever`, H.community, null)
    // 核验人次 and 放行: most of the rows, walked per gate.
    await measure(`list: all checks, district, 31 days`, `/api/v1/dashboard/gate/checks?from=${daysAgo(30)}&to=${daysAgo(0)}&verdict=all`, H.district, null)
    await measure(`list: passes, street, ${daysAgo(3)} 8时`, `/api/v1/dashboard/gate/checks?day=${daysAgo(3)}&hour=8&orgId=${S.street.id}&verdict=pass`, H.street, null)
    await measure(`list: all-time plugged, district`, `/api/v1/dashboard/complaints/list?metric=plugged&allTime=true`, H.district, null)
    // The rare rows behind 满意率 and 按时率, over all time, with their partial indexes and then without them.
    const rare = [
      ['all-time 不满意, district', `/api/v1/dashboard/complaints/list?metric=unsatisfied&allTime=true`, H.district],
      ['all-time 不满意, community', `/api/v1/dashboard/complaints/list?metric=unsatisfied&allTime=true&orgId=${community.id}`, H.community],
      ['all-time 超时整改, community', `/api/v1/dashboard/complaints/list?metric=rectifiedLate&allTime=true&orgId=${community.id}`, H.community],
    ] as const
    for (const [name, url, h] of rare) await measure(`list: ${name}`, url, h, null)
    await pool.query('DROP INDEX complaints_unsatisfied_created_idx, complaints_rectified_late_created_idx')
    for (const [name, url, h] of rare) await measure(`list: ${name} (no partial index)`, url, h, null)

    log(`\n${ROWS.toLocaleString('en')} complaints · ${GATE_ROWS.toLocaleString('en')} gate checks over ${GATE_DAYS} days · targets: p95 ≤ 200 ms and ≤ 10 % of the naive GROUP BY`)
    log('| call | p50 ms | p95 ms | naive GROUP BY ms | p95 / naive |')
    log('|---|---|---|---|---|')
    let miss = 0
    for (const r of rows) {
      const ratio = r.naive ? r.p95 / r.naive : null
      if (r.p95 > 200 || (ratio !== null && ratio > 0.1)) miss++
      log(`| ${r.call} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.naive === null ? '—' : r.naive.toFixed(0)} | ${ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`} |`)
    }
    log(miss ? `${miss} call(s) missed a target` : 'every call met both targets')
  } finally {
    await app.close()
  }
} finally {
  await close()
}
