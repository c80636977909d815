/**
 * `pnpm bench` (scale section): the lists and the home numbers on a database of BENCH_ROWS complaints
 * (default 1,000,000), over real HTTP on loopback, next to a bare Fastify + pg baseline measured in the same
 * run on the same PostgreSQL:
 * - latency p50/p95 of each list with one client (what a user waits for), and its throughput with
 *   BENCH_CONNECTIONS clients (default 10) as a ratio of bare `SELECT 1`;
 * - report submit throughput at 50 connections as a ratio of a bare single-row INSERT.
 * BENCH_ROWS=20000 gives a quick run; BENCH_SECONDS sets each throughput run (default 5).
 */
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
// fastify is the server package's dependency, not the workspace root's.
import Fastify from '../../server/node_modules/fastify/fastify.js'
import pg from 'pg'
import { build } from '../../server/src/app.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { generateComplaints } from './generate.js'
import { benchDatabase } from './bench-db.js'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const CONNS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const SEQ = Number(process.env.BENCH_SEQUENTIAL ?? 200)
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'load-worker.mjs')

interface LoadResult {
  count: number
  rps: number
  p50: number
  p95: number
  p99: number
  statuses: Record<string, number>
  errors: number
}
interface LoadOpts {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  connections: number
  seconds?: number
  amount?: number
  uniqueKey?: string
  tokens?: string[]
}
function load(o: LoadOpts): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { workerData: { method: 'GET', headers: {}, ...o }, execArgv: [] }) // plain node: no TS loader in the client
    w.once('message', resolve)
    w.once('error', reject)
  })
}

// The code under test may throw outside any request (the dropped-request defect of issue 6 §1, which an
// autocannon run ending mid-request triggers): count it and keep measuring rather than lose the figures.
let uncaught = 0
process.on('uncaughtException', (e) => {
  if (uncaught++ < 3) console.error(`uncaught exception in the server: ${e.message}`)
})

const log = (s: string) => console.log(s)
const { url, pool, config, close } = await benchDatabase('scale', { COMPLAINTS_PER_HOUR: process.env.COMPLAINTS_PER_HOUR ?? '100' })
log(`generating ${ROWS.toLocaleString('en')} complaints …`)
const gen = await generateComplaints(pool, ROWS, (s) => log(`  ${s}`))
log(`  total ${gen.seconds.toFixed(1)} s`)

const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

// The baseline: the least a Fastify + pg endpoint can cost on this machine, same PostgreSQL, same pool size.
// Plain node-postgres, as a bare service would use it (the app's pool adds socket tuning of its own).
const barePool = new pg.Pool({ connectionString: url, max: 20 })
await barePool.query('CREATE TABLE IF NOT EXISTS bench_bare (id serial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())')
const bare = Fastify({ logger: false })
bare.get('/select1', async () => (await barePool.query('SELECT 1 AS one')).rows[0])
bare.post('/insert', async (req, reply) => reply.code(201).send((await barePool.query('INSERT INTO bench_bare (body) VALUES ($1) RETURNING id', [req.body])).rows[0]))
await bare.listen({ port: 0, host: '127.0.0.1' })
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`

async function staff(role: 'district_admin' | 'community_worker' | 'street_admin', orgId: number, orgPath: string) {
  const name = `bench_${role}_${randomBytes(3).toString('hex')}`
  const u = await pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $1) RETURNING id`, [name])
  const g = await pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [u.rows[0]!.id, role, orgId])
  return { authorization: `Bearer ${app.jwt.sign({ sub: String(u.rows[0]!.id), gid: g.rows[0]!.id, role, org: orgId, path: orgPath })}` }
}
async function resident(userId: number) {
  const g = await pool.query<{ id: number }>(
    `INSERT INTO role_grants (user_id, role) VALUES ($1, 'resident') ON CONFLICT DO NOTHING RETURNING id`,
    [userId],
  )
  const gid = g.rows[0]?.id ?? (await pool.query<{ id: number }>(`SELECT id FROM role_grants WHERE user_id = $1 AND role = 'resident'`, [userId])).rows[0]!.id
  return app.jwt.sign({ sub: String(userId), gid, role: 'resident', org: null, path: null })
}

