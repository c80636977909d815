import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneUploads } from '../../server/src/jobs/cleanup.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { upload } from './flow.js'
import { DAQING, RENGANG_XINCUN, makeId } from './register-helpers.js'

/** 行程卡 photo on 返崇登记, the worker's message when a key-area change raises a risk, the resident's notice link. */

let app: TestApp
let worker: { userId: number; headers: Record<string, string> }
let district: Record<string, string>
let resident: Record<string, string>
let other: Record<string, string>
let compoundId = 0

const post = (url: string, h: Record<string, string>, payload: object = {}) => app.inject({ method: 'POST', url, headers: h, payload })
const get = (url: string, h: Record<string, string>) => app.inject({ method: 'GET', url, headers: h })
const trip = (over: Record<string, unknown> = {}) => ({
  provinceCode: '320000', cityCode: '320500', districtCode: '320505', originName: '江苏省苏州市虎丘区',
  arrivedOn: '2026-11-21', transport: 'car', transportNo: '苏E12345', keyContact: false, healthColor: 'green', ...over,
})
let idn = 8800
const selfReg = (h: Record<string, string>, over: Record<string, unknown> = {}) =>
  post('/api/v1/me/returnees', h, { forSelf: true, name: '陆晓燕', idNumber: makeId(++idn), compoundId, address: '3幢101室', trip: trip(), ...over })
const messagesOf = async (h: Record<string, string>) => (await get('/api/v1/messages?limit=50', h)).json().items as { title: string; body: string }[]

beforeAll(async () => {
  app = await createTestApp()
  worker = await staffToken(app, 'community_worker', DAQING)
  district = (await staffToken(app, 'district_admin', [])).headers
  resident = (await residentLogin(app, '13700002222')).headers
  other = (await residentLogin(app, '13700003333')).headers
  compoundId = (await findOrgByNames(app.db, RENGANG_XINCUN)).id
})
afterAll(() => app.close2())

describe('行程卡 photo', () => {
  it('attaches the caller’s own travel-card upload to the trip and shows it on the case', async () => {
    const u = await upload(app, resident, 'travel_card')
    expect(u.statusCode, u.body).toBe(201)
    const id = u.json().id as string
    const r = await selfReg(resident, { trip: trip({ travelCardUploadId: id }) })
    expect(r.statusCode, r.body).toBe(201)
    const ret = r.json().returnee
    expect(ret.lastTrip.travelCardThumbUrl).toBe(`/api/v1/uploads/${id}/thumb`)
    const c = (await get(`/api/v1/quarantine/cases/${ret.caseId}`, worker.headers)).json()
    expect(c.travelCardThumbUrl).toBe(`/api/v1/uploads/${id}/thumb`)
    expect(c.travelCardUrl).toBe(`/api/v1/uploads/${id}/full`)
    expect((await app.inject({ url: c.travelCardThumbUrl })).statusCode).toBe(200)
  })

  it('refuses another resident’s upload and an upload made for something else', async () => {
    const theirs = (await upload(app, other, 'travel_card')).json().id as string
    const r = await selfReg(resident, { trip: trip({ travelCardUploadId: theirs, arrivedOn: '2026-11-22' }) })
    expect(r.statusCode).toBe(400)
    expect(r.body).toContain('行程卡')
    const report = (await upload(app, resident, 'report')).json().id as string
    expect((await selfReg(resident, { trip: trip({ travelCardUploadId: report, arrivedOn: '2026-11-22' }) })).statusCode).toBe(400)
    const missing = await selfReg(resident, { trip: trip({ travelCardUploadId: '00000000-0000-4000-8000-000000000000', arrivedOn: '2026-11-22' }) })
    expect(missing.statusCode).toBe(400)
  })

  it('cleanup purges an unattached travel card after a day and keeps an attached one', async () => {
    const loose = (await upload(app, resident, 'travel_card')).json().id as string
    const kept = (await upload(app, resident, 'travel_card')).json().id as string
    expect((await selfReg(resident, { trip: trip({ travelCardUploadId: kept, arrivedOn: '2026-11-19' }) })).statusCode).toBe(201)
    await app.pool.query(`UPDATE uploads SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [[loose, kept]])
    await pruneUploads(app.db, app.services.storage)
    const left = (await app.pool.query(`SELECT id FROM uploads WHERE id = ANY($1)`, [[loose, kept]])).rows.map((x) => x.id)
    expect(left).toEqual([kept])
    const t = await app.pool.query(`SELECT count(*)::int AS n FROM returnee_trips WHERE travel_card_upload_id = $1`, [kept])
    expect(t.rows[0].n).toBe(1)
  })
})

describe('risk going up', () => {
  it('messages the community worker with the masked person and the new risk, and not when it does not rise', async () => {
    const r = (await selfReg(resident, { name: '钱志刚', trip: trip({ provinceCode: '510000', cityCode: '510100', districtCode: '510104', originName: '四川省成都市锦江区', arrivedOn: '2026-11-20' }) })).json()
    expect(r.returnee.risk).toBe('none')
    const masked = r.returnee.nameMasked as string
    const before = (await messagesOf(worker.headers)).length
    const k = await post('/api/v1/key-areas', district, { level: 'city', code: '510100', name: '四川省成都市', risk: 'medium', validFrom: '2026-11-01' })
    expect(k.statusCode, k.body).toBe(201)
    const after = await messagesOf(worker.headers)
    const mine = after.filter((m) => m.body.includes(masked) && m.body.includes('中风险'))
    expect(mine).toHaveLength(1)
    expect(mine[0]!.body).not.toContain('钱志刚')

    // Lowering (and re-stating) the risk tells nobody.
    const n = after.length
    expect(n).toBeGreaterThan(before)
    const rep = await post(`/api/v1/key-areas/${k.json().area.id}/replace`, district, { level: 'city', code: '510100', name: '四川省成都市', risk: 'low', validFrom: '2026-11-01' })
    expect(rep.statusCode, rep.body).toBe(201)
    expect(rep.json().recomputed.raised).toBe(0)
    expect((await messagesOf(worker.headers)).length).toBe(n)
  })
})

describe('resident notice link', () => {
  it('points the measure notice at the resident’s own page /r/return/:id', async () => {
    const me = await residentLogin(app, '13700004444')
    await app.pool.query(`UPDATE users SET wechat_openid = 'o-gaps-test' WHERE id = $1`, [me.userId])
    const r = (await selfReg(me.headers, { name: '张丽', trip: trip({ arrivedOn: '2026-11-23' }) })).json()
    const m = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker.headers, { measure: 'home', reason: '来自重点地区，居家隔离', days: 14 })
    expect(m.statusCode, m.body).toBe(200)
    const o = await app.pool.query(`SELECT payload->>'page' AS page, payload->>'title' AS title FROM outbox WHERE user_id = $1`, [me.userId])
    expect(o.rows).toEqual([{ page: `/r/return/${r.returnee.id}`, title: '管控措施通知' }])
    const inApp = (await get('/api/v1/messages', me.headers)).json().items as { title: string; page: string | null }[]
    expect(inApp.find((x) => x.title === '管控措施通知')?.page).toBe(`/r/return/${r.returnee.id}`)
  })
})
