import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { act, DAQING } from './flow.js'
import { loopActors, walk, type LoopActors } from './loop.js'

let app: TestApp
let a: LoopActors
const RESIDENT_PHONE = '13512345678'
const TYPED_PHONE = '13987654321'

beforeAll(async () => {
  app = await createTestApp()
  a = await loopActors(app, [RESIDENT_PHONE, '13512340000'])
})
afterAll(() => app.close2())

async function book(res: { rawPayload: Buffer }) {
  const wb = new ExcelJS.Workbook()
  await wb.xlsx.load(res.rawPayload as never)
  return wb
}
const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = []
  ws.eachRow((r) => out.push((r.values as unknown[]).slice(1)))
  return out
}
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers })

describe('exports', () => {
  describe('GET /api/v1/admin/complaints/export.xlsx', () => {
    let hostile: number
    let verified: number
    beforeAll(async () => {
      hostile = await walk(app, a, 'submitted', a.resident, { description: `=HYPERLINK("http://evil","点我") 东门没人查，联系我 ${TYPED_PHONE}` })
      verified = await walk(app, a, 'verified', a.other, { description: '+1 南门体温枪坏了', anonymous: true })
      await walk(app, a, 'submitted', a.resident, { description: '@SUM(1,1) 西门无人值守' })
    })

    it('streams every row of the list as .xlsx with a UTF-8 file name', async () => {
      const res = await get('/api/v1/admin/complaints/export.xlsx', a.admin.headers)
      expect(res.statusCode, res.body).toBe(200)
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''/)
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toMatch(/^反映事项-\d{4}-\d{2}-\d{2}\.xlsx$/)
      expect(res.headers['transfer-encoding']).toBe('chunked')
      const ws = (await book(res)).worksheets[0]!
      const rows = rowsOf(ws)
      expect(rows[0]).toEqual(['编号', '跟踪码', '反映时间', '类别', '街道', '地点', '问题描述', '状态', '责任单位', '交办时间', '签收期限', '签收时间', '整改期限', '整改时间', '签收超期', '整改超期', '退回次数', '评价', '我也遇到', '通报'])
      const total = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
      expect(rows.length - 1).toBe(total)
      // Oldest first, as the district queue.
      const ids = rows.slice(1).map((r) => r[0] as number)
      expect(ids).toEqual([...ids].sort((x, y) => x - y))
      const v = rows.find((r) => r[0] === verified)!
      expect(v).toMatchObject({ 4: '任港街道', 7: '已核验', 8: '大庆社区', 14: '否', 15: '否' })
      expect(v[11]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)
    })

    it('neutralises formulas and never carries the reporter or a phone', async () => {
      const res = await get('/api/v1/admin/complaints/export.xlsx', a.admin.headers)
      const rows = rowsOf((await book(res)).worksheets[0]!)
      const text = (id: number) => rows.find((r) => r[0] === id)![6] as string
      expect(text(hostile)).toMatch(/^'=HYPERLINK\("http:\/\/evil","点我"\) 东门没人查，联系我 \[电话已隐去\]$/)
      expect(text(verified)).toBe("'+1 南门体温枪坏了")
      expect(rows.some((r) => r[6] === "'@SUM(1,1) 西门无人值守")).toBe(true)
      // No cell is a formula, and nothing the reporter is known by leaves in the file.
      const ws = (await book(res)).worksheets[0]!
      ws.eachRow((r) => r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)))
      const raw = JSON.stringify(rows)
      const reporter = (await app.pool.query('SELECT display_name FROM users WHERE id = $1', [a.resident.userId])).rows[0].display_name as string | null
      for (const secret of [RESIDENT_PHONE, TYPED_PHONE, RESIDENT_PHONE.slice(-4), '匿名', ...(reporter ? [reporter] : [])]) expect(raw).not.toContain(secret)
    })

    it('applies the list filters', async () => {
      const only = await book(await get('/api/v1/admin/complaints/export.xlsx?status=verified', a.admin.headers))
      const ids = rowsOf(only.worksheets[0]!).slice(1).map((r) => r[0])
      expect(ids).toContain(verified)
      expect(ids).not.toContain(hostile)
      const queue = rowsOf((await book(await get('/api/v1/admin/complaints/export.xlsx?statuses=submitted,reopened', a.admin.headers))).worksheets[0]!).slice(1)
      expect(queue.every((r) => r[7] === '待受理' || r[7] === '重新办理')).toBe(true)
      expect(queue.map((r) => r[0])).toContain(hostile)
      // The same rows the list shows for the same filters.
      const list = (await get('/api/v1/admin/complaints?statuses=submitted,reopened&limit=100', a.admin.headers)).json().items.map((i: { id: number }) => i.id)
      expect(queue.map((r) => r[0])).toEqual(list)
      const street = await findOrgByNames(app.db, ['任港街道'])
      const byStreet = rowsOf((await book(await get(`/api/v1/admin/complaints/export.xlsx?streetId=${street.id}`, a.admin.headers))).worksheets[0]!).slice(1)
      expect(byStreet.length).toBeGreaterThan(0)
      expect(byStreet.every((r) => r[4] === '任港街道')).toBe(true)
      const none = rowsOf((await book(await get('/api/v1/admin/complaints/export.xlsx?code=NOSUCHCODE', a.admin.headers))).worksheets[0]!)
      expect(none).toHaveLength(1)
    })

    it('refuses anyone but the district, and bad filters with a 4xx in Chinese', async () => {
      expect((await get('/api/v1/admin/complaints/export.xlsx')).statusCode).toBe(401)
      const worker = await staffToken(app, 'community_worker', DAQING)
      const street = await staffToken(app, 'street_admin', ['任港街道'])
      const resident = await residentLogin(app, '13600001111')
      for (const who of [worker, street, resident]) expect((await get('/api/v1/admin/complaints/export.xlsx', who.headers)).statusCode).toBe(403)
      const bad = await get('/api/v1/admin/complaints/export.xlsx?status=nope', a.admin.headers)
      expect(bad.statusCode).toBe(400)
      expect(bad.json().title).toMatch(/[\u4e00-\u9fa5]/)
    })

    it('records who exported', async () => {
      const n = (await app.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'complaints.export' AND actor_user_id = $1`, [a.admin.userId])).rows[0].n
      expect(n).toBeGreaterThan(0)
    })
  })

  describe('GET /api/v1/admin/bulletins/export.xlsx', () => {
    let published: { id: number; title: string }
    beforeAll(async () => {
      const id = await walk(app, a, 'verified', a.resident, { description: '和平桥菜场入口无人测温' })
      const d = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      expect(d.statusCode, d.body).toBe(200)
      const item = d.json().items.find((i: { complaintId: number }) => i.complaintId === id)
      const e = await app.inject({
        method: 'PUT',
        url: `/api/v1/admin/bulletins/${d.json().id}/items/${item.id}`,
        headers: a.admin.headers,
        payload: { problem: '=1+1 菜场入口无人测温', place: '-和平桥菜场', measures: '@已安排专人值守' },
      })
      expect(e.statusCode, e.body).toBe(200)
      const p = await act(app, a.admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
      expect(p.statusCode, p.body).toBe(200)
      published = { id: d.json().id, title: p.json().title }
      const er = await act(app, a.admin.headers, `/api/v1/admin/bulletins/${published.id}/erratum`, { text: '=第1条地点更正为和平桥农贸市场' })
      expect(er.statusCode, er.body).toBe(200)
      // A new draft (with an item) must not be exported.
      await walk(app, a, 'verified', a.resident, { description: '草稿里的事项：北门无人' })
      const d2 = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      expect(d2.statusCode).toBe(200)
    })

    it('exports published bulletins with their items and errata, neutralised', async () => {
      const res = await get('/api/v1/admin/bulletins/export.xlsx', a.admin.headers)
      expect(res.statusCode, res.body).toBe(200)
      const wb = await book(res)
      expect(wb.worksheets.map((w) => w.name)).toEqual(['通报条目', '勘误'])
      const items = rowsOf(wb.worksheets[0]!)
      expect(items[0]).toEqual(['期数', '通报', '发布时间', '序号', '跟踪码', '类别', '问题', '地点', '整改措施'])
      const mine = items.find((r) => r[6] === "'=1+1 菜场入口无人测温")!
      expect(mine).toBeTruthy()
      expect(mine.slice(0, 2)).toEqual([1, published.title])
      expect(mine[7]).toBe("'-和平桥菜场")
      expect(mine[8]).toBe("'@已安排专人值守")
      const drafts = (await app.pool.query(`SELECT count(*)::int AS n FROM bulletin_items bi JOIN bulletins b ON b.id = bi.bulletin_id WHERE b.status = 'draft'`)).rows[0].n
      const pub = (await app.pool.query(`SELECT count(*)::int AS n FROM bulletin_items bi JOIN bulletins b ON b.id = bi.bulletin_id WHERE b.status = 'published'`)).rows[0].n
      expect(drafts).toBeGreaterThan(0)
      expect(items.length - 1).toBe(pub)
      const errata = rowsOf(wb.worksheets[1]!)
      expect(errata[1]).toEqual([`关于《${published.title}》的勘误`, published.title, expect.stringMatching(/^\d{4}-/), "'=第1条地点更正为和平桥农贸市场"])
      expect(JSON.stringify(items)).not.toContain(RESIDENT_PHONE)
    })

    it('exports one bulletin by id, and 404s a draft or unknown one', async () => {
      const res = await get(`/api/v1/admin/bulletins/export.xlsx?id=${published.id}`, a.admin.headers)
      expect(res.statusCode).toBe(200)
      expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe(`${published.title}.xlsx`)
      const items = rowsOf((await book(res)).worksheets[0]!).slice(1)
      expect(new Set(items.map((r) => r[1]))).toEqual(new Set([published.title]))
      const draft = (await app.pool.query(`SELECT id FROM bulletins WHERE status = 'draft' LIMIT 1`)).rows[0].id
      expect((await get(`/api/v1/admin/bulletins/export.xlsx?id=${draft}`, a.admin.headers)).statusCode).toBe(404)
      expect((await get(`/api/v1/admin/bulletins/export.xlsx?id=99999999`, a.admin.headers)).statusCode).toBe(404)
    })

    it('refuses anyone but the district', async () => {
      expect((await get('/api/v1/admin/bulletins/export.xlsx')).statusCode).toBe(401)
      const street = await staffToken(app, 'street_admin', ['任港街道'])
      expect((await get('/api/v1/admin/bulletins/export.xlsx', street.headers)).statusCode).toBe(403)
    })
  })
})
