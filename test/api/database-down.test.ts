import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createPool } from '../../server/src/db/client.js'
import { freePort } from '../../server/src/db/embedded.js'
import { TEST_ENV } from '../env.js'

/**
 * PostgreSQL gone under a running server (killed, restarting): every call is a temporary 503 problem with
 * Retry-After that a phone can retry, never a 500, and closing the server does not hang on it.
 */
let app: Awaited<ReturnType<typeof build>>
let pool: ReturnType<typeof createPool>

beforeAll(async () => {
  const deadUrl = `postgres://postgres:x@127.0.0.1:${await freePort()}/chongchuan`
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: deadUrl })
  pool = createPool(deadUrl, 2)
  app = await build({ config: { ...config, databaseUrl: deadUrl }, pool, logger: false })
})
afterAll(async () => {
  await app.close()
  await pool.end()
})

describe('database down', () => {
  it('answers /healthz with 503', async () => {
    const r = await app.inject({ method: 'GET', url: '/healthz' })
    expect(r.statusCode).toBe(503)
  })

  it('answers public and authenticated API calls with 503 problem+json and Retry-After', async () => {
    const token = app.jwt.sign({ sub: '1', gid: 1, role: 'resident', org: null, path: null })
    for (const req of [
      { method: 'GET' as const, url: '/api/v1/complaints/categories' },
      { method: 'GET' as const, url: '/api/v1/bulletins' },
      { method: 'POST' as const, url: '/api/v1/auth/login/password', payload: { username: 'admin', password: 'cc123456' } },
      { method: 'GET' as const, url: '/api/v1/complaints/mine', headers: { authorization: `Bearer ${token}` } },
    ]) {
      const r = await app.inject(req)
      expect(r.statusCode, req.url).toBe(503)
      expect(r.headers['content-type']).toContain('application/problem+json')
      expect(r.headers['retry-after']).toBe('5')
      expect(r.json().title).toBe('系统正在恢复，请稍后再试')
    }
  })
})
