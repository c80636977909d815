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
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../../test/env.js'

const ROWS = Number(process.env.GATE_FILL_ROWS ?? 10_000_000)
const CHUNK = Number(process.env.GATE_FILL_CHUNK ?? 500_000)
const SAMPLES = Number(process.env.GATE_FILL_SAMPLES ?? 300)
const DAYS = 90
const log = (s: string) => console.log(s)
const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`

const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-gatefill-'))
chmodSync(dir, 0o755)
const pgServer = process.env.BENCH_DATABASE_URL
  ? { url: (d = 'postgres') => process.env.BENCH_DATABASE_URL!.replace(/\/[^/]*$/, `/${d}`), stop: async () => {} }
  : await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
const dbName = `bench_gatefill_${randomBytes(4).toString('hex')}`
const admin = new pg.Client({ connectionString: pgServer.url() })
await admin.connect()
await admin.query(`CREATE DATABASE ${dbName}`)
await admin.end()
const url = pgServer.url(dbName)
await runMigrations(url)
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url }, { uploadDir: path.join(dir, 'uploads') })
await seedIfEmpty(createDb(pool), config)

try {
  const gates = (
    await pool.query<{ id: number; compoundId: number }>(`SELECT id, parent_id AS "compoundId" FROM org_units WHERE kind = 'gate' AND staffed ORDER BY id`)
  ).rows
  const keeper = (await pool.query<{ id: number }>(`SELECT id FROM users WHERE username = 'menwei'`)).rows[0]?.id ?? 1
  log(`filling ${ROWS.toLocaleString('en')} gate checks over ${DAYS} days at ${gates.length} staffed gates (chunks of ${CHUNK.toLocaleString('en')}) …`)
  const t0 = performance.now()
  const c = await pool.connect()
  try {
    await c.query(`SELECT gate_checks_ensure_partitions(((now() AT TIME ZONE 'Asia/Shanghai')::date - ${DAYS + 5}), 5)`)
    await c.query('ALTER TABLE gate_checks DISABLE TRIGGER gate_checks_daily')
    const from = new Date(Date.now() - DAYS * 86400_000).toISOString()
    for (let start = 0; start < ROWS; start += CHUNK) {
      const end = Math.min(ROWS, start + CHUNK) - 1
      const t = performance.now()
      // Row i: the i-th moment of the 90 days (time-ordered), gate i mod G, one in 40 denied (fever or no
      // mask), one in 30 registered as not a resident, the rest passed; in and out alternate.
      await c.query(
        `INSERT INTO gate_checks (checked_at, client_id, client_time, gate_id, compound_id, gatekeeper_id, direction, subject_kind, pass_id,
           temperature, mask, color, verdict, reasons, rule_version)
         SELECT at, gen_random_uuid(), at, ($2::int[])[1 + i % $4], ($3::int[])[1 + i % $4], $5,
           CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END::gate_direction,
           CASE WHEN i % 30 = 7 THEN 'none' ELSE 'pass' END::gate_subject_kind,
           CASE WHEN i % 30 = 7 THEN NULL ELSE 1 + (i * 7919) % 20000 END,
           36.2 + (i % 8) / 10.0, i % 40 <> 3, 'green',
           CASE WHEN i % 40 IN (3, 5) THEN 'deny' WHEN i % 30 = 7 THEN 'register' ELSE 'pass' END::gate_verdict,
           CASE WHEN i % 40 = 3 THEN '{no_mask}'::text[] WHEN i % 40 = 5 THEN '{fever}'::text[] WHEN i % 30 = 7 THEN '{not_resident}'::text[] ELSE '{}'::text[] END,
           1
         FROM (SELECT i, $1::timestamptz + (i::float8 / $6) * interval '${DAYS} days' AS at FROM generate_series($7::bigint, $8::bigint) i) s`,
        [from, gates.map((g) => g.id), gates.map((g) => g.compoundId), gates.length, keeper, ROWS, start, end],
      )
      log(`  ${(end + 1).toLocaleString('en')} rows (${secs(t)})`)
    }
    let t = performance.now()
    await c.query(`
      INSERT INTO gate_daily (gate_id, compound_id, day, hour, direction, verdict, reason, n)
      SELECT gate_id, compound_id, (checked_at AT TIME ZONE 'Asia/Shanghai')::date, extract(hour FROM checked_at AT TIME ZONE 'Asia/Shanghai')::smallint,
             direction, verdict, CASE WHEN verdict = 'pass' THEN '' ELSE coalesce(reasons[1], '') END, count(*)
      FROM gate_checks GROUP BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (gate_id, day, hour, direction, verdict, reason) DO UPDATE SET n = gate_daily.n + EXCLUDED.n`)
    log(`  gate_daily rollup by one GROUP BY: ${secs(t)}`)
    await c.query('ALTER TABLE gate_checks ENABLE TRIGGER gate_checks_daily')
    if (process.env.GATE_FILL_KEYS !== '0') {
      t = performance.now()
      await c.query(`INSERT INTO gate_check_keys (client_id, checked_at, check_id, verdict, reasons) SELECT client_id, checked_at, id, verdict, reasons FROM gate_checks`)
      log(`  exactly-once keys: ${secs(t)}`)
    }
    t = performance.now()
    await c.query('VACUUM ANALYZE gate_checks')
    await c.query('VACUUM ANALYZE gate_daily')
    await c.query('VACUUM ANALYZE gate_check_keys')
    log(`  vacuum analyze: ${secs(t)}`)
  } finally {
    await c.query('ALTER TABLE gate_checks ENABLE TRIGGER gate_checks_daily').catch(() => {})
    c.release()
  }
  const sizes = (
    await pool.query<{ checks: string; daily: string; dailyRows: number }>(
      `SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) AS checks, pg_size_pretty(pg_total_relation_size('gate_daily')) AS daily,
              (SELECT count(*)::int FROM gate_daily) AS "dailyRows"
       FROM pg_inherits WHERE inhparent = 'gate_checks'::regclass`,
    )
  ).rows[0]!
  log(`loaded in ${secs(t0)}: gate_checks ${sizes.checks} in monthly partitions, gate_daily ${sizes.dailyRows.toLocaleString('en')} rows (${sizes.daily})`)

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
  await pool.end()
  if (process.env.BENCH_DATABASE_URL) {
    const a = new pg.Client({ connectionString: pgServer.url() })
    await a.connect()
    await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
    await a.end()
  }
  await pgServer.stop()
  if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true })
}
