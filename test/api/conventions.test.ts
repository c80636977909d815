import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helper.js'

let app: TestApp
beforeAll(async () => {
  app = await createTestApp()
})
afterAll(() => app.close2())

describe('API conventions', () => {
  it('answers /healthz with 200 while the database answers', async () => {
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ ok: true })
  })

  it('serves the OpenAPI document, listing every /api/v1 route', async () => {
    const r = await app.inject({ url: '/api/docs/json' })
    expect(r.statusCode).toBe(200)
    const doc = r.json()
    expect(doc.openapi).toMatch(/^3\./)
    for (const route of app.apiRoutes) {
      const p = route.url.replace(/:(\w+)/g, '{$1}')
      const entry = doc.paths[p] ?? doc.paths[p.replace(/\/$/, '')] ?? doc.paths[`${p}/`]
      expect(entry?.[route.method.toLowerCase()], `${route.method} ${p}`).toBeDefined()
    }
  })

  it('answers unknown API paths with problem+json in Chinese', async () => {
    const r = await app.inject({ url: '/api/v1/nothing-here' })
    expect(r.statusCode).toBe(404)
    expect(r.headers['content-type']).toContain('application/problem+json')
    expect(r.json().title).toBe('找不到相关内容')
  })

  it('turns malformed JSON into a 400, not a 500', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login/password', headers: { 'content-type': 'application/json' }, payload: '{"username":' })
    expect(r.statusCode).toBe(400)
    expect(r.json().title).toBe('提交的内容不完整或格式不对')
  })

  it('sends security headers', async () => {
    const r = await app.inject({ url: '/healthz' })
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['content-security-policy']).toContain("default-src 'self'")
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN')
  })

  it('sends HSTS and upgrade-insecure-requests only when the public URL is https', async () => {
    // Over plain http (a phone on the LAN) they would send the H5's scripts to an https nobody serves.
    const plain = await app.inject({ url: '/api/v1/complaints/categories' })
    expect(plain.headers['strict-transport-security']).toBeUndefined()
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests')
    const tls = await createTestApp({ publicBaseUrl: 'https://cc.example.cn' })
    try {
      const r = await tls.inject({ url: '/api/v1/complaints/categories' })
      expect(r.headers['strict-transport-security']).toContain('max-age=')
      expect(r.headers['content-security-policy']).toContain('upgrade-insecure-requests')
    } finally {
      await tls.close2()
    }
  })

  it('calls the receipt code 跟踪码 everywhere, never 查询码', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs')
    const path = await import('node:path')
    const root = path.resolve(import.meta.dirname, '../..')
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.(vue|ts)$/.test(name) && readFileSync(p, 'utf8').includes('查询码')) offenders.push(path.relative(root, p))
      }
    }
    for (const d of ['h5/src', 'server/src', 'shared/src']) walk(path.join(root, d))
    expect(offenders).toEqual([])
  })

  it('keeps the audit log append-only', async () => {
    await app.pool.query(`INSERT INTO audit_log (action) VALUES ('test')`)
    await expect(app.pool.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/)
    await expect(app.pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/)
  })

  it('refuses an org unit under a parent of the wrong kind', async () => {
    const street = await app.pool.query(`SELECT id FROM org_units WHERE kind = 'street' LIMIT 1`)
    await expect(app.pool.query(`INSERT INTO org_units (kind, name, parent_id) VALUES ('gate', '错门', $1)`, [street.rows[0].id])).rejects.toThrow(/cannot hang under/)
  })

  it('seeds the district the reports describe', async () => {
    const r = await app.pool.query(`SELECT kind, count(*)::int AS n FROM org_units GROUP BY kind`)
    const n = Object.fromEntries(r.rows.map((x) => [x.kind, x.n]))
    expect(n.street).toBe(16)
    const gates = await app.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE g.staffed)::int AS staffed FROM org_units g JOIN org_units c ON c.id = g.parent_id WHERE c.name = '任港路新村' AND g.kind = 'gate'`,
    )
    expect(gates.rows[0]).toEqual({ n: 10, staffed: 3 })
  })
})
