import { Session } from 'node:inspector/promises'
import { writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { findOrgByNames, seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../../test/env.js'
import pg from 'pg'
const a = new pg.Client({ connectionString: 'postgres://postgres:postgres@127.0.0.1:55432/postgres' }); await a.connect()
await a.query('DROP DATABASE IF EXISTS probe WITH (FORCE)'); await a.query('CREATE DATABASE probe'); await a.end()
const url = 'postgres://postgres:postgres@127.0.0.1:55432/probe'
await runMigrations(url)
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url, COMPLAINTS_PER_HOUR: '100' }, { uploadDir: '/tmp/probe-up' })
await seedIfEmpty(createDb(pool), config)
const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as any).port}`
const toks: string[] = []
for (let i = 0; i < 2000; i++) {
  const u = await pool.query(`INSERT INTO users (display_name, phone_hash) VALUES ('x', 'probe${i}') RETURNING id`)
  const g = await pool.query(`INSERT INTO role_grants (user_id, role) VALUES ($1, 'resident') RETURNING id`, [u.rows[0].id])
  toks.push(app.jwt.sign({ sub: String(u.rows[0].id), gid: g.rows[0].id, role: 'resident', org: null, path: null }))
}
const place = (await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])).id
const body = JSON.stringify({ categoryId: 1, placeOrgId: place, description: '东门无人值守，外来人员随意进出', anonymous: false, photoIds: [] })
const run = (seconds: number) => new Promise<any>((res) => { const w = new Worker(new URL('./load-worker.mjs', import.meta.url), { execArgv: [], workerData: { url: `${base}/api/v1/complaints`, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: 50, seconds, uniqueKey: `p${Date.now()}`, tokens: toks } }); w.once('message', res) })
await run(2)
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start')
const e0 = performance.eventLoopUtilization()
const r = await run(5)
const e1 = performance.eventLoopUtilization(e0)
const { profile } = await s.post('Profiler.stop')
writeFileSync('/tmp/submit.cpuprofile', JSON.stringify(profile))
console.log('rps', r.rps.toFixed(0), 'p50', r.p50, 'p99', r.p99, 'ELU', e1.utilization.toFixed(2), r.statuses)
// self time by function
const self = new Map<string, number>(); const byId = new Map(profile.nodes.map((n: any) => [n.id, n]))
const dt = profile.timeDeltas; const samples = profile.samples
for (let i = 0; i < samples.length; i++) { const n: any = byId.get(samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0)) }
const total = [...self.values()].reduce((x, y) => x + y, 0)
console.log([...self.entries()].sort((x, y) => y[1] - x[1]).slice(0, 25).map(([k, v]) => `${(100 * v / total).toFixed(1)}% ${k}`).join('\n'))
await app.close(); await pool.end()