// The busiest units in the default task view: what a real community or street worker opens first.
const ACTIVE = `status IN ('assigned', 'signed', 'rectified', 'verified')`
const busyCommunity = (
  await pool.query<{ id: number; path: string }>(
    `SELECT o.id, o.path FROM complaints c JOIN org_units o ON o.id = c.assignee_org_id WHERE ${ACTIVE} AND o.kind = 'community' GROUP BY o.id ORDER BY count(*) DESC LIMIT 1`,
  )
).rows[0]!
// …and the quietest one with any task at all: its tasks are far apart, the worst case for a walk by id.
const quietCommunity = (
  await pool.query<{ id: number; path: string }>(
    `SELECT o.id, o.path FROM complaints c JOIN org_units o ON o.id = c.assignee_org_id WHERE ${ACTIVE} AND o.kind = 'community' GROUP BY o.id ORDER BY count(*), o.id LIMIT 1`,
  )
).rows[0]!
const busyStreet = (
  await pool.query<{ id: number; path: string }>(
    `SELECT s.id, s.path FROM org_units s WHERE s.kind = 'street' ORDER BY (SELECT count(*) FROM complaints c WHERE c.street_org_id = s.id AND ${ACTIVE}) DESC LIMIT 1`,
  )
).rows[0]!
const district = (await pool.query<{ id: number; path: string }>(`SELECT id, path FROM org_units WHERE kind = 'district' LIMIT 1`)).rows[0]!
const adminH = await staff('district_admin', district.id, district.path)
const communityH = await staff('community_worker', busyCommunity.id, busyCommunity.path)
const quietH = await staff('community_worker', quietCommunity.id, quietCommunity.path)
const streetH = await staff('street_admin', busyStreet.id, busyStreet.path)
const residentH = { authorization: `Bearer ${await resident(gen.busyResidentId)}` }
const mineCount = (
  await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM complaints c WHERE c.reporter_id = $1 OR c.id IN (SELECT complaint_id FROM complaint_followers WHERE user_id = $1)`,
    [gen.busyResidentId],
  )
).rows[0]!.n

const lists: [string, string, Record<string, string>][] = [
  ['district queue (all, oldest first)', '/api/v1/admin/complaints', adminH],
  ['district queue: 待受理 (submitted)', '/api/v1/admin/complaints?status=submitted', adminH],
  ['district tracking: 已交办 (assigned)', '/api/v1/admin/complaints?status=assigned', adminH],
  ['district tracking: overdue', '/api/v1/admin/complaints?status=signed&overdue=true', adminH],
  ['community tasks (busiest community)', '/api/v1/tasks', communityH],
  ['community tasks (quietest community)', '/api/v1/tasks', quietH],
  ['street tasks (busiest street)', '/api/v1/tasks', streetH],
  ['street tasks: 已整改 (rectified)', '/api/v1/tasks?status=rectified', streetH],
  [`my reports (busiest resident, ${mineCount} reports)`, '/api/v1/complaints/mine', residentH],
  ['home numbers (district)', '/api/v1/admin/stats', adminH],
  ['public bulletins', '/api/v1/bulletins', {}],
]

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-')
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)))
const bad = (r: LoadResult) => Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${n}×${s}`).join(' ')

