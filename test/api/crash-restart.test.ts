import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../server/src/db/embedded.js'
import { ROOT } from '../helper.js'

/**
 * The product as `pnpm start` runs it (scripts/start.ts: embedded PostgreSQL, migrations, seed, server),
 * killed with SIGKILL in the middle of a burst of keyed submits, then started again with the same command.
 */
const dir = mkdtempSync(path.join(os.tmpdir(), 'cc-crash-'))
chmodSync(dir, 0o755)
const dataDir = path.join(dir, 'data')
const emptyH5 = path.join(dir, 'no-h5')
mkdirSync(emptyH5)
let port: number
let child: ChildProcess | null = null
let log = ''

function start(): ChildProcess {
  const p = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, H5_DIST: emptyH5, JOBS: '0', LOG_LEVEL: 'warn', COMPLAINTS_PER_HOUR: '100000', DATABASE_URL: '', DEMO_HISTORY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = async (r: NodeJS.ReadableStream) => {
    for await (const d of r) log += d.toString()
  }
  void collect(p.stdout!)
  void collect(p.stderr!)
  return p
}

async function waitHealthy(timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`server exited: ${log.slice(-2000)}`)
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`)
      if (r.status === 200) return
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error(`no /healthz: ${log.slice(-2000)}`)
}

function database(): pg.Client {
  const secrets = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { pgPassword: string }
  const pgPort = Number(readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3])
  return new pg.Client({ host: '127.0.0.1', port: pgPort, user: 'postgres', password: secrets.pgPassword, database: 'chongchuan' })
}

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r))
    child.kill('SIGINT')
    await exited
  }
  rmSync(dir, { recursive: true, force: true })
})

describe('crash and restart', () => {
  it('keeps every acknowledged submit exactly once across a kill -9 of the server, and retries never duplicate', { timeout: 240_000 }, async () => {
    port = await freePort()
    child = start()
    await waitHealthy()

    const sms = await fetch(`http://127.0.0.1:${port}/api/v1/auth/sms/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13900002222' }) })
    const { devCode } = (await sms.json()) as { devCode: string }
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone: '13900002222', code: devCode }) })
    const { accessToken } = (await login.json()) as { accessToken: string }
    const cats = (await (await fetch(`http://127.0.0.1:${port}/api/v1/complaints/categories`)).json()) as { items: { id: number }[] }
    const headers = { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }
    const payload = (i: number) => JSON.stringify({ categoryId: cats.items[0]!.id, address: '任港路新村', description: `卡口无人值守，第 ${i} 次反映`, anonymous: false, photoIds: [] })
    const submit = (key: string, i: number) =>
      fetch(`http://127.0.0.1:${port}/api/v1/complaints`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: payload(i) })

    // A burst of keyed submits, four at a time, until the server is killed under it.
    const keys = Array.from({ length: 400 }, (_, i) => ({ key: `crash-${i}-${randomBytes(4).toString('hex')}`, i }))
    const acked = new Map<string, number>()
    let next = 0
    const worker = async () => {
      while (next < keys.length) {
        const k = keys[next++]!
        try {
          const r = await submit(k.key, k.i)
          if (r.status === 201) acked.set(k.key, ((await r.json()) as { id: number }).id)
        } catch {
          return // the server is gone
        }
      }
    }
    const burst = Promise.all([worker(), worker(), worker(), worker()])
    while (acked.size < 20) await new Promise((r) => setTimeout(r, 20))
    const exited = new Promise((r) => child!.once('exit', r))
    child.kill('SIGKILL')
    await exited
    await burst
    const tried = Math.min(next, keys.length)
    expect(acked.size).toBeGreaterThanOrEqual(20)

    // Same command again: it must come up by itself (the orphaned PostgreSQL is found and reused).
    log = ''
    child = start()
    await waitHealthy()

    const db = database()
    await db.connect()
    try {
      for (const { key, i } of keys.slice(0, tried)) {
        const before = await db.query<{ id: number }>('SELECT id FROM complaints WHERE client_key = $1', [key])
        expect(before.rowCount).toBeLessThanOrEqual(1)
        if (acked.has(key)) expect(before.rows[0]?.id).toBe(acked.get(key))
        // The phone retries everything it did not see answered, and even what it did: one record each.
        const r = await submit(key, i)
        expect(r.status).toBe(201)
        const id = ((await r.json()) as { id: number }).id
        if (acked.has(key)) expect(id).toBe(acked.get(key))
        const after = await db.query('SELECT count(*)::int AS n FROM complaints WHERE client_key = $1', [key])
        expect(after.rows[0].n).toBe(1)
      }
    } finally {
      await db.end()
    }
  })
})
