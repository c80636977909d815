import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport, upload } from './flow.js'

/**
 * What the hostile probe found: units read the reporter's phone and ID number in task details, redaction
 * missed common ways of writing them (and the misses became permanent in bulletins), and a draft racing a
 * publish left complaints public but `verified` for ever.
 */

let app: TestApp
let resident: Awaited<ReturnType<typeof residentLogin>>
let admin: { headers: Record<string, string> }
let worker: { headers: Record<string, string> }

/** The reporter's numbers, written as the probe wrote them, and the digits that must not come out. */
const LEAKS = [
  ['１３９１２３４５６７８', '13912345678'],
  ['0086 13812345678', '13812345678'],
  ['(0513)12345678', '051312345678'],
  ['0513 87654321', '051387654321'],
  ['0513-8555 1234', '051385551234'],
  ['1391 111 2222', '13911112222'],
  ['320602 19800101 123X', '32060219800101123X'],
] as const
const DESCRIPTION = `东门无人查验。联系我${LEAKS.map(([w]) => w).join('，或')}。`

/** Every digit of an answer read in a row (full-width folded): none of the reporter's numbers may be in it. */
function leaked(body: string): string[] {
  const digits = body.normalize('NFKC').replace(/[^\dX]/g, '')
  return LEAKS.filter(([, d]) => digits.includes(d)).map(([w]) => w)
}

beforeAll(async () => {
  app = await createTestApp()
  resident = await residentLogin(app, '13512345999')
  admin = await staffToken(app, 'district_admin', [])
  worker = await staffToken(app, 'community_worker', DAQING)
})
afterAll(() => app.close2())

