import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BLOCK_PATTERN, LINE_PATTERN, ROLES, type Role } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import type { RegisteredRoute } from '../../server/src/plugins/access.js'
import Fastify from '../../server/node_modules/fastify/fastify.js'
import errorsPlugin from '../../server/src/plugins/errors.js'
import { createTestApp, residentLogin, someIp, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport } from './flow.js'
import { quarantineFixtures } from './quarantine-fixtures.js'

/**
 * Control characters in every text field of every route. PostgreSQL refuses NUL (22021), which used to
 * come back as a 500 — including on `GET /org/markets?q=%00`, with no login. Each route's schemas are walked,
 * a request that is valid apart from one field is built, and that field gets a NUL.
 */

/** Where each staff role sits (as in the authorization sweep): inside the scope of the sweep's report. */
const HOME: Record<Exclude<Role, 'resident'>, string[]> = {
  gatekeeper: ['任港街道', '大庆社区', '第一网格', '任港路新村'],
  unit_handler: ['和平桥街道', '濠城社区', '东方鑫乾大厦物管项目'],
  community_worker: DAQING,
  street_admin: ['任港街道'],
  district_admin: [],
}

let app: TestApp
const headers = {} as Record<Role, Record<string, string>>
let complaintId = 0
let bulletinId = 0
let daqingId = 0
let scopedIds: [string, number][] = []

beforeAll(async () => {
  app = await createTestApp()
  for (const role of ROLES) {
    if (role === 'resident') headers.resident = (await residentLogin(app, '13700000077')).headers
    else headers[role] = (await staffToken(app, role, HOME[role])).headers
  }
  // One report everybody in the sweep may reach: the resident's own, assigned to 大庆社区.
  const r = await fileReport(app, headers.resident)
  complaintId = r.json().id
  const admin = (await staffToken(app, 'district_admin', [])).headers
  await act(app, admin, `/api/v1/admin/complaints/${complaintId}/accept`)
  const daqing = await findOrgByNames(app.db, DAQING)
  await act(app, admin, `/api/v1/admin/complaints/${complaintId}/assign`, { unitOrgId: daqing.id })
  bulletinId = (await act(app, admin, '/api/v1/admin/bulletins/draft')).json().id
  // Returnee and quarantine resources in everybody's scope (the resident registered the person), so their routes reach validation too.
  const q = await quarantineFixtures(app, headers)
  daqingId = q.communityId
  scopedIds = [
    ['/api/v1/returnees/', q.returneeId],
    ['/api/v1/me/returnees/', q.returneeId],
    ['/api/v1/quarantine/cases/', q.caseId],
    ['/api/v1/quarantine/followups/', q.slotId],
    ['/api/v1/quarantine/nats/', q.natId],
    ['/api/v1/quarantine/alerts/', q.alertId],
    ['/api/v1/quarantine/sites/', q.siteId],
  ]
})
afterAll(() => app.close2())

type Schema = {
  type?: string
  properties?: Record<string, Schema>
  items?: Schema
  anyOf?: Schema[]
  allOf?: Schema[]
  const?: unknown
  enum?: unknown[]
  format?: string
  pattern?: string
  minimum?: number
  minLength?: number
  minItems?: number
}

const NORMAL = '正常的文字内容，长度足够'

function exampleString(s: Schema): string {
  if (s.format === 'uuid') return randomUUID()
  if (s.format === 'date-time') return new Date(Date.now() + 3 * 86400_000).toISOString()
  if (s.enum) return String(s.enum[0])
  if (s.pattern && s.pattern !== LINE_PATTERN && s.pattern !== BLOCK_PATTERN) {
    const re = new RegExp(s.pattern, 'u')
    const found = ['13700000078', '123456', 'submitted', 'CC250214ABCDE', 'abc'].find((c) => re.test(c))
    if (found) return found
  }
  return NORMAL.padEnd(s.minLength ?? 0, '字')
}

/** A value the schema accepts (every optional property filled in, so each text field is present). */
function example(s: Schema): unknown {
  if (s.const !== undefined) return s.const
  if (s.anyOf) return example(s.anyOf.find((x) => x.type !== 'null') ?? s.anyOf[0]!)
  if (s.allOf) return Object.assign({}, ...s.allOf.map((x) => example(x) as object))
  switch (s.type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, example(v)]))
    case 'integer':
    case 'number':
      return s.minimum ?? 1
    case 'boolean':
      return false
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => example(s.items!))
    case 'string':
      return exampleString(s)
    default:
      return undefined
  }
}

/** Paths (within one schema) of every string a client can send, with the schema of that string. */
function stringFields(s: Schema | undefined, path: string[] = []): { path: string[]; schema: Schema }[] {
  if (!s) return []
  if (s.anyOf) return s.anyOf.flatMap((x) => stringFields(x, path))
  if (s.allOf) return s.allOf.flatMap((x) => stringFields(x, path))
  if (s.type === 'object') return Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringFields(v, [...path, k]))
  if (s.type === 'array') return stringFields(s.items, [...path, '0'])
  if (s.type === 'string' && s.const === undefined) return [{ path, schema: s }]
  return []
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown) {
  let o: Record<string, unknown> = obj
  for (const k of path.slice(0, -1)) {
    if (o[k] === undefined || o[k] === null || typeof o[k] !== 'object') o[k] = /^\d+$/.test(path[path.indexOf(k) + 1] ?? '') ? [] : {}
    o = o[k] as Record<string, unknown>
  }
  o[path.at(-1)!] = value
}

