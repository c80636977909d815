/**
 * `pnpm bench`: measures the report path on a real (embedded) PostgreSQL over real HTTP on loopback.
 * - bytes stored for a 12-megapixel phone photo after the server's re-encode (the H5 compresses before
 *   upload to the same 1280-px edge, so this is also about what crosses the network);
 * - time from POST /complaints to the receipt (201), p50/p95 over sequential submits.
 * `pnpm bench` then runs scripts/bench/scale.ts: every list and the home numbers at BENCH_ROWS complaints
 * (default 1 M), and submit throughput, each against a bare Fastify + pg baseline from the same run.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, chmodSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import sharp from '../server/node_modules/sharp/lib/index.js'
import pg from 'pg'
import { build } from '../server/src/app.js'
import { loadConfig } from '../server/src/config.js'
import { createDb, createPool } from '../server/src/db/client.js'
import { startEmbeddedPostgres } from '../server/src/db/embedded.js'
import { runMigrations } from '../server/src/db/migrate.js'
import { findOrgByNames, seedIfEmpty } from '../server/src/seed/seed.js'
import { TEST_ENV } from '../test/env.js'

const N = Number(process.env.BENCH_N ?? 200)
const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-bench-'))
chmodSync(dir, 0o755)
const db = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
const admin = new pg.Client({ connectionString: db.url() })
await admin.connect()
await admin.query('CREATE DATABASE bench')
await admin.end()
const url = db.url('bench')
await runMigrations(url)
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url }, { uploadDir: path.join(dir, 'uploads') })
await seedIfEmpty(createDb(pool), config)
const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`

try {
  const sent = await (await fetch(`${base}/api/v1/auth/sms/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13300000001' }) })).json()
  const login = await (
    await fetch(`${base}/api/v1/auth/login/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13300000001', code: sent.devCode }) })
  ).json()
  const auth = { authorization: `Bearer ${login.accessToken}` }

  // A 12 MP (4000×3000) photo with camera-like noise so JPEG cannot cheat.
  const noise = randomBytes(4000 * 3000 * 3)
  for (let i = 0; i < noise.length; i++) {
    const x = (i / 3) % 4000
    const y = Math.floor(i / 3 / 4000)
    noise[i] = Math.min(255, ((x + y) / 7000) * 200 + (noise[i]! % 48))
  }
  const original = await sharp(noise, { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 92 }).toBuffer()
  const form = new FormData()
  form.append('file', new Blob([original], { type: 'image/jpeg' }), 'IMG_0001.jpg')
  const t0 = performance.now()
  const up = await (await fetch(`${base}/api/v1/uploads?purpose=report`, { method: 'POST', headers: auth, body: form })).json()
  const uploadMs = performance.now() - t0
  console.log(`12 MP photo: original ${(original.length / 1024).toFixed(0)} KB → stored ${(up.bytes / 1024).toFixed(0)} KB at ${up.width}×${up.height}; server re-encode + store ${uploadMs.toFixed(0)} ms`)

  const cat = (await (await fetch(`${base}/api/v1/complaints/categories`)).json()).items[0].id
  const place = (await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])).id
  const times: number[] = []
  for (let i = 0; i < N; i++) {
    const body = JSON.stringify({ categoryId: cat, placeOrgId: place, description: `东门无人值守，外来人员随意进出 #${i}`, anonymous: i % 2 === 0, photoIds: i === 0 ? [up.id] : [] })
    const t = performance.now()
    const r = await fetch(`${base}/api/v1/complaints`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': `bench-${i}-${Date.now()}` }, body })
    await r.json()
    times.push(performance.now() - t)
    if (r.status !== 201) throw new Error(`submit failed: ${r.status}`)
  }
  times.sort((a, b) => a - b)
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(times.length * p))]!.toFixed(1)
  console.log(`submit → receipt over HTTP (${N} sequential): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`)
} finally {
  await app.close()
  await pool.end()
  await db.stop()
  rmSync(dir, { recursive: true, force: true })
}