async function walkToVerified(over: Record<string, unknown> = {}) {
  const r = await fileReport(app, resident.headers, over)
  expect(r.statusCode, r.body).toBe(201)
  const id = r.json().id as number
  const daqing = await findOrgByNames(app.db, DAQING)
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })).statusCode).toBe(200)
  expect((await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
  const photo = (await upload(app, worker.headers, 'rectify')).json().id
  const fix = await act(app, worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '已在东门增设志愿者，24小时查验出入人员', photoIds: [photo] })
  expect(fix.statusCode, fix.body).toBe(200)
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/verify`)).statusCode).toBe(200)
  return id
}

const publishedButVerified = async () =>
  (
    await app.pool.query(`
      SELECT c.id FROM complaints c JOIN bulletin_items i ON i.complaint_id = c.id JOIN bulletins b ON b.id = i.bulletin_id
      WHERE b.status = 'published' AND c.status = 'verified' AND b.published_at >= c.verified_at`)
  ).rows.map((r) => r.id as number)

describe('privacy', () => {
  describe('units never read the reporter’s numbers', () => {
    let id = 0
    beforeAll(async () => {
      // Filed at a typed address, published, then rated 不满意 with a comment: every text a unit can see.
      id = await walkToVerified({ description: DESCRIPTION, placeOrgId: undefined, address: `任港路新村3号楼，电话${LEAKS[4][0]}` })
      const draft = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
      const pub = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.json().id}/publish`)
      expect(pub.statusCode, pub.body).toBe(200)
      const rate = await act(app, resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: false, comment: `没修好，打我电话${LEAKS[5][0]}` })
      expect(rate.statusCode, rate.body).toBe(200)
      const daqing = await findOrgByNames(app.db, DAQING)
      expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
      expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })).statusCode).toBe(200)
    })

    it('GET /tasks/:id: description, address and the rating comment in the events are redacted', async () => {
      const r = await app.inject({ url: `/api/v1/tasks/${id}`, headers: worker.headers })
      expect(r.statusCode).toBe(200)
      expect(leaked(r.body)).toEqual([])
      expect(r.json().description).toContain('[电话已隐去]')
      expect(r.json().description).toContain('[身份证号已隐去]')
      expect(r.json().events.some((e: { note: string | null }) => e.note?.includes('没修好'))).toBe(true)
    })

    it('answers unit actions with the same redacted view', async () => {
      const r = await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)
      expect(r.statusCode, r.body).toBe(200)
      expect(leaked(r.body)).toEqual([])
    })

    it('GET /tasks: excerpts and typed addresses are redacted', async () => {
      const r = await app.inject({ url: '/api/v1/tasks?limit=50', headers: worker.headers })
      expect(r.statusCode).toBe(200)
      expect(r.json().items.some((x: { id: number }) => x.id === id)).toBe(true)
      expect(leaked(r.body)).toEqual([])
    })

    it('the district still reads the report as written', async () => {
      const r = await app.inject({ url: `/api/v1/admin/complaints/${id}`, headers: admin.headers })
      expect(r.json().description).toBe(DESCRIPTION)
    })

    it('the published bulletin shows none of them', async () => {
      const list = await app.inject({ url: '/api/v1/bulletins' })
      for (const b of list.json().items) {
        const r = await app.inject({ url: `/api/v1/bulletins/${b.id}` })
        expect(leaked(r.body)).toEqual([])
      }
    })
  })

  describe('bulletin drafts and publishing', () => {
    it('flags self-introductions and flats for the editor, and refuses long numbers until confirmed', async () => {
      const id = await walkToVerified({ description: '我是3号楼张三，住5号楼302室，东门无人查验，物业热线400-123-4567' })
      const draft = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
      expect(draft.statusCode).toBe(200)
      const item = draft.json().items.find((i: { complaintId: number }) => i.complaintId === id)
      const warnings = item.warnings.join('；')
      expect(warnings).toContain('我是3号楼张三')
      expect(warnings).toContain('5号楼302室')
      expect(warnings).toContain('400-123-4567')

      const refused = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.json().id}/publish`)
      expect(refused.statusCode).toBe(422)
      expect(refused.json().code).toBe('PUBLIC_DIGITS')
      expect(refused.json().detail).toContain('400-123-4567')
      expect(refused.json().items).toEqual([{ itemId: item.id, seq: item.seq, digits: ['400-123-4567'] }])
      expect(await app.pool.query(`SELECT status FROM bulletins WHERE id = $1`, [draft.json().id])).toMatchObject({ rows: [{ status: 'draft' }] })

      const ok = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.json().id}/publish`, { confirmDigits: true })
      expect(ok.statusCode, ok.body).toBe(200)
      expect(ok.json().status).toBe('published')
      // The public answer has no editor's warnings.
      const pub = await app.inject({ url: `/api/v1/bulletins/${draft.json().id}` })
      expect(pub.json().items[0].warnings).toBeUndefined()
    })

    it('redacts every format the editor types, and asks before an erratum with a long number', async () => {
      const id = await walkToVerified()
      const draft = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
      const item = draft.items.find((i: { complaintId: number }) => i.complaintId === id)
      const edit = await app.inject({
        method: 'PUT',
        url: `/api/v1/admin/bulletins/${draft.id}/items/${item.id}`,
        headers: admin.headers,
        payload: { problem: `网友反映：${DESCRIPTION}`, place: '任港路新村', measures: '社区：已整改' },
      })
      expect(edit.statusCode, edit.body).toBe(200)
      expect(leaked(edit.body)).toEqual([])
      const pub = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.id}/publish`)
      expect(pub.statusCode, pub.body).toBe(200)

      const before = (await app.pool.query(`SELECT count(*)::int AS n FROM bulletins`)).rows[0].n
      const e1 = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.id}/erratum`, { text: '第1条热线更正为0513-12345' })
      expect(e1.statusCode).toBe(422)
      expect((await app.pool.query(`SELECT count(*)::int AS n FROM bulletins`)).rows[0].n).toBe(before)
      const e2 = await act(app, admin.headers, `/api/v1/admin/bulletins/${draft.id}/erratum`, { text: '第1条热线更正为0513-12345', confirmDigits: true })
      expect(e2.statusCode, e2.body).toBe(200)
      expect(e2.json().erratumText).toContain('0513-12345')
    })

    it('never publishes a complaint that a racing draft added (draft and publish share one lock)', async () => {
      for (let round = 0; round < 6; round++) {
        await walkToVerified()
        const draft = (await act(app, admin.headers, '/api/v1/admin/bulletins/draft')).json()
        await walkToVerified()
        const [pub, d2] = await Promise.all([
          act(app, admin.headers, `/api/v1/admin/bulletins/${draft.id}/publish`, { confirmDigits: true }),
          act(app, admin.headers, '/api/v1/admin/bulletins/draft'),
        ])
        expect(pub.statusCode, pub.body).toBe(200)
        expect(d2.statusCode, d2.body).toBe(200)
        expect(await publishedButVerified(), `round ${round}`).toEqual([])
        // Whatever the race's order, the newly verified report is in the open draft or published with its bulletin.
        const open = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
        if (open.json().items.length) {
          expect((await act(app, admin.headers, `/api/v1/admin/bulletins/${open.json().id}/publish`, { confirmDigits: true })).statusCode).toBe(200)
        }
        expect((await app.pool.query(`SELECT count(*)::int AS n FROM complaints WHERE status = 'verified'`)).rows[0].n).toBe(0)
      }
    })
  })
})
