import net from 'node:net'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, residentLogin, type TestApp } from '../helper.js'

/**
 * Phones drop requests mid-flight. These tests talk to a real listening server over TCP and hang up at
 * every stage of a keyed submit, then check the server still answers and nothing was half-written or
 * duplicated.
 */
let app: TestApp
let port: number
let headers: Record<string, string>
let userId: number
let categoryId: number

beforeAll(async () => {
  app = await createTestApp()
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as net.AddressInfo).port
  const r = await residentLogin(app, '13900001111')
  headers = r.headers
  userId = r.userId
  const cats = await app.inject({ method: 'GET', url: '/api/v1/complaints/categories' })
  categoryId = cats.json().items[0].id
})
afterAll(async () => {
  // A client that hung up half-way through a request head leaves a socket the server keeps until its
  // headersTimeout; shutdown must not wait for it (main.ts does the same after a grace period).
  const closing = app.close()
  app.server.closeAllConnections()
  await closing
  await app.close2()
})

const newKey = () => `drop-${randomBytes(8).toString('hex')}`
const body = (n: string) => JSON.stringify({ categoryId, address: '任港路新村 3 号门', description: `小区门口无人值守，外来人员随意进出 ${n}`, anonymous: false, photoIds: [] })

/** Sends a raw HTTP request and hangs up after `cut` bytes of it were written, or `afterMs` after the whole was written. */
function rawSubmit(key: string, payload: string, opts: { cutBody?: number; afterMs?: number; onFirstByte?: boolean }): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    const head =
      `POST /api/v1/complaints HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Authorization: ${headers.authorization}\r\nIdempotency-Key: ${key}\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n`
    s.on('error', () => resolve())
    s.on('close', () => resolve())
    s.on('connect', () => {
      if (opts.cutBody !== undefined) {
        s.write(head + payload.slice(0, opts.cutBody), () => setTimeout(() => s.destroy(), 5))
        return
      }
      s.write(head + payload)
      if (opts.onFirstByte) s.once('data', () => s.destroy())
      else setTimeout(() => s.destroy(), opts.afterMs ?? 0)
    })
  })
}

async function healthy() {
  const r = await fetch(`http://127.0.0.1:${port}/healthz`)
  expect(r.status).toBe(200)
}

async function copies(key: string): Promise<number> {
  const r = await app.pool.query('SELECT count(*)::int AS n FROM complaints WHERE reporter_id = $1 AND client_key = $2', [userId, key])
  return r.rows[0].n as number
}

async function retry(key: string, payload: string) {
  const r = await fetch(`http://127.0.0.1:${port}/api/v1/complaints`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key }, body: payload })
  return { status: r.status, json: (await r.json()) as { id: number; trackingCode: string } }
}

describe('dropped requests', () => {
  describe('POST /api/v1/complaints with an Idempotency-Key', () => {
    it('survives a hang-up before the body is read, and the retry creates the complaint once', async () => {
      const key = newKey()
      const p = body('a')
      await rawSubmit(key, p, { cutBody: 10 })
      await healthy()
      expect(await copies(key)).toBe(0)
      const r = await retry(key, p)
      expect(r.status).toBe(201)
      expect(await copies(key)).toBe(1)
    })

    it('survives hang-ups 0–20 ms into the handler; each submit exists at most once and retries return it', async () => {
      for (let i = 0; i < 24; i++) {
        const key = newKey()
        const p = body(`b${i}`)
        await rawSubmit(key, p, { afterMs: i % 21 })
        await healthy()
        expect(await copies(key)).toBeLessThanOrEqual(1)
        const first = await retry(key, p)
        expect(first.status).toBe(201)
        const again = await retry(key, p)
        expect(again.status).toBe(201)
        expect(again.json.id).toBe(first.json.id)
        expect(await copies(key)).toBe(1)
      }
    })

    it('survives a hang-up while the reply is being written', async () => {
      for (let i = 0; i < 5; i++) {
        const key = newKey()
        const p = body(`c${i}`)
        await rawSubmit(key, p, { onFirstByte: true })
        await healthy()
        expect(await copies(key)).toBe(1)
        const r = await retry(key, p)
        expect(r.status).toBe(201)
        expect(await copies(key)).toBe(1)
      }
    })

    it('survives many aborted fetches at once', async () => {
      const keys = Array.from({ length: 30 }, newKey)
      await Promise.all(
        keys.map(async (key, i) => {
          const ac = new AbortController()
          setTimeout(() => ac.abort(), 2 + (i % 19))
          await fetch(`http://127.0.0.1:${port}/api/v1/complaints`, { method: 'POST', signal: ac.signal, headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': key }, body: body(`d${i}`) }).catch(() => null)
        }),
      )
      await healthy()
      for (const [i, key] of keys.entries()) {
        expect(await copies(key)).toBeLessThanOrEqual(1)
        const r = await retry(key, body(`d${i}`))
        expect(r.status).toBe(201)
        expect(await copies(key)).toBe(1)
      }
    })
  })
})
