/**
 * `pnpm bench:gate`: the server's scan path (POST /api/v1/gate/checks: verify the signed phone QR, look up
 * the pass / device state, evaluate the active rule set, durable insert with its exactly-once key and the
 * rollup trigger) over real HTTP on loopback, against a bare Fastify + pg `SELECT 1` endpoint measured in
 * the same run on the same embedded PostgreSQL.
 * - maximum throughput of each (autocannon, GATE_BENCH_CONNECTIONS connections, default 50), and the ratio
 *   (target ≥ 25 %);
 * - latency at a fixed 200 scans/s, evenly spaced in an open loop (target p99 ≤ 50 ms); autocannon's
 *   overallRate run is printed next to it (its connections fire in step, so it measures bursts of 20).
 * Scans come from real phone QR texts (device keys made and bound beforehand, each QR signed by its device
 * key within the last minute) for residents of every compound of a street, at their compounds' staffed
 * gates, by one gatekeeper per compound; every request has its own client id.
 * Then, unless GATE_FILL=0, it runs scripts/bench/gate-fill.ts (10 M checks, counts p95).
 */
import { randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import Fastify from '../../server/node_modules/fastify/fastify.js'
import pg from 'pg'
import { exportRawPublicKey, generateSigningKeyPair, maskName, phoneQrText } from '@cc/shared'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../../test/env.js'

const SECONDS = Number(process.env.GATE_BENCH_SECONDS ?? 8)
const CONNS = Number(process.env.GATE_BENCH_CONNECTIONS ?? 50)
const RATE = Number(process.env.GATE_BENCH_RATE ?? 200)
const RATE_SECONDS = Number(process.env.GATE_BENCH_RATE_SECONDS ?? 15)
const PER_COMPOUND = Number(process.env.GATE_BENCH_RESIDENTS ?? 20)
const STREET = process.env.GATE_BENCH_STREET ?? '任港街道'

interface LoadResult {
  count: number
  rps: number
  p50: number
  p95: number
  p99: number
  max: number
  statuses: Record<string, number>
  errors: number
}
interface Target {
  token: string
  gateId: number
  /** Index into the QR texts of this target's compound. */
  compound: number
}
interface LoadOpts {
  url: string
  method: 'GET' | 'POST'
  connections: number
  seconds?: number
  amount?: number
  overallRate?: number
  /** Open-loop, evenly spaced requests instead of autocannon. */
  paced?: { rate: number; seconds: number }
  /** POST /gate/checks: who scans where, and the QR texts per compound. */
  scans?: { targets: Target[]; qrs: string[][] }
}

// The load generator runs in a worker thread (plain JS, no TS loader) so it does not share the server's
// event loop. It records every response time, so percentiles are exact.
const WORKER = `
const { parentPort, workerData: o } = require('node:worker_threads')
const { randomUUID } = require('node:crypto')
const autocannon = require('autocannon')
let seq = 0
const times = []
const statuses = {}
const request = { method: o.method, headers: { 'content-type': 'application/json' } }
if (o.scans) {
  request.setupRequest = (req) => {
    const t = o.scans.targets[seq++ % o.scans.targets.length]
    const qrs = o.scans.qrs[t.compound]
    const body = JSON.stringify({ clientId: randomUUID(), clientTime: new Date().toISOString(), gateId: t.gateId, direction: seq % 3 ? 'in' : 'out',
      code: qrs[seq % qrs.length], temperature: 36.4 + (seq % 5) / 10, mask: true, color: seq % 20 ? 'green' : 'yellow', natAt: null })
    return { ...req, body, headers: { ...req.headers, authorization: 'Bearer ' + t.token } }
  }
}
if (o.paced) {
  // Open loop, evenly spaced: request i leaves at start + i / rate whether or not earlier ones came back,
  // and its time counts from when it was due (no coordinated omission).
  const http = require('node:http')
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const target = new URL(o.url)
  const total = Math.round(o.paced.rate * o.paced.seconds)
  const start = performance.now() + 50
  let done = 0
  const finish = () => {
    agent.destroy()
    times.sort((a, b) => a - b)
    const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(times.length * p))] : NaN)
    parentPort.postMessage({ count: times.length, rps: times.length / o.paced.seconds, p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), statuses, errors: 0 })
  }
  const fire = (i) => {
    const due = start + (i * 1000) / o.paced.rate
    const { body, headers } = request.setupRequest({ headers: request.headers })
    const req = http.request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => {
        times.push(performance.now() - due)
        statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1
        if (++done === total) finish()
      })
    })
    req.on('error', () => { statuses.error = (statuses.error ?? 0) + 1; if (++done === total) finish() })
    req.end(body)
  }
  let i = 0
  const tick = () => {
    while (i < total && performance.now() >= start + (i * 1000) / o.paced.rate) fire(i++)
    if (i < total) setTimeout(tick, Math.max(0, start + (i * 1000) / o.paced.rate - performance.now()))
  }
  setTimeout(tick, 50)
} else {
const instance = autocannon({
  url: o.url, connections: o.connections, timeout: 30,
  ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
  ...(o.overallRate ? { overallRate: o.overallRate } : {}),
  requests: [request],
}, (err, res) => {
  if (err) throw err
  times.sort((a, b) => a - b)
  const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(times.length * p))] : NaN)
  parentPort.postMessage({ count: times.length, rps: times.length / ((res.duration ?? o.seconds) || 1), p50: q(0.5), p95: q(0.95), p99: q(0.99), max: q(1), statuses, errors: res.errors + res.timeouts })
})
instance.on('response', (_c, status, _b, ms) => { times.push(ms); statuses[status] = (statuses[status] ?? 0) + 1 })
}
`
function load(o: LoadOpts): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: o })
    w.once('message', resolve)
    w.once('error', reject)
  })
}

