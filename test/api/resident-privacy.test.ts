import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, type TestApp } from '../helper.js'
import { act, categoryId, fileReport, RENGANG_XINCUN, upload } from './flow.js'
import { fromAccepted, loopActors, walk, type LoopActors } from './loop.js'

let app: TestApp
let a: LoopActors
const REPORTER_PHONE = '13912345678'
const DESCRIPTION = '东门无人查验，我是3号楼住户，电话13912345678，身份证320602198001011234，请尽快处理'

beforeAll(async () => {
  app = await createTestApp()
  a = await loopActors(app, [REPORTER_PHONE, '13912340000'])
})
afterAll(() => app.close2())

const similar = async (headers: Record<string, string>) => {
  const place = await findOrgByNames(app.db, RENGANG_XINCUN)
  return app.inject({ url: `/api/v1/complaints/similar?categoryId=${await categoryId(app)}&placeOrgId=${place.id}`, headers })
}

describe('another resident’s report', () => {
  it('cannot be read or followed by walking sequential ids', async () => {
    const photo = (await upload(app, a.resident.headers)).json().id
    const r = await fileReport(app, a.resident.headers, { description: DESCRIPTION, photoIds: [photo] })
    const id = r.json().id as number
    const stranger = await residentLogin(app, '13700001111')
    expect((await app.inject({ url: `/api/v1/complaints/${id}`, headers: stranger.headers })).statusCode).toBe(404)
    const f = await act(app, stranger.headers, `/api/v1/complaints/${id}/follow`)
    expect(f.statusCode).toBe(403)
    expect(f.json().detail).toMatch(/我也遇到/)
    expect((await app.inject({ url: `/api/v1/complaints/${id}`, headers: stranger.headers })).statusCode).toBe(404)
    expect((await app.pool.query('SELECT count(*)::int AS n FROM complaint_followers WHERE complaint_id = $1', [id])).rows[0].n).toBe(0)
  })

  it('can be followed once shown as similar, and then reads only the redacted public view', async () => {
    const photo = (await upload(app, a.resident.headers)).json().id
    const id = (await fileReport(app, a.resident.headers, { description: DESCRIPTION, photoIds: [photo] })).json().id as number
    const s = await similar(a.other.headers)
    const shown = s.json().items.find((i: { id: number }) => i.id === id)
    expect(shown).toBeDefined()
    expect(JSON.stringify(shown)).not.toContain('13912345678')
    expect((await act(app, a.other.headers, `/api/v1/complaints/${id}/follow`)).statusCode).toBe(200)

    const theirs = await app.inject({ url: `/api/v1/complaints/${id}`, headers: a.other.headers })
    expect(theirs.statusCode).toBe(200)
    expect(theirs.json().photos).toEqual([])
    expect(theirs.json().canRate).toBe(false)
    expect(theirs.body).not.toContain('13912345678')
    expect(theirs.body).not.toContain('320602198001011234')
    expect(theirs.body).not.toContain(photo)
    expect(theirs.json().description).toContain('东门无人查验')
    // 我的反映 lists it with the same redacted view.
    const mine = (await app.inject({ url: '/api/v1/complaints/mine', headers: a.other.headers })).json().items.find((i: { id: number }) => i.id === id)
    expect(mine.description).toBe(theirs.json().description)
    expect(mine.photos).toEqual([])

    // The reporter and the district still read it in full.
    const own = await app.inject({ url: `/api/v1/complaints/${id}`, headers: a.resident.headers })
    expect(own.json().description).toBe(DESCRIPTION)
    expect(own.json().photos.map((p: { id: string }) => p.id)).toEqual([photo])
    const district = await app.inject({ url: `/api/v1/admin/complaints/${id}`, headers: a.admin.headers })
    expect(district.json().description).toBe(DESCRIPTION)
  })

  it('hides the reporter’s rating comment from followers', async () => {
    const id = await walk(app, a, 'submitted')
    await similar(a.other.headers)
    expect((await act(app, a.other.headers, `/api/v1/complaints/${id}/follow`)).statusCode).toBe(200)
    expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
    await fromAccepted(app, a, id, 'verified')
    const d = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
    await act(app, a.admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
    await act(app, a.resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: false, comment: '我是3号楼张三，电话13912345678' })
    const theirs = await app.inject({ url: `/api/v1/complaints/${id}`, headers: a.other.headers })
    expect(theirs.json().status).toBe('reopened')
    expect(theirs.body).not.toContain('张三')
    expect(theirs.body).not.toContain('13912345678')
    const own = await app.inject({ url: `/api/v1/complaints/${id}`, headers: a.resident.headers })
    expect(own.body).toContain('张三')
  })

  it('refuses to follow a report shown to somebody else', async () => {
    const id = (await fileReport(app, a.resident.headers)).json().id as number
    await similar(a.other.headers)
    const third = await residentLogin(app, '13700002222')
    expect((await act(app, third.headers, `/api/v1/complaints/${id}/follow`)).statusCode).toBe(403)
  })
})

describe('resident display names', () => {
  it('never contain phone digits, for new residents and for the seeded demo resident', async () => {
    const phones = ['13955556666', '13811112222', '13800000001']
    for (const phone of phones) {
      const r = await residentLogin(app, phone)
      const me = (await app.inject({ url: '/api/v1/auth/me', headers: r.headers })).json()
      expect(me.displayName).toMatch(/^居民[A-Z]{4}$/)
      expect(me.displayName).not.toContain(phone.slice(-4))
    }
    const all = await app.pool.query(`SELECT display_name FROM users u WHERE EXISTS (SELECT 1 FROM role_grants g WHERE g.user_id = u.id AND g.role = 'resident')`)
    for (const row of all.rows) expect(row.display_name, row.display_name).not.toMatch(/\d{4}/)
  })

  it('renames rows named from the phone by the migration', async () => {
    const { readFileSync } = await import('node:fs')
    const sqlText = readFileSync(new URL('../../migrations/0005_neutral_names_market_companies.sql', import.meta.url), 'utf8').split('--> statement-breakpoint')[0]!
    const u = await app.pool.query(`INSERT INTO users (display_name, username) VALUES ('居民5678', 'phone_named') RETURNING id`)
    await app.pool.query(sqlText)
    const after = (await app.pool.query('SELECT display_name FROM users WHERE id = $1', [u.rows[0].id])).rows[0].display_name
    expect(after).toMatch(/^居民[A-Z]{4}$/)
  })
})
