/**
 * Gate checks at scale: fills GATE_FILL_ROWS checks (default 10,000,000) over the last 90 days at every
 * staffed gate of the demo district, then measures what a gate and a community read on every load:
 * GET /api/v1/gate/counts (one gate, today) and GET /api/v1/gate/community-counts (a community, 7 days),
 * p50/p95 over GATE_FILL_SAMPLES sequential requests on loopback HTTP (target p95 < 200 ms). For scale it
 * also times the same numbers computed from the raw checks, which is what the rollup saves.
 *
 * The load is set-based (INSERT … SELECT FROM generate_series in chunks, time-ordered so the BRIN index
 * stays tight), with the per-row rollup trigger disabled; gate_daily is then filled by one GROUP BY and the
 * trigger re-enabled. Exactly-once keys are filled too (GATE_FILL_KEYS=0 skips them).
 * `GATE_FILL_ROWS=200000 tsx scripts/bench/gate-fill.ts` is a quick run; BENCH_DATABASE_URL uses a server of yours.
 */
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { build } from '../../server/src/app.js'
import { fillGateChecks } from './gate-load.js'
import { benchDatabase } from './bench-db.js'

const ROWS = Number(process.env.GATE_FILL_ROWS ?? 10_000_000)
const CHUNK = Number(process.env.GATE_FILL_CHUNK ?? 500_000)
const SAMPLES = Number(process.env.GATE_FILL_SAMPLES ?? 300)
const DAYS = 90
const log = (s: string) => console.log(s)

const { pool, config, close } = await benchDatabase('gatefill')

try {
  const { gates } = await fillGateChecks(pool, { rows: ROWS, days: DAYS, chunk: CHUNK, keys: process.env.GATE_FILL_KEYS !== '0', log })

  // --- the busiest gate and its community, as a gatekeeper and a community worker see them
  const app = await build({ config, pool, logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  try {
    const gate = (
      await pool.query<{ id: number; compoundId: number; compoundPath: string; communityId: number; communityPath: string; name: string }>(
        `SELECT g.id, cp.id AS "compoundId", cp.path AS "compoundPath", cm.id AS "communityId", cm.path AS "communityPath", cp.name || g.name AS name
         FROM org_units g JOIN org_units cp ON cp.id = g.parent_id JOIN org_units gr ON gr.id = cp.parent_id JOIN org_units cm ON cm.id = gr.parent_id
         WHERE g.id = $1`,
        [gates[0]!.id],
      )
    ).rows[0]!
    const token = async (role: string, orgId: number, orgPath: string) => {
      const name = `bench_${role}_${randomBytes(3).toString('hex')}`
      const u = await pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $1) RETURNING id`, [name])
      const g = await pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [u.rows[0]!.id, role, orgId])
      return { authorization: `Bearer ${app.jwt.sign({ sub: String(u.rows[0]!.id), gid: g.rows[0]!.id, role: role as 'gatekeeper', org: orgId, path: orgPath })}` }
    }
    const keeperH = await token('gatekeeper', gate.compoundId, gate.compoundPath)
    const workerH = await token('community_worker', gate.communityId, gate.communityPath)
    async function time(u: string, headers: Record<string, string>) {
      for (let i = 0; i < 20; i++) await (await fetch(base + u, { headers })).arrayBuffer()
      const ts: number[] = []
      let body: unknown
      for (let i = 0; i < SAMPLES; i++) {
        const t = performance.now()
        const r = await fetch(base + u, { headers })
        body = await r.json()
        if (r.status !== 200) throw new Error(`${u} → ${r.status} ${JSON.stringify(body)}`)
        ts.push(performance.now() - t)
      }
      ts.sort((a, b) => a - b)
      const q = (p: number) => ts[Math.min(ts.length - 1, Math.floor(ts.length * p))]!.toFixed(1)
      return { p50: q(0.5), p95: q(0.95), max: q(1), body }
    }
    const gateCounts = await time(`/api/v1/gate/counts?gateId=${gate.id}`, keeperH)
    const community = await time(`/api/v1/gate/community-counts?communityId=${gate.communityId}&days=7`, workerH)
    const today = gateCounts.body as { in: number; out: number }
    const week = community.body as { items: { total: number }[] }
    log(`\n${ROWS.toLocaleString('en')} checks · ${SAMPLES} sequential requests each (target p95 < 200 ms)`)
    log(`GET /gate/counts (${gate.name}, today: in ${today.in}, out ${today.out})        p50 ${gateCounts.p50} ms, p95 ${gateCounts.p95} ms, max ${gateCounts.max} ms`)
    log(`GET /gate/community-counts (7 days, ${week.items.reduce((s, d) => s + d.total, 0).toLocaleString('en')} checks)  p50 ${community.p50} ms, p95 ${community.p95} ms, max ${community.max} ms`)

    // What the rollup saves: the same community week counted from the raw checks.
    const t = performance.now()
    await pool.query(
      `SELECT (checked_at AT TIME ZONE 'Asia/Shanghai')::date, direction, verdict, count(*) FROM gate_checks
       WHERE compound_id IN (SELECT cp.id FROM org_units gr JOIN org_units cp ON cp.parent_id = gr.id WHERE gr.parent_id = $1)
         AND checked_at >= now() - interval '7 days' GROUP BY 1, 2, 3`,
      [gate.communityId],
    )
    log(`(for comparison, the same 7 days counted from raw gate_checks: ${(performance.now() - t).toFixed(0)} ms)`)
  } finally {
    await app.close()
  }
} finally {
  await close()
}
