import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES, type Role } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { RESOURCE_FIXTURES } from './resource-fixtures.js'

/**
 * Walks every route the app registered. New routes are covered without touching this file: a route with
 * an unknown public status, or a resource kind without a fixture, fails here.
 */

/** Routes anyone may call without logging in. Adding one is a deliberate decision: list it here. */
const PUBLIC_ROUTES = new Set([
  'POST /api/v1/auth/sms/send',
  'POST /api/v1/auth/login/sms',
  'POST /api/v1/auth/login/password',
  'POST /api/v1/auth/login/wechat-mini',
  'GET /api/v1/auth/options',
  'GET /api/v1/auth/wechat/authorize',
  'GET /api/v1/auth/wechat/callback',
  'POST /api/v1/auth/refresh',
  'POST /api/v1/auth/logout',
  'GET /api/v1/org/places',
  'GET /api/v1/org/markets',
  'GET /api/v1/bulletins',
  'GET /api/v1/bulletins/:id',
  'GET /api/v1/complaints/categories',
  'GET /api/v1/uploads/:id/:variant',
  'GET /api/v1/track/:code',
  'GET /api/v1/quarantine/public/totals',
  'GET /api/v1/redblack/periods',
  'GET /api/v1/redblack/periods/:id',
  'GET /api/v1/redblack/entities/:id',
  'GET /api/v1/redblack/trend',
  'GET /api/v1/public/wechat/js-config',
])

/** Where each staff role sits in the demo district; FOREIGN lies outside all of them. */
export const HOME: Record<Exclude<Role, 'resident'>, string[]> = {
  gatekeeper: ['任港街道', '大庆社区', '第一网格', '任港路新村'],
  unit_handler: ['和平桥街道', '濠城社区', '东方鑫乾大厦物管项目'],
  community_worker: ['任港街道', '大庆社区'],
  street_admin: ['任港街道'],
  district_admin: [],
}
export const FOREIGN = ['和平桥街道', '濠西社区']

let app: TestApp
const headers = {} as Record<Role, Record<string, string>>
let residentId = 0

beforeAll(async () => {
  app = await createTestApp()
  for (const role of ROLES) {
    if (role === 'resident') {
      const r = await residentLogin(app, '13700000001')
      headers.resident = r.headers
      residentId = r.userId
    } else headers[role] = (await staffToken(app, role, HOME[role])).headers
  }
})
afterAll(() => app.close2())

function fill(url: string, values: Record<string, string | number>) {
  return url.replace(/:(\w+)/g, (_m, k: string) => String(values[k] ?? 1))
}

async function call(method: string, url: string, h: Record<string, string>, body?: Record<string, unknown>, query?: Record<string, unknown>) {
  const qs = query ? `?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` : ''
  return app.inject({ method: method as 'GET', url: url + qs, headers: h, payload: method === 'GET' || method === 'DELETE' ? undefined : (body ?? {}) })
}

describe('authorization of every route', () => {
  it('has routes to check', () => {
    expect(app.apiRoutes.length).toBeGreaterThan(10)
  })

  it('makes public exactly the routes on the public list', () => {
    const pub = app.apiRoutes.filter((r) => 'public' in r.access).map((r) => `${r.method} ${r.url}`)
    for (const p of pub) expect(PUBLIC_ROUTES, `unexpected public route ${p}`).toContain(p)
  })

  it('refuses every protected route without a token (401)', async () => {
    for (const r of app.apiRoutes) {
      if ('public' in r.access) continue
      const res = await call(r.method, fill(r.url, {}), {})
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401)
      expect(res.json().code).toBe('UNAUTHENTICATED')
    }
  })

  it('refuses every role outside the route’s roles (403)', async () => {
    let checked = 0
    for (const r of app.apiRoutes) {
      if ('public' in r.access) continue
      for (const role of ROLES) {
        if (r.access.roles.includes(role)) continue
        const res = await call(r.method, fill(r.url, {}), headers[role])
        expect(res.statusCode, `${role} → ${r.method} ${r.url}`).toBe(403)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })

  it('refuses every allowed role acting on a foreign scope', async () => {
    const foreignOrg = await findOrgByNames(app.db, FOREIGN)
    let checked = 0
    for (const r of app.apiRoutes) {
      if ('public' in r.access || r.access.scope.kind === 'none') continue
      const scope = r.access.scope
      for (const role of r.access.roles) {
        if (role === 'district_admin') continue // the whole district is its scope: nothing is foreign
        let id: number
        if (scope.kind === 'org') {
          if (role === 'resident') continue // residents may name any place; services limit them to their own rows
          id = foreignOrg.id
        } else {
          const make = RESOURCE_FIXTURES[scope.resource]
          expect(make, `no fixture for resource ${scope.resource}`).toBeDefined()
          id = await make!(app, { foreignOrg: FOREIGN, notOwnerOf: residentId })
        }
        const v = { [scope.key]: id }
        const res = await call(r.method, fill(r.url, scope.from === 'params' ? v : {}), headers[role], scope.from === 'body' ? v : undefined, scope.from === 'query' ? v : undefined)
        expect([403, 404], `${role} → ${r.method} ${r.url} on a foreign ${scope.kind} (${res.statusCode} ${res.body.slice(0, 120)})`).toContain(res.statusCode)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(0)
  })
})
