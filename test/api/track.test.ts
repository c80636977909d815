import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, someIp, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport, upload } from './flow.js'

let app: TestApp
let resident: Awaited<ReturnType<typeof residentLogin>>
let admin: { headers: Record<string, string> }
let worker: { headers: Record<string, string> }
let street: { headers: Record<string, string> }
let otherStreet: { headers: Record<string, string> }
const PHONE = '13522223333'

beforeAll(async () => {
  app = await createTestApp()
  resident = await residentLogin(app, PHONE)
  admin = await staffToken(app, 'district_admin', [])
  worker = await staffToken(app, 'community_worker', DAQING)
  street = await staffToken(app, 'street_admin', ['任港街道'])
  otherStreet = await staffToken(app, 'street_admin', ['和平桥街道'])
})
afterAll(() => app.close2())

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers, remoteAddress: someIp() })

async function assigned(over: Record<string, unknown> = {}) {
  const r = await fileReport(app, resident.headers, over)
  expect(r.statusCode, r.body).toBe(201)
  const { id, trackingCode } = r.json() as { id: number; trackingCode: string }
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
  const daqing = await findOrgByNames(app.db, DAQING)
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })).statusCode).toBe(200)
  return { id, trackingCode }
}

describe('GET /api/v1/track/:code (public tracking-code lookup)', () => {
  it('shows anyone, without login, how far a report got — and nothing that identifies or quotes the reporter', async () => {
    const { id, trackingCode } = await assigned({ description: `东门无人值守，我是3号楼张三，电话 ${PHONE}` })
    expect((await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
    const photo = (await upload(app, worker.headers, 'rectify')).json().id
    const fix = await act(app, worker.headers, `/api/v1/tasks/${id}/rectify`, { text: `已安排值守，联系人 ${PHONE}`, photoIds: [photo] })
    expect(fix.statusCode, fix.body).toBe(200)

    const before = await get(`/api/v1/track/${trackingCode.toLowerCase()}`)
    expect(before.statusCode, before.body).toBe(200)
    expect(before.json()).toMatchObject({ trackingCode, status: 'rectified', placeName: '任港街道 大庆社区 任港路新村', rectification: null })
    expect(before.json().steps.map((s: { label: string }) => s.label)).toEqual(['提交反映', '已受理', '已交办', '已签收', '已整改'])

    expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/verify`)).statusCode).toBe(200)
    const after = await get(`/api/v1/track/${trackingCode}`)
    expect(after.json().rectification.text).toContain('已安排值守')
    for (const body of [before.body, after.body]) {
      expect(body).not.toContain(PHONE)
      expect(body).not.toContain('张三')
      expect(body).not.toMatch(/description|reporter|photo|actorLabel|note/i)
    }
  })

  it('does not show an address the resident typed (it may name a flat)', async () => {
    const r = await fileReport(app, resident.headers, { placeOrgId: undefined, address: '工农路88号3幢502室门口' })
    expect(r.statusCode, r.body).toBe(201)
    const t = await get(`/api/v1/track/${r.json().trackingCode}`)
    expect(t.json().placeName).not.toContain('502')
    expect(t.json().placeName).toContain('不公开')
  })

  it('answers an unknown code with a Chinese 404 and a malformed one with 400', async () => {
    const unknown = await get('/api/v1/track/CC000000ZZZZZ')
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().detail).toContain('反映事项')
    expect((await get('/api/v1/track/%00abc')).statusCode).toBe(400)
  })
})

describe('GET /api/v1/tasks/stats (a unit’s queue numbers)', () => {
  it('counts the tasks of the street’s communities for the street, and none for another street', async () => {
    const before = (await get('/api/v1/tasks/stats', street.headers)).json()
    await assigned()
    const signed = await assigned()
    expect((await act(app, worker.headers, `/api/v1/tasks/${signed.id}/sign`)).statusCode).toBe(200)

    const s = await get('/api/v1/tasks/stats', street.headers)
    expect(s.statusCode, s.body).toBe(200)
    expect(s.json().assigned).toBe(before.assigned + 1)
    expect(s.json().signed).toBe(before.signed + 1)
    const list = (await get('/api/v1/tasks?status=assigned', street.headers)).json().items as unknown[]
    expect(list.length).toBe(s.json().assigned)
    expect((await get('/api/v1/tasks/stats', worker.headers)).json().assigned).toBe(s.json().assigned)
    expect((await get('/api/v1/tasks/stats', otherStreet.headers)).json()).toMatchObject({ assigned: 0, signed: 0 })
  })

  it('is refused to residents and the district', async () => {
    expect((await get('/api/v1/tasks/stats', resident.headers)).statusCode).toBe(403)
    expect((await get('/api/v1/tasks/stats', admin.headers)).statusCode).toBe(403)
  })
})
