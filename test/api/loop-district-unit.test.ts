import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from '../../server/node_modules/sharp/lib/index.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport, upload } from './flow.js'
import { loopActors, statusOf, walk, type LoopActors } from './loop.js'

let app: TestApp
let a: LoopActors
beforeAll(async () => {
  app = await createTestApp()
  a = await loopActors(app)
})
afterAll(() => app.close2())

const stats = async () => (await app.inject({ url: '/api/v1/admin/stats', headers: a.admin.headers })).json()
const listIds = async (query: string) => {
  const r = await app.inject({ url: `/api/v1/admin/complaints?limit=100&${query}`, headers: a.admin.headers })
  expect(r.statusCode, r.body).toBe(200)
  return r.json().items.map((i: { id: number }) => i.id) as number[]
}

describe('district', () => {
  it('counts 今日受理 without rejected and merged reports', async () => {
    const before = (await stats()).receivedToday
    const kept = await walk(app, a, 'accepted')
    const rejected = await walk(app, a, 'submitted')
    const merged = await walk(app, a, 'submitted')
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${rejected}/reject`, { reason: '不属于防控漏洞' })).statusCode).toBe(200)
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${merged}/merge`, { targetId: kept })).statusCode).toBe(200)
    expect((await stats()).receivedToday).toBe(before + 1)
  })

  it('clears a pending extension request when the unit rectifies, with an event', async () => {
    const id = await walk(app, a, 'signed')
    const pendingBefore = (await stats()).pendingRequests
    const until = new Date(Date.now() + 5 * 86400_000).toISOString()
    expect((await act(app, a.worker.headers, `/api/v1/tasks/${id}/extension`, { reason: '需采购门禁设备', until })).statusCode).toBe(200)
    expect((await stats()).pendingRequests).toBe(pendingBefore + 1)
    expect(await listIds('pending=true')).toContain(id)
    const photo = (await upload(app, a.worker.headers, 'rectify')).json().id
    const fix = await act(app, a.worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '门禁设备已借到并安装', photoIds: [photo] })
    expect(fix.statusCode, fix.body).toBe(200)
    expect(fix.json().pendingRequest).toBeNull()
    expect((await stats()).pendingRequests).toBe(pendingBefore)
    expect(await listIds('pending=true')).not.toContain(id)
    const ev = await app.pool.query(`SELECT kind FROM complaint_events WHERE complaint_id = $1 ORDER BY id`, [id])
    expect(ev.rows.map((e) => e.kind)).toContain('extension_withdrawn')
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/decide-request`, { approve: true })).statusCode).toBe(409)
  })

  it('lists pending requests on signed rows, accepted-not-assigned reports, several statuses, and a tracking code', async () => {
    const accepted = await walk(app, a, 'accepted')
    const submitted = await walk(app, a, 'submitted')
    const signed = await walk(app, a, 'signed')
    await act(app, a.worker.headers, `/api/v1/tasks/${signed}/reassign`, { reason: '该小区由濠城社区管理' })
    const acc = await listIds('status=accepted')
    expect(acc).toContain(accepted)
    expect(acc).not.toContain(submitted)
    expect((await stats()).toAssign).toBe((await app.pool.query(`SELECT count(*)::int AS n FROM complaints WHERE status = 'accepted'`)).rows[0].n)
    const pending = await listIds('pending=true')
    expect(pending).toEqual([signed])
    const both = await listIds('statuses=submitted,accepted')
    expect(both).toEqual(expect.arrayContaining([accepted, submitted]))
    expect(both).not.toContain(signed)
    expect((await app.inject({ url: '/api/v1/admin/complaints?statuses=submitted,bogus', headers: a.admin.headers })).statusCode).toBe(400)
    const code = (await app.pool.query('SELECT tracking_code FROM complaints WHERE id = $1', [submitted])).rows[0].tracking_code as string
    expect(await listIds(`code=${encodeURIComponent(` ${code.toLowerCase()} `)}`)).toEqual([submitted])
  })

  it('merges by tracking code and offers the same-place reports as candidates', async () => {
    const target = await walk(app, a, 'accepted', a.other)
    const dup = await walk(app, a, 'submitted')
    const elsewhere = await walk(app, a, 'submitted', a.resident, { placeOrgId: undefined, address: '青年路1号门口' })
    const candidates = (await app.inject({ url: `/api/v1/admin/complaints/${dup}/similar`, headers: a.admin.headers })).json().items.map((i: { id: number }) => i.id)
    expect(candidates).toContain(target)
    expect(candidates).not.toContain(dup)
    expect(candidates).not.toContain(elsewhere)
    const code = (await app.pool.query('SELECT tracking_code FROM complaints WHERE id = $1', [target])).rows[0].tracking_code as string
    const unknown = await act(app, a.admin.headers, `/api/v1/admin/complaints/${dup}/merge`, { targetCode: 'CC000000AAAAA' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().detail).toContain('CC000000AAAAA')
    const r = await act(app, a.admin.headers, `/api/v1/admin/complaints/${dup}/merge`, { targetCode: code.toLowerCase() })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ status: 'merged', mergedIntoId: target })
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${elsewhere}/merge`, {})).statusCode).toBe(400)
    // The merged reporter sees where it went and cannot rate it.
    const mine = (await app.inject({ url: `/api/v1/complaints/${dup}`, headers: a.resident.headers })).json()
    expect(mine).toMatchObject({ mergedIntoId: target, mergedIntoCode: code, canRate: false })
  })

  it('suggests the unit to assign to from the place', async () => {
    const view = async (over: Record<string, unknown>) => {
      const id = (await fileReport(app, a.resident.headers, over)).json().id
      return (await app.inject({ url: `/api/v1/admin/complaints/${id}`, headers: a.admin.headers })).json().suggestedUnit
    }
    const daqing = await findOrgByNames(app.db, DAQING)
    expect(await view({})).toEqual({ id: daqing.id, kind: 'community', name: '大庆社区', label: '任港街道 / 大庆社区' })
    expect(await view({ placeOrgId: daqing.id })).toMatchObject({ id: daqing.id, kind: 'community' })
    const market = await findOrgByNames(app.db, [...DAQING, '大庆菜市场'])
    expect(await view({ placeOrgId: market.id })).toEqual({ id: market.id, kind: 'market', name: '大庆菜市场', label: '大庆菜市场' })
    expect(await view({ placeOrgId: undefined, address: '青年路1号门口' })).toBeNull()
  })
})

