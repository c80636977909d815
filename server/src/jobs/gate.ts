import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'

/** Gate checks and visitor records are kept 28 days, then deleted, unless a check is held for a case. */
export const GATE_RETENTION_DAYS = 28
const BATCH = 20_000

/**
 * Monthly partitions of gate_checks from this Beijing month on, three ahead, so an insert never lands in
 * the default partition (which would block creating the month's partition later).
 */
export async function ensureGatePartitions(db: Db, now = new Date()): Promise<number> {
  const month = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  const r = await db.execute(sql`SELECT gate_checks_ensure_partitions(${month}::date, 4) AS made`)
  return Number((r.rows[0] as { made: number }).made)
}

/**
 * Privacy: deletes checks older than 28 days (with their exactly-once keys, in the same statement) in
 * batches, then visitors registered before then. The per-gate rollup keeps only counts and stays.
 */
export async function purgeGateChecks(db: Db, now = new Date()): Promise<{ checks: number; visitors: number }> {
  const cutoff = new Date(now.getTime() - GATE_RETENTION_DAYS * 86400_000).toISOString()
  let checks = 0
  for (;;) {
    const r = await db.execute(sql`
      WITH d AS (
        DELETE FROM gate_checks WHERE (id, checked_at) IN (
          SELECT id, checked_at FROM gate_checks WHERE checked_at < ${cutoff}::timestamptz AND NOT case_hold LIMIT ${BATCH})
        RETURNING client_id),
      k AS (DELETE FROM gate_check_keys USING d WHERE gate_check_keys.client_id = d.client_id RETURNING 1)
      SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(*) FROM k)::int AS keys`)
    const n = (r.rows[0] as { n: number }).n
    checks += n
    if (n < BATCH) break
  }
  const v = await db.execute(sql`DELETE FROM visitors WHERE in_at < ${cutoff}::timestamptz`)
  return { checks, visitors: v.rowCount ?? 0 }
}
