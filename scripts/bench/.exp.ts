import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createDb, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { seedIfEmpty } from '../../server/src/seed/seed.js'
import { loadConfig } from '../../server/src/config.js'
import { TEST_ENV } from '../../test/env.js'
import { createCheckWriter, passFacts } from '../../server/src/modules/gate/gate.repository.js'
const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-exp-')); chmodSync(dir, 0o755)
const s = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
const a = new pg.Client({ connectionString: s.url() }); await a.connect(); await a.query('CREATE DATABASE e'); await a.end()
const url = s.url('e'); await runMigrations(url)
const pool = createPool(url); const db = createDb(pool)
console.log((await pool.query('SHOW server_version')).rows[0])
await seedIfEmpty(db, loadConfig({ ...TEST_ENV, DATABASE_URL: url }))
const gates = (await pool.query(`SELECT g.id, g.parent_id AS cid FROM org_units g WHERE kind='gate' AND staffed LIMIT 16`)).rows
async function run(name: string, fn: (i: number) => Promise<unknown>, conc = 50, ms = 4000) {
  let n = 0; const end = Date.now() + ms
  await Promise.all(Array.from({ length: conc }, async () => { while (Date.now() < end) { await fn(n++) } }))
  console.log(name, (n / (ms / 1000)).toFixed(0), '/s')
}
const row = (i: number) => { const g = gates[i % gates.length]; return { clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: g.id, compoundId: g.cid, gatekeeperId: 1, direction: (i % 2 ? 'in' : 'out') as 'in', subjectKind: 'pass' as const, passId: 1, visitorId: null, temperature: 36.5, mask: true, color: 'green', natAt: null, verdict: 'pass' as const, reasons: [], gateVerdict: null, ruleVersion: 1, offline: false, caseHold: false } }
for (const inflight of [1, 2, 4]) {
  const w = createCheckWriter(db, { inflight, batch: 200 })
  await run(`writer inflight ${inflight}`, (i) => w.write(row(i)))
}
const w = createCheckWriter(db)
await run('facts+writer', async (i) => { await passFacts(db, { pid: 1, dpk: 'x', card: null }); await w.write(row(i)) })
await pool.query(`DROP TRIGGER gate_checks_daily ON gate_checks`)
await pool.query(`CREATE OR REPLACE FUNCTION gate_daily_count_rows() RETURNS trigger AS $$
BEGIN
  INSERT INTO gate_daily (gate_id, compound_id, day, hour, direction, verdict, reason, n)
  SELECT gate_id, compound_id, (checked_at AT TIME ZONE 'Asia/Shanghai')::date, extract(hour FROM checked_at AT TIME ZONE 'Asia/Shanghai')::smallint, direction, verdict,
    CASE WHEN verdict = 'pass' THEN '' ELSE coalesce(reasons[1], '') END, count(*)
  FROM new_rows GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 3, 4, 5, 6, 7
  ON CONFLICT (gate_id, day, hour, direction, verdict, reason) DO UPDATE SET n = gate_daily.n + EXCLUDED.n;
  RETURN NULL;
END $$ LANGUAGE plpgsql`)
await pool.query(`CREATE TRIGGER gate_checks_daily AFTER INSERT ON gate_checks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION gate_daily_count_rows()`)
for (const inflight of [1, 4]) {
  const w = createCheckWriter(db, { inflight, batch: 200 })
  await run(`stmt trigger writer inflight ${inflight}`, (i) => w.write(row(i)))
}
await run('stmt facts+writer', async (i) => { await passFacts(db, { pid: 1, dpk: 'x', card: null }); await w.write(row(i)) })
console.log((await pool.query('SELECT sum(n)::int AS n, (SELECT count(*)::int FROM gate_checks) AS c FROM gate_daily')).rows[0])
await pool.end(); await s.stop(); rmSync(dir, { recursive: true, force: true })