describe('unit: one accountable party per task', () => {
  it('refuses a community worker on a task assigned to a market entity in the community', async () => {
    const market = await findOrgByNames(app.db, [...DAQING, '大庆菜市场'])
    const handler = await staffToken(app, 'unit_handler', [...DAQING, '大庆菜市场'])
    const id = await walk(app, a, 'accepted', a.resident, { placeOrgId: market.id })
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: market.id })).statusCode).toBe(200)
    // The community still sees it in its list and may read it…
    expect((await app.inject({ url: `/api/v1/tasks/${id}`, headers: a.worker.headers })).statusCode).toBe(200)
    // …but only the market entity acts on it.
    for (const [path, body] of [
      ['sign', {}],
      ['extension', { reason: '需要时间', until: new Date(Date.now() + 5 * 86400_000).toISOString() }],
      ['reassign', { reason: '不归我们管' }],
    ] as const) {
      const r = await act(app, a.worker.headers, `/api/v1/tasks/${id}/${path}`, body)
      expect(r.statusCode, `${path}: ${r.body}`).toBe(403)
    }
    expect((await act(app, a.street.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(403)
    expect((await act(app, handler.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
    const photo = (await upload(app, a.worker.headers, 'rectify')).json().id
    expect((await act(app, a.worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '社区代为整改完毕', photoIds: [photo] })).statusCode).toBe(403)
    const own = (await upload(app, handler.headers, 'rectify')).json().id
    expect((await act(app, handler.headers, `/api/v1/tasks/${id}/rectify`, { text: '已安排专人测温查验', photoIds: [own] })).statusCode).toBe(200)
    // The street still verifies (or returns) what its units rectified.
    expect((await act(app, a.street.headers, `/api/v1/tasks/${id}/verify`)).statusCode).toBe(200)
    expect(await statusOf(app, id)).toBe('verified')
  })
})

describe('uploads', () => {
  for (const [w, h] of [[160, 120], [32, 32]] as const)
    it(`accepts a small after-photo (${w}×${h}) and stamps it with the server time`, async () => {
      const img = await sharp({ create: { width: w, height: h, channels: 3, background: { r: 240, g: 240, b: 240 } } }).jpeg().toBuffer()
      const r = await upload(app, a.worker.headers, 'rectify', img)
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json()).toMatchObject({ width: w, height: h })
      const full = (await app.inject({ url: r.json().url })).rawPayload
      const { data } = await sharp(full).raw().toBuffer({ resolveWithObject: true })
      const corner = data[(h - 1) * w * 3 + (w - 1) * 3]! // bottom-right pixel, under the stamp's dark band
      expect(corner).toBeLessThan(200)
    })
})

describe('org: market search', () => {
  it('names each market entity’s community and finds property projects by their company', async () => {
    const byName = (await app.inject({ url: `/api/v1/org/markets?q=${encodeURIComponent('大庆菜')}` })).json().items
    expect(byName).toEqual([expect.objectContaining({ name: '大庆菜市场', communityName: '大庆社区' })])
    const byCompany = (await app.inject({ url: `/api/v1/org/markets?q=${encodeURIComponent('乾坤物业')}` })).json().items
    expect(byCompany.map((m: { name: string }) => m.name).sort()).toEqual(['东方鑫乾大厦物管项目', '瑞安名邸物管项目'])
    expect(byCompany.every((m: { communityName: string; propertyCompany: string }) => m.communityName.endsWith('社区') && m.propertyCompany === '乾坤物业')).toBe(true)
  })
})