function headersFor(r: RegisteredRoute) {
  if ('public' in r.access) return {}
  const role = r.access.roles.includes('district_admin') ? 'district_admin' : r.access.roles.includes('community_worker') ? 'community_worker' : r.access.roles[0]!
  return headers[role]
}

function baseParams(r: RegisteredRoute): Record<string, unknown> {
  const p = (example((r.schema.params ?? { type: 'object', properties: {} }) as Schema) ?? {}) as Record<string, unknown>
  if ('id' in p) p.id = r.url.includes('/bulletins') ? bulletinId : (scopedIds.find(([prefix]) => r.url.startsWith(prefix))?.[1] ?? complaintId)
  return p
}

async function send(r: RegisteredRoute, params: Record<string, unknown>, query: Record<string, unknown> | undefined, body: unknown) {
  const url = r.url.replace(/:(\w+)/g, (_m, k: string) => encodeURIComponent(String(params[k])))
  const qs = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])).toString() : ''
  return app.inject({
    method: r.method as 'GET',
    url: qs ? `${url}?${qs}` : url,
    headers: headersFor(r),
    remoteAddress: someIp(),
    payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : (body as object) ?? {},
  })
}

const NUL = '正常\u0000内容，长度足够'

describe('hostile input', () => {
  describe('the issue’s NUL reproductions', () => {
    it('answers GET /org/markets?q=%00 (no login) with 400 in Chinese', async () => {
      const r = await app.inject({ url: '/api/v1/org/markets?q=%00' })
      expect(r.statusCode).toBe(400)
      expect(r.json().detail).toContain('控制字符')
    })
    it('answers /complaints/similar with a NUL address with 400', async () => {
      const r = await app.inject({ url: '/api/v1/complaints/similar?categoryId=1&address=%00abc', headers: headers.resident })
      expect(r.statusCode).toBe(400)
    })
    it('refuses a NUL in a complaint’s description and address, writing nothing', async () => {
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
      expect((await fileReport(app, headers.resident, { description: '东门无人\u0000值守，请处理' })).statusCode).toBe(400)
      expect((await fileReport(app, headers.resident, { placeOrgId: undefined, address: '任港路\u0000新村' })).statusCode).toBe(400)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n).toBe(before)
    })
    it('refuses a NUL in an admin note and in an erratum', async () => {
      const admin = headers.district_admin
      expect((await act(app, admin, `/api/v1/admin/complaints/${complaintId}/return`, { note: '退回\u0000重新整改' })).statusCode).toBe(400)
      expect((await act(app, admin, `/api/v1/admin/bulletins/${bulletinId}/erratum`, { text: '更正内容\u0000如下所述' })).statusCode).toBe(400)
    })
    it('keeps line breaks and tabs in multi-line text', async () => {
      const r = await fileReport(app, headers.resident, { description: '东门无人值守\n\t北门也没有人查验' })
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json().description).toBe('东门无人值守\n\t北门也没有人查验')
    })
    it('maps a NUL that reaches PostgreSQL (22021) to 400, not 500 — the backstop for a route without the type', async () => {
      const bare = Fastify({ logger: false })
      await bare.register(errorsPlugin)
      bare.get('/raw', async (req) => app.pool.query('SELECT $1::text AS t', [(req.query as { q: string }).q]))
      const r = await bare.inject({ url: '/raw?q=a%00b' })
      await bare.close()
      expect(r.statusCode).toBe(400)
      expect(r.json().code).toBe('VALIDATION')
    })
  })

  it('declares every request text field with the shared TextLine/TextBlock type (or a stricter format)', () => {
    const loose: string[] = []
    for (const r of app.apiRoutes)
      for (const part of ['params', 'querystring', 'body'] as const)
        for (const f of stringFields(r.schema[part] as Schema | undefined))
          if (!f.schema.pattern && !f.schema.format && !f.schema.enum) loose.push(`${r.method} ${r.url} ${part}.${f.path.join('.')}`)
    expect(loose, 'use TextLine/TextBlock from @cc/shared for these').toEqual([])
  })

  it('answers a NUL in every text field and query parameter of every route with 4xx, never 500', async () => {
    const failures: string[] = []
    let sent = 0
    let refused = 0
    for (const r of app.apiRoutes) {
      for (const part of ['params', 'querystring', 'body'] as const) {
        for (const f of stringFields(r.schema[part] as Schema | undefined)) {
          const params = baseParams(r)
          const query = r.schema.querystring ? (example(r.schema.querystring as Schema) as Record<string, unknown>) : undefined
          const body = r.schema.body ? (example(r.schema.body as Schema) as Record<string, unknown>) : undefined
          if (body && r.url === '/api/v1/returnees') body.communityId = daqingId
          const target = part === 'params' ? params : part === 'querystring' ? query! : body!
          setPath(target, f.path, NUL)
          const res = await send(r, params, query, body)
          sent++
          if (res.statusCode === 400) refused++
          if (res.statusCode < 400 || res.statusCode >= 500) failures.push(`${r.method} ${r.url} ${part}.${f.path.join('.')} → ${res.statusCode} ${res.body.slice(0, 100)}`)
        }
      }
    }
    expect(failures).toEqual([])
    expect(sent).toBeGreaterThan(20)
    // Almost every case reaches validation (the sweep's report is in every role's scope): it is the schema that refuses.
    expect(refused).toBeGreaterThan(sent * 0.9)
  })
})
