import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import sharp from '../../server/node_modules/sharp/lib/index.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { sweepClocks } from '../../server/src/jobs/clocks.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { act, categoryId, DAQING, fileReport, multipart, RENGANG_XINCUN, upload } from './flow.js'

let app: TestApp
let resident: Awaited<ReturnType<typeof residentLogin>>
let other: Awaited<ReturnType<typeof residentLogin>>
let admin: { headers: Record<string, string> }
let worker: { headers: Record<string, string>; userId: number }
let street: { headers: Record<string, string> }
let foreignWorker: { headers: Record<string, string> }
const PHONE = '13512345678'

beforeAll(async () => {
  app = await createTestApp()
  resident = await residentLogin(app, PHONE)
  other = await residentLogin(app, '13512340000')
  admin = await staffToken(app, 'district_admin', [])
  worker = await staffToken(app, 'community_worker', DAQING)
  street = await staffToken(app, 'street_admin', ['任港街道'])
  foreignWorker = await staffToken(app, 'community_worker', ['和平桥街道', '濠西社区'])
})
afterAll(() => app.close2())

/** Files a report and walks it to `until` through the real routes; returns its id. */
async function walk(until: 'submitted' | 'accepted' | 'assigned' | 'signed' | 'rectified' | 'verified', who = resident) {
  const r = await fileReport(app, who.headers)
  expect(r.statusCode, r.body).toBe(201)
  const id = r.json().id as number
  if (until === 'submitted') return id
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
  if (until === 'accepted') return id
  const daqing = await findOrgByNames(app.db, DAQING)
  const a = await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })
  expect(a.statusCode, a.body).toBe(200)
  if (until === 'assigned') return id
  expect((await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
  if (until === 'signed') return id
  const photo = (await upload(app, worker.headers, 'rectify')).json().id
  const fix = await act(app, worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '已在东门增设志愿者，24小时查验出入人员', photoIds: [photo] })
  expect(fix.statusCode, fix.body).toBe(200)
  if (until === 'rectified') return id
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/verify`)).statusCode).toBe(200)
  return id
}

const statusOf = async (id: number) => (await app.pool.query('SELECT status FROM complaints WHERE id = $1', [id])).rows[0].status

describe('complaints', () => {
  describe('POST /api/v1/complaints', () => {
    it('files a report with a photo and gives the reporter a tracking code', async () => {
      const up = await upload(app, resident.headers)
      expect(up.statusCode, up.body).toBe(201)
      const r = await fileReport(app, resident.headers, { photoIds: [up.json().id] })
      expect(r.statusCode).toBe(201)
      expect(r.json()).toMatchObject({ status: 'submitted', placeName: '任港街道 大庆社区 任港路新村', categoryName: '卡口未查验' })
      expect(r.json().trackingCode).toMatch(/^CC\d{6}[2-9A-Z]{5}$/)
      expect(r.json().photos).toHaveLength(1)
    })

    it('refuses a second report with the same Idempotency-Key, answering with the first', async () => {
      const key = 'retry-key-0001'
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
      const [a, b] = await Promise.all([fileReport(app, resident.headers, {}, key), fileReport(app, resident.headers, {}, key)])
      const c = await fileReport(app, resident.headers, {}, key)
      const ok = [a, b, c].filter((r) => r.statusCode === 201)
      expect(ok.length).toBeGreaterThanOrEqual(2)
      expect(new Set(ok.map((r) => r.json().id)).size).toBe(1)
      expect(c.headers['idempotent-replayed']).toBe('true')
      expect((await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n).toBe(before + 1)
    })

    it('refuses a report without a place, with a Chinese message and nothing written', async () => {
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
      const r = await fileReport(app, resident.headers, { placeOrgId: undefined })
      expect(r.statusCode).toBe(400)
      expect(r.json().detail).toBe('请选择或填写问题发生的地点')
      expect((await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n).toBe(before)
    })

    it('refuses another person’s photo and leaves no report behind', async () => {
      const theirs = (await upload(app, other.headers)).json().id
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
      const r = await fileReport(app, resident.headers, { photoIds: [theirs] })
      expect(r.statusCode).toBe(400)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n).toBe(before)
    })

    it('refuses more than 9 photos', async () => {
      const ids = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`)
      expect((await fileReport(app, resident.headers, { photoIds: ids })).statusCode).toBe(400)
    })
  })

  describe('uploads', () => {
    it('re-encodes photos: long edge ≤ 1280 px, EXIF GPS gone, thumbnail made', async () => {
      const r = await upload(app, resident.headers)
      const body = r.json()
      expect(Math.max(body.width, body.height)).toBe(1280)
      const full = await app.inject({ url: body.url })
      expect(full.headers['content-type']).toBe('image/jpeg')
      const meta = await sharp(full.rawPayload).metadata()
      expect(meta.exif).toBeUndefined()
      const thumb = await sharp((await app.inject({ url: body.thumbUrl })).rawPayload).metadata()
      expect(Math.max(thumb.width!, thumb.height!)).toBe(320)
    })

    it('rejects a file that is not an image by its bytes, whatever its name, and stores nothing', async () => {
      const dir = app.config.uploadDir
      const count = () => (existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0)
      const before = count()
      const m = multipart(Buffer.from('%PDF-1.4 not a photo'), 'evil.jpg', 'image/jpeg')
      const r = await app.inject({ method: 'POST', url: '/api/v1/uploads', payload: m.payload, headers: { ...resident.headers, ...m.headers } })
      expect(r.statusCode).toBe(415)
      expect(r.json().detail).toContain('JPG')
      expect(count()).toBe(before)
      expect(path.isAbsolute(dir) || dir.length > 0).toBe(true)
    })
  })

  describe('duplicates: 已有人反映 and 我也遇到', () => {
    it('shows others’ open reports at the same place and category, and counts each person once', async () => {
      const id = await walk('submitted', other)
      const place = await findOrgByNames(app.db, RENGANG_XINCUN)
      const s = await app.inject({ url: `/api/v1/complaints/similar?categoryId=${await categoryId(app)}&placeOrgId=${place.id}`, headers: resident.headers })
      expect(s.json().items.map((i: { id: number }) => i.id)).toContain(id)
      expect((await act(app, resident.headers, `/api/v1/complaints/${id}/follow`)).json().followers).toBe(1)
      expect((await act(app, resident.headers, `/api/v1/complaints/${id}/follow`)).json().followers).toBe(1)
      const admin1 = await app.inject({ url: `/api/v1/admin/complaints/${id}`, headers: admin.headers })
      expect(admin1.json().followers).toBe(1)
      // The follower now tracks it in 我的反映.
      const mine = await app.inject({ url: '/api/v1/complaints/mine', headers: resident.headers })
      expect(mine.json().items.map((i: { id: number }) => i.id)).toContain(id)
    })

    it('does not suggest a different category', async () => {
      await walk('submitted', other)
      const place = await findOrgByNames(app.db, RENGANG_XINCUN)
      const s = await app.inject({ url: `/api/v1/complaints/similar?categoryId=${await categoryId(app, 'price_gouging')}&placeOrgId=${place.id}`, headers: resident.headers })
      expect(s.json().items).toEqual([])
    })
  })

  describe('state machine', () => {
    it('walks submitted → accepted → assigned → signed → rectified → verified → published → closed, one event per step', async () => {
      const id = await walk('verified')
      const draft = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
      const item = draft.json().items.find((i: { complaintId: number }) => i.complaintId === id)
      expect(item).toBeDefined()
      const pub = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.json().id}/publish`)
      expect(pub.statusCode, pub.body).toBe(200)
      expect(await statusOf(id)).toBe('published')
      const rate = await act(app, resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: true })
      expect(rate.json().status).toBe('closed')
      const ev = await app.pool.query(`SELECT from_status, to_status FROM complaint_events WHERE complaint_id = $1 AND to_status IS NOT NULL ORDER BY id`, [id])
      expect(ev.rows.map((e) => e.to_status)).toEqual(['submitted', 'accepted', 'assigned', 'signed', 'rectified', 'verified', 'published', 'closed'])
      const msgs = await app.inject({ url: '/api/v1/messages', headers: resident.headers })
      expect(msgs.json().items.map((m: { title: string }) => m.title)).toEqual(expect.arrayContaining(['已收到您的反映', '您的反映已受理', '整改已核验', '整改情况已通报']))
    })

    it('rejects with a reason the reporter sees', async () => {
      const id = await walk('submitted')
      await act(app, admin.headers, `/api/v1/admin/complaints/${id}/reject`, { reason: '经核实不属于防控漏洞' })
      const mine = await app.inject({ url: `/api/v1/complaints/${id}`, headers: resident.headers })
      expect(mine.json()).toMatchObject({ status: 'rejected', rejectReason: '经核实不属于防控漏洞' })
    })

    it('merges a duplicate: its reporter follows the original', async () => {
      const original = await walk('accepted', other)
      const dup = await walk('submitted')
      const r = await act(app, admin.headers, `/api/v1/admin/complaints/${dup}/merge`, { targetId: original })
      expect(r.json().status).toBe('merged')
      const f = await app.pool.query('SELECT user_id FROM complaint_followers WHERE complaint_id = $1', [original])
      expect(f.rows.map((x) => x.user_id)).toContain(resident.userId)
    })

    it('returns an inadequate fix to the unit (counted), who rectifies again', async () => {
      const id = await walk('rectified')
      const r = await act(app, admin.headers, `/api/v1/admin/complaints/${id}/return`, { note: '照片看不到值守人员' })
      expect(r.json()).toMatchObject({ status: 'signed', returns: 1 })
      const t = await app.inject({ url: `/api/v1/tasks/${id}`, headers: worker.headers })
      expect(t.json().lastReturnNote).toBe('照片看不到值守人员')
    })

    it('lets the street verify a rectification in its street', async () => {
      const id = await walk('rectified')
      expect((await act(app, street.headers, `/api/v1/tasks/${id}/verify`)).json().status).toBe('verified')
    })

    it('reopens on an unsatisfied rating, back to the district queue', async () => {
      const id = await walk('verified')
      const d = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
      await act(app, admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
      expect((await act(app, resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: false })).json().status).toBe('reopened')
      expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).json().status).toBe('accepted')
    })

    it('approves a reassignment request: back to accepted, unit cleared', async () => {
      const id = await walk('signed')
      expect((await act(app, worker.headers, `/api/v1/tasks/${id}/reassign`, { reason: '该小区由濠城社区管理' })).statusCode).toBe(200)
      const r = await act(app, admin.headers, `/api/v1/admin/complaints/${id}/decide-request`, { approve: true })
      expect(r.json()).toMatchObject({ status: 'accepted', assigneeOrgId: null, pendingRequest: null })
    })

    it('approves an extension: the rectify clock moves', async () => {
      const id = await walk('signed')
      const until = new Date(Date.now() + 5 * 86400_000).toISOString()
      await act(app, worker.headers, `/api/v1/tasks/${id}/extension`, { reason: '需采购门禁设备', until })
      const r = await act(app, admin.headers, `/api/v1/admin/complaints/${id}/decide-request`, { approve: true })
      expect(r.json().rectifyDueAt).toBe(until)
    })

    const illegal: [string, 'submitted' | 'accepted' | 'assigned' | 'signed' | 'rectified' | 'verified', string, object][] = [
      ['assign a report not yet accepted', 'submitted', '/api/v1/admin/complaints/:id/assign', { unitOrgId: 1 }],
      ['verify before rectification', 'signed', '/api/v1/admin/complaints/:id/verify', {}],
      ['accept twice', 'accepted', '/api/v1/admin/complaints/:id/accept', {}],
      ['reject after acceptance', 'accepted', '/api/v1/admin/complaints/:id/reject', { reason: '不受理' }],
      ['sign twice', 'signed', '/api/v1/tasks/:id/sign', {}],
      ['rectify before signing', 'assigned', '/api/v1/tasks/:id/rectify', { text: '已经整改完毕了', photoIds: ['00000000-0000-4000-8000-000000000001'] }],
      ['return a verified item', 'verified', '/api/v1/admin/complaints/:id/return', { note: '再看看' }],
    ]
    for (const [name, state, url, body] of illegal)
      it(`refuses to ${name} with a 409 in Chinese`, async () => {
        const id = await walk(state)
        const daqing = await findOrgByNames(app.db, DAQING)
        const payload = 'unitOrgId' in body ? { unitOrgId: daqing.id } : body
        const headers = url.startsWith('/api/v1/tasks') ? worker.headers : admin.headers
        const r = await act(app, headers, url.replace(':id', String(id)), payload)
        expect(r.statusCode, r.body).toBe(409)
        expect(r.json().detail).toMatch(/不能|已有|当前/)
        expect(await statusOf(id)).toBe(state)
      })

    it('refuses rating by anyone but the reporter', async () => {
      const id = await walk('submitted')
      const r = await act(app, other.headers, `/api/v1/complaints/${id}/rate`, { satisfied: true })
      expect(r.statusCode).toBe(404)
    })
  })

  describe('whistle-blower protection', () => {
    it('never shows the unit who reported, in any response or notification', async () => {
      const id = await walk('rectified')
      const name = (await app.pool.query('SELECT display_name FROM users WHERE id = $1', [resident.userId])).rows[0].display_name
      const bodies = [
        (await app.inject({ url: `/api/v1/tasks/${id}`, headers: worker.headers })).body,
        (await app.inject({ url: '/api/v1/tasks', headers: worker.headers })).body,
        (await app.inject({ url: '/api/v1/tasks', headers: street.headers })).body,
        (await app.inject({ url: '/api/v1/messages', headers: worker.headers })).body,
      ]
      for (const b of bodies) {
        expect(b).not.toContain(PHONE)
        expect(b).not.toContain(PHONE.slice(-4))
        expect(b).not.toContain(name)
        expect(b).not.toMatch(/reporter/i)
        expect(b).not.toContain(`"${resident.userId}"`)
      }
      const ev = JSON.parse(bodies[0]!).events as { actorLabel: string }[]
      expect(ev[0]!.actorLabel).toBe('网友')
    })

    it('shows the district the reporter (masked) and audits the view', async () => {
      const id = await walk('submitted')
      const r = await app.inject({ url: `/api/v1/admin/complaints/${id}`, headers: admin.headers })
      expect(r.json().reporter).toEqual({ name: expect.any(String), phoneMasked: '135****5678' })
      const a = await app.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'complaint.reporter.view' AND target_id = $1`, [String(id)])
      expect(a.rows[0].n).toBe(1)
    })

    it('hides an anonymous reporter even from the district', async () => {
      const r = await fileReport(app, resident.headers, { anonymous: true })
      expect((await app.inject({ url: `/api/v1/admin/complaints/${r.json().id}`, headers: admin.headers })).json().reporter).toBeNull()
    })

    it('keeps a community out of another community’s tasks', async () => {
      const id = await walk('assigned')
      expect((await app.inject({ url: `/api/v1/tasks/${id}`, headers: foreignWorker.headers })).statusCode).toBe(403)
      expect((await app.inject({ url: '/api/v1/tasks', headers: foreignWorker.headers })).json().items.map((i: { id: number }) => i.id)).not.toContain(id)
    })
  })

  describe('bulletins', () => {
    it('numbers bulletins without gaps or duplicates under concurrent publishing', async () => {
      for (let i = 0; i < 3; i++) {
        await walk('verified')
        const d = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
        // Five editors press 发布 on the same draft at the same instant: one wins, the rest are told it is done.
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => act(app, admin.headers, `/api/v1/admin/bulletins/${d.id}/publish`)))
        expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1)
        expect(results.filter((r) => r.statusCode === 409)).toHaveLength(4)
      }
      const nums = (await app.pool.query(`SELECT number FROM bulletins WHERE kind = 'regular' AND status = 'published' ORDER BY number`)).rows.map((r) => r.number)
      expect(nums.length).toBeGreaterThanOrEqual(3)
      expect(nums).toEqual(Array.from({ length: nums.length }, (_, i) => i + 1))
    })

    it('publishes a bulletin and an erratum at the same instant without a duplicate number', async () => {
      await walk('verified')
      const d1 = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
      const e1 = await app.pool.query(
        `INSERT INTO bulletins (district_org_id, title, kind, status, corrects_id) SELECT district_org_id, '勘误', 'erratum', 'draft', (SELECT id FROM bulletins WHERE status = 'published' LIMIT 1) FROM bulletins WHERE id = $1 RETURNING id`,
        [d1.id],
      )
      const [a, b] = await Promise.all([act(app, admin.headers, `/api/v1/admin/bulletins/${d1.id}/publish`), act(app, admin.headers, `/api/v1/admin/bulletins/${e1.rows[0].id}/publish`)])
      expect([a.statusCode, b.statusCode]).toEqual([200, 200])
      const dup = await app.pool.query(`SELECT kind, number, count(*) FROM bulletins WHERE number IS NOT NULL GROUP BY kind, number HAVING count(*) > 1`)
      expect(dup.rows).toEqual([])
    })

    it('titles the bulletin with its number, redacts phones the editor typed, and is immutable once published', async () => {
      await walk('verified')
      const d = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
      const item = d.items[0]
      const e = await app.inject({
        method: 'PUT',
        url: `/api/v1/admin/bulletins/${d.id}/items/${item.id}`,
        headers: admin.headers,
        payload: { problem: `网友反映任港路新村卡口无人值守（反映人电话${PHONE}）`, place: '任港街道大庆社区任港路新村', measures: '已增设志愿者，联系人身份证320602198001011234' },
      })
      expect(e.statusCode, e.body).toBe(200)
      const p = (await act(app, admin.headers, `/api/v1/admin/bulletins/${d.id}/publish`)).json()
      expect(p.title).toMatch(/^崇川区网友反馈问题整改通报\(第\d+期\)$/)
      const pub = await app.inject({ url: `/api/v1/bulletins/${d.id}` })
      expect(pub.body).not.toContain(PHONE)
      expect(pub.body).not.toContain('320602198001011234')
      const again = await app.inject({ method: 'PUT', url: `/api/v1/admin/bulletins/${d.id}/items/${item.id}`, headers: admin.headers, payload: { problem: '改一下', place: '某地', measures: '某措施' } })
      expect(again.statusCode).toBe(409)
      await expect(app.pool.query(`UPDATE bulletins SET title = 'x' WHERE id = $1`, [d.id])).rejects.toThrow(/immutable/)
      const err = await act(app, admin.headers, `/api/v1/admin/bulletins/${d.id}/erratum`, { text: '第1条地点应为任港路新村东门' })
      expect(err.json()).toMatchObject({ kind: 'erratum', correctsId: d.id, status: 'published' })
      expect((await app.inject({ url: `/api/v1/bulletins/${d.id}` })).json().errata).toHaveLength(1)
    })

    it('hides drafts from the public', async () => {
      await walk('verified')
      const d = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
      expect((await app.inject({ url: `/api/v1/bulletins/${d.id}` })).statusCode).toBe(404)
      expect((await app.inject({ url: '/api/v1/bulletins' })).json().items.map((b: { id: number }) => b.id)).not.toContain(d.id)
    })
  })

  describe('clocks', () => {
    it('reminds at 75 % of the sign clock, then flags and escalates to the street when it runs out', async () => {
      const id = await walk('assigned')
      const c = (await app.pool.query('SELECT assigned_at, sign_due_at FROM complaints WHERE id = $1', [id])).rows[0]
      const span = c.sign_due_at.getTime() - c.assigned_at.getTime()
      const at75 = new Date(c.assigned_at.getTime() + span * 0.8)
      expect((await sweepClocks(app.db, at75)).reminders).toBeGreaterThanOrEqual(1)
      expect((await sweepClocks(app.db, at75)).reminders).toBe(0) // once only
      const after = new Date(c.sign_due_at.getTime() + 1000)
      await sweepClocks(app.db, after)
      const row = (await app.pool.query('SELECT sign_overdue, escalated_at FROM complaints WHERE id = $1', [id])).rows[0]
      expect(row.sign_overdue).toBe(true)
      expect(row.escalated_at).not.toBeNull()
      const streetMsgs = await app.inject({ url: '/api/v1/messages', headers: street.headers })
      expect(streetMsgs.json().items.some((m: { title: string }) => m.title.startsWith('督办'))).toBe(true)
      const stats = (await app.inject({ url: '/api/v1/admin/stats', headers: admin.headers })).json()
      expect(stats.overdue).toBeGreaterThanOrEqual(1)
    })
  })

  describe('GET /api/v1/admin/stats', () => {
    it('computes the home numbers from the data', async () => {
      const s = (await app.inject({ url: '/api/v1/admin/stats', headers: admin.headers })).json()
      const direct = (await app.pool.query(`SELECT count(*) FILTER (WHERE status IN ('verified','published','closed'))::int AS plugged FROM complaints`)).rows[0]
      expect(s.pluggedTotal).toBe(direct.plugged)
      expect(s.receivedToday).toBeGreaterThan(0)
      expect(s.satisfactionRate === null || (s.satisfactionRate >= 0 && s.satisfactionRate <= 1)).toBe(true)
    })
  })
})