try {
  // Warm the caches and the connection pools before anything is timed.
  for (const [, p, h] of lists) await load({ url: base + p, headers: h, connections: 2, amount: 40 })
  await load({ url: `${bareBase}/select1`, connections: 2, amount: 200 })

  const bare1 = await load({ url: `${bareBase}/select1`, connections: 1, amount: SEQ })
  const bareN = await load({ url: `${bareBase}/select1`, connections: CONNS, seconds: SECONDS })
  console.log(`\n${ROWS.toLocaleString('en')} complaints · ${os.cpus().length} cores · one client for latency, ${CONNS} for throughput (${SECONDS} s)`)
  console.log(`${pad('endpoint', 46)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'× bare'.padStart(7)}`)
  console.log(`${pad('bare Fastify + pg SELECT 1', 46)} ${fmt(bare1.p50).padStart(8)} ${fmt(bare1.p95).padStart(8)} ${bareN.rps.toFixed(0).padStart(8)} ${'1.00'.padStart(7)}`)
  for (const [name, p, h] of lists) {
    const one = await load({ url: base + p, headers: h, connections: 1, amount: SEQ })
    const many = await load({ url: base + p, headers: h, connections: CONNS, seconds: SECONDS })
    const warn = bad(one) || bad(many)
    console.log(`${pad(name, 46)} ${fmt(one.p50).padStart(8)} ${fmt(one.p95).padStart(8)} ${many.rps.toFixed(0).padStart(8)} ${(many.rps / bareN.rps).toFixed(2).padStart(7)}${warn ? `  (${warn})` : ''}`)
  }

  // Submits: many residents at 50 connections, each request a new report with its own Idempotency-Key.
  const cat = (await pool.query<{ id: number }>(`SELECT id FROM complaint_categories WHERE code = 'gate_unchecked'`)).rows[0]!.id
  const place = (await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])).id
  // Many residents filing a few reports each, as in life (and within the default hourly quota).
  const users = (await pool.query<{ id: number }>(`SELECT id FROM users WHERE phone_hash LIKE 'bench-%' ORDER BY id DESC LIMIT 2000`)).rows
  await pool.query(`INSERT INTO role_grants (user_id, role) SELECT unnest($1::int[]), 'resident' ON CONFLICT DO NOTHING`, [users.map((u) => u.id)])
  const grants = new Map((await pool.query<{ user_id: number; id: number }>(`SELECT user_id, id FROM role_grants WHERE role = 'resident' AND user_id = ANY($1)`, [users.map((u) => u.id)])).rows.map((g) => [g.user_id, g.id]))
  const tokens = users.map((u) => app.jwt.sign({ sub: String(u.id), gid: grants.get(u.id)!, role: 'resident', org: null, path: null }))
  const body = JSON.stringify({ categoryId: cat, placeOrgId: place, description: '任港路新村东门无人值守，外来人员随意进出', anonymous: false, photoIds: [] })
  const json = { 'content-type': 'application/json' }
  await load({ url: `${base}/api/v1/complaints`, method: 'POST', headers: json, body, connections: 10, amount: 100, uniqueKey: `warm-${Date.now()}`, tokens })
  await load({ url: `${bareBase}/insert`, method: 'POST', headers: json, body, connections: 10, amount: 200 })
  const bareIns = await load({ url: `${bareBase}/insert`, method: 'POST', headers: json, body, connections: 50, seconds: SECONDS })
  const submit = await load({ url: `${base}/api/v1/complaints`, method: 'POST', headers: json, body, connections: 50, seconds: SECONDS, uniqueKey: `run-${Date.now()}`, tokens })
  console.log(`\nsubmit at 50 connections (${SECONDS} s)            ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`)
  console.log(`${pad('bare Fastify + pg INSERT', 46)} ${bareIns.rps.toFixed(0).padStart(8)} ${fmt(bareIns.p50).padStart(8)} ${fmt(bareIns.p99).padStart(8)}`)
  console.log(
    `${pad('POST /api/v1/complaints (Idempotency-Key)', 46)} ${submit.rps.toFixed(0).padStart(8)} ${fmt(submit.p50).padStart(8)} ${fmt(submit.p99).padStart(8)}   ${(submit.rps / bareIns.rps).toFixed(2)}× bare${bad(submit) ? `  (${bad(submit)})` : ''}`,
  )
  if (uncaught) console.log(`\n${uncaught} uncaught exception(s) in the server during the run`)
} finally {
  await bare.close()
  await barePool.end()
  await app.close()
  await close()
}
