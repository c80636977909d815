/**
 * The set-based gate-check load shared by `bench:gate` (gate-fill.ts) and `bench:dashboard`: `rows` checks
 * over the last `days` days at every staffed gate, time-ordered (the BRIN index stays tight), with the
 * per-row rollup trigger off; gate_daily is then filled by one GROUP BY (whose own triggers keep the
 * dashboard's rollup) and the trigger re-enabled. Exactly-once keys too unless `keys` is false.
 */
import { performance } from 'node:perf_hooks'
import type pg from 'pg'

export async function fillGateChecks(pool: pg.Pool, opts: { rows: number; days: number; chunk: number; keys: boolean; log: (s: string) => void }) {
  const { rows: ROWS, days: DAYS, chunk: CHUNK, log } = opts
  const secs = (t: number) => `${((performance.now() - t) / 1000).toFixed(1)} s`
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
      // Row i: the i-th moment of the period (time-ordered), gate i mod G, one in 40 denied (fever or no
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
    // The dashboard's rollup (dash_gate_org, kept from gate_daily by a row trigger) is recounted once instead.
    const dash = (await c.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'gate_daily_dash'`)).rowCount === 1
    if (dash) await c.query('ALTER TABLE gate_daily DISABLE TRIGGER gate_daily_dash')
    await c.query(`
      INSERT INTO gate_daily (gate_id, compound_id, day, hour, direction, verdict, reason, n)
      SELECT gate_id, compound_id, (checked_at AT TIME ZONE 'Asia/Shanghai')::date, extract(hour FROM checked_at AT TIME ZONE 'Asia/Shanghai')::smallint,
             direction, verdict, CASE WHEN verdict = 'pass' THEN '' ELSE coalesce(reasons[1], '') END, count(*)
      FROM gate_checks GROUP BY 1, 2, 3, 4, 5, 6, 7
      ON CONFLICT (gate_id, day, hour, direction, verdict, reason) DO UPDATE SET n = gate_daily.n + EXCLUDED.n`)
    log(`  gate_daily rollup by one GROUP BY: ${secs(t)}`)
    if (dash) {
      await c.query('ALTER TABLE gate_daily ENABLE TRIGGER gate_daily_dash')
      t = performance.now()
      await c.query('SELECT dash_gate_rebuild()')
      log(`  dashboard rollup (dash_gate_rebuild): ${secs(t)}`)
    }
    await c.query('ALTER TABLE gate_checks ENABLE TRIGGER gate_checks_daily')
    if (opts.keys) {
      t = performance.now()
      await c.query(`INSERT INTO gate_check_keys (client_id, checked_at, check_id, verdict, reasons) SELECT client_id, checked_at, id, verdict, reasons FROM gate_checks`)
      log(`  exactly-once keys: ${secs(t)}`)
    }
    t = performance.now()
    await c.query('VACUUM ANALYZE gate_checks')
    await c.query('VACUUM ANALYZE gate_daily')
    if (opts.keys) await c.query('VACUUM ANALYZE gate_check_keys')
    log(`  vacuum analyze: ${secs(t)}`)
  } finally {
    await c.query('ALTER TABLE gate_checks ENABLE TRIGGER gate_checks_daily').catch(() => {})
    await c.query('ALTER TABLE gate_daily ENABLE TRIGGER gate_daily_dash').catch(() => {})
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
  return { gates }
}