const log = (s: string) => console.log(s)
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-')
const bad = (r: LoadResult) => Object.entries(r.statuses).filter(([s]) => !s.startsWith('2')).map(([s, n]) => `${n}×${s}`).join(' ')

const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-gate-'))
chmodSync(dir, 0o755)
const pgServer = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
const admin = new pg.Client({ connectionString: pgServer.url() })
await admin.connect()
await admin.query('CREATE DATABASE bench_gate')
await admin.end()
const url = pgServer.url('bench_gate')
await runMigrations(url)
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url }, { uploadDir: path.join(dir, 'uploads') })
await seedIfEmpty(createDb(pool), config)
const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

// The baseline: the least a Fastify + pg endpoint can cost here, plain node-postgres, same pool size.
const barePool = new pg.Pool({ connectionString: url, max: 20 })
const bare = Fastify({ logger: false })
bare.get('/select1', async () => (await barePool.query('SELECT 1 AS one')).rows[0])
await bare.listen({ port: 0, host: '127.0.0.1' })
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`

let failed = false
try {
  // --- residents with bound phones, one gatekeeper per compound of the street
  const compounds = (
    await pool.query<{ id: number; path: string; name: string }>(
      `SELECT c.id, c.path, c.name FROM org_units c JOIN org_units s ON c.path LIKE s.path || '%' WHERE s.kind = 'street' AND s.name = $1 AND c.kind = 'compound' ORDER BY c.id`,
      [STREET],
    )
  ).rows
  const devices: { privateKey: CryptoKey; credential: string }[][] = []
  const targets: Target[] = []
  const nowSec = Math.floor(Date.now() / 1000)
  for (const [ci, c] of compounds.entries()) {
    const u = await pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $1) RETURNING id`, [`bench_gate_${c.id}`])
    const g = await pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, 'gatekeeper', $2) RETURNING id`, [u.rows[0]!.id, c.id])
    const token = app.jwt.sign({ sub: String(u.rows[0]!.id), gid: g.rows[0]!.id, role: 'gatekeeper', org: c.id, path: c.path })
    const gates = (await pool.query<{ id: number }>(`SELECT id FROM org_units WHERE parent_id = $1 AND kind = 'gate' AND staffed ORDER BY id`, [c.id])).rows
    for (const gate of gates) targets.push({ token, gateId: gate.id, compound: ci })
    const b = await pool.query<{ id: number }>(`INSERT INTO buildings (compound_id, name, units) VALUES ($1, 'B1', 2) ON CONFLICT (compound_id, name) DO UPDATE SET units = 2 RETURNING id`, [c.id])
    devices.push([])
    for (let i = 0; i < PER_COMPOUND; i++) {
      const h = await pool.query<{ id: number }>(`INSERT INTO households (compound_id, building_id, unit, room) VALUES ($1, $2, 1, $3) RETURNING id`, [c.id, b.rows[0]!.id, `${101 + i}`])
      const name = `居民${c.id}${i}`
      const r = await pool.query<{ id: number }>(
        `INSERT INTO residents (household_id, compound_id, name, name_masked, id_enc, id_hash, id_masked) VALUES ($1, $2, $3, $4, $5, $6, 'x') RETURNING id`,
        [h.rows[0]!.id, c.id, name, maskName(name), randomBytes(40), randomBytes(16).toString('hex')],
      )
      const p = await pool.query<{ id: number }>(`INSERT INTO passes (resident_id, compound_id, valid_until) VALUES ($1, $2, now() + interval '180 days') RETURNING id`, [r.rows[0]!.id, c.id])
      const keys = await generateSigningKeyPair(false)
      const dpk = await exportRawPublicKey(keys.publicKey)
      await pool.query(`INSERT INTO pass_devices (pass_id, user_id, public_key, credential_exp) VALUES ($1, $2, $3, now() + interval '7 days')`, [p.rows[0]!.id, u.rows[0]!.id, dpk])
      const credential = await app.services.signer.issue({ v: 1, pid: p.rows[0]!.id, cid: c.id, n: maskName(name), k: 'phone', dpk, nbf: nowSec - 300, exp: nowSec + 7 * 86400 })
      devices[ci]!.push({ privateKey: keys.privateKey, credential })
    }
  }
  /** Fresh QR texts (a QR is refused after 60 s): made just before each run, each phone a few times. */
  async function freshQrs(): Promise<string[][]> {
    const t = Math.floor(Date.now() / 1000)
    return Promise.all(devices.map((ds) => Promise.all(ds.flatMap((d) => [0, 1, 2].map(() => phoneQrText(d.credential, d.privateKey, t))))))
  }
  log(`${compounds.length} compounds of ${STREET}, ${targets.length} staffed gates, ${compounds.length * PER_COMPOUND} residents with bound phones · ${os.cpus().length} cores`)

  // --- warm up both servers (connections, prepared statements, JIT)
  const checks = `${base}/api/v1/gate/checks`
  await load({ url: `${bareBase}/select1`, method: 'GET', connections: 10, amount: 2000 })
  const warm = await load({ url: checks, method: 'POST', connections: 10, amount: 2000, scans: { targets, qrs: await freshQrs() } })
  if (bad(warm)) throw new Error(`warm-up scans failed: ${bad(warm)}`)

  // --- maximum throughput
  const bareMax = await load({ url: `${bareBase}/select1`, method: 'GET', connections: CONNS, seconds: SECONDS })
  const scanMax = await load({ url: checks, method: 'POST', connections: CONNS, seconds: SECONDS, scans: { targets, qrs: await freshQrs() } })
  // --- one gate alone: what a gatekeeper waits for when nothing else is going on
  const single = await load({ url: checks, method: 'POST', connections: 1, amount: 300, scans: { targets, qrs: await freshQrs() } })
  // --- fixed rate
  const scanRate = await load({ url: checks, method: 'POST', connections: 1, paced: { rate: RATE, seconds: RATE_SECONDS }, scans: { targets, qrs: await freshQrs() } })
  // autocannon's overallRate for comparison: its connections fire in step (bursts of 20 every 100 ms).
  const scanBurst = await load({ url: checks, method: 'POST', connections: 20, seconds: RATE_SECONDS, overallRate: RATE, scans: { targets, qrs: await freshQrs() } })

  const verdicts = (await pool.query<{ verdict: string; n: number }>(`SELECT verdict, count(*)::int AS n FROM gate_checks GROUP BY 1 ORDER BY 1`)).rows
  const ratio = scanMax.rps / bareMax.rps
  log(`\nthroughput, ${CONNS} connections, ${SECONDS} s          ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`)
  log(`bare Fastify + pg SELECT 1                        ${bareMax.rps.toFixed(0).padStart(8)} ${fmt(bareMax.p50).padStart(8)} ${fmt(bareMax.p99).padStart(8)}`)
  log(`POST /api/v1/gate/checks (signed phone QR)        ${scanMax.rps.toFixed(0).padStart(8)} ${fmt(scanMax.p50).padStart(8)} ${fmt(scanMax.p99).padStart(8)}${bad(scanMax) ? `  (${bad(scanMax)})` : ''}`)
  log(`ratio scan / bare: ${(ratio * 100).toFixed(1)} % (target ≥ 25 %) ${ratio >= 0.25 ? 'OK' : 'MISSED'}`)
  log(`\none scan at a time (300 sequential): p50 ${fmt(single.p50)} ms, p95 ${fmt(single.p95)} ms, p99 ${fmt(single.p99)} ms`)
  log(`fixed ${RATE} scans/s, evenly spaced, for ${RATE_SECONDS} s: ${scanRate.count} scans, ${scanRate.rps.toFixed(0)}/s, p50 ${fmt(scanRate.p50)} ms, p95 ${fmt(scanRate.p95)} ms, p99 ${fmt(scanRate.p99)} ms, max ${fmt(scanRate.max)} ms (target p99 ≤ 50 ms) ${scanRate.p99 <= 50 ? 'OK' : 'MISSED'}${bad(scanRate) ? `  (${bad(scanRate)})` : ''}`)
  log(`  (autocannon overallRate ${RATE}/s, 20 connections in step: p50 ${fmt(scanBurst.p50)} ms, p95 ${fmt(scanBurst.p95)} ms, p99 ${fmt(scanBurst.p99)} ms${bad(scanBurst) ? `, ${bad(scanBurst)}` : ''})`)
  log(`stored checks by verdict: ${verdicts.map((v) => `${v.verdict} ${v.n}`).join(', ')}`)
  failed = !!(bad(scanMax) || bad(scanRate) || bad(scanBurst))
} finally {
  await bare.close()
  await barePool.end()
  await app.close()
  await pool.end()
  await pgServer.stop()
  rmSync(dir, { recursive: true, force: true })
}

if (process.env.GATE_FILL !== '0') {
  const fill = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gate-fill.ts')
  log('')
  const r = spawnSync(process.execPath, ['--import', 'tsx', fill], { stdio: 'inherit', env: process.env })
  if (r.status !== 0) process.exitCode = r.status ?? 1
}
if (failed) process.exitCode = 1
