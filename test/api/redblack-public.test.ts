import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helper.js'
import { loopActors, walk, type LoopActors } from './loop.js'

let app: TestApp
let a: LoopActors
const A = '/api/v1/admin/redblack'
const P = '/api/v1/redblack'
const PHONE = '13566667777'

beforeAll(async () => {
  app = await createTestApp()
  a = await loopActors(app, [PHONE, '13566660000'])
})
afterAll(() => app.close2())

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers })
const post = (url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: a.admin.headers, payload })
const entityId = async (name: string) => (await app.pool.query<{ id: number }>('SELECT id FROM redblack_entities WHERE name = $1', [name])).rows[0]!.id
type Flag = { code: string; recommendation: string }
type Entry = { entity: { name: string }; flags: Flag[] }

describe('红黑榜 (public and demo data)', () => {
  it('seeds five published periods from the reports: 60+ red, about 30 black, 二次上榜 and 推荐表彰 among them', async () => {
    const list = await get(`${P}/periods`)
    expect(list.statusCode).toBe(200)
    const regular = list.json().items.filter((p: { kind: string }) => p.kind === 'regular')
    expect(regular.map((p: { number: number }) => p.number)).toEqual([5, 4, 3, 2, 1])
    const red = regular.reduce((s: number, p: { red: number }) => s + p.red, 0)
    const black = regular.reduce((s: number, p: { black: number }) => s + p.black, 0)
    expect(red).toBeGreaterThanOrEqual(60)
    expect(black).toBeGreaterThanOrEqual(28)
    const fifth = (await get(`${P}/periods/${regular[0].id}`)).json()
    expect(fifth.title).toBe('崇川区疫情防控红黑榜(第5期)')
    const byName = (xs: Entry[], n: string) => xs.find((e) => e.entity.name === n)!
    expect(byName(fifth.red, '东方鑫乾大厦物管项目').flags.map((f) => f.code)).toEqual(['award'])
    expect(byName(fifth.red, '大润发（任港店）')).toBeDefined()
    const haohe = byName(fifth.black, '濠河物业').flags
    expect(haohe).toEqual([expect.objectContaining({ code: 'second_black', label: '二次上榜' })])
    expect(haohe[0]!.recommendation).toContain('两年内不得承接')
    const fourth = (await get(`${P}/periods/${regular[1].id}`)).json()
    expect(byName(fourth.black, '濠城公寓物管项目').flags[0]!.recommendation).toContain('取消其项目经理从业资格')
  })

  it('gives the trend oldest first, red growing and black shrinking over the last periods', async () => {
    const t = (await get(`${P}/trend`)).json().items
    expect(t.map((x: { number: number }) => x.number)).toEqual([1, 2, 3, 4, 5])
    expect(t.map((x: { red: number }) => x.red)).toEqual([8, 10, 12, 15, 17])
    expect(t.map((x: { black: number }) => x.black)).toEqual([9, 8, 6, 4, 3])
  })

  it("shows an entity's history, a company's through its projects, with flags as of now", async () => {
    const h = (await get(`${P}/entities/${await entityId('乾坤物业')}`)).json()
    expect(h.entity).toMatchObject({ kind: 'property_company', name: '乾坤物业' })
    expect(h.history.filter((x: { viaProject: string | null }) => x.viaProject).map((x: { viaProject: string }) => x.viaProject)).toEqual(
      expect.arrayContaining(['东方鑫乾大厦物管项目', '瑞安名邸物管项目']),
    )
    expect(h.flags.map((f: Flag) => f.code)).toEqual(['award'])
    expect((await get(`${P}/entities/999999`)).statusCode).toBe(404)
  })

  it('hides drafts and entities only a draft names from the public', async () => {
    const d = (await post(`${A}/periods`)).json()
    const street = (await app.pool.query(`SELECT id FROM org_units WHERE kind = 'street' AND name = '任港街道'`)).rows[0].id
    const ent = (await post(`${A}/entities`, { kind: 'enterprise', name: '草稿中的企业', streetOrgId: street })).json()
    await post(`${A}/periods/${d.id}/entries`, { entityId: ent.id, list: 'black', reason: '尚未发布', evidence: [] })
    expect((await get(`${P}/periods/${d.id}`)).statusCode).toBe(404)
    expect((await get(`${P}/entities/${ent.id}`)).statusCode).toBe(404)
    expect((await get(`${P}/periods`)).json().items.map((p: { id: number }) => p.id)).not.toContain(d.id)
    await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
  })

  it('leaks no reporter, phone, tracking code or complaint text in any public answer', async () => {
    const cid = await walk(app, a, 'signed', a.resident, { description: `东门无人值守，联系我 ${PHONE}` })
    const { tracking_code: code } = (await app.pool.query('SELECT tracking_code FROM complaints WHERE id = $1', [cid])).rows[0]
    const me = (await app.pool.query('SELECT display_name FROM users WHERE id = $1', [a.resident.userId])).rows[0].display_name as string
    const d = (await post(`${A}/periods`)).json()
    const add = await post(`${A}/periods/${d.id}/entries`, {
      entityId: await entityId('大庆社区'),
      list: 'black',
      reason: `网友${PHONE}反映东门无人值守`,
      evidence: [{ kind: 'complaint', complaintId: cid }, { kind: 'inspection', note: `督查：联系人电话${PHONE}`, photoIds: [] }],
    })
    expect(add.statusCode, add.body).toBe(200)
    // The district sees the tracking code; the public never does.
    expect(add.json().entries[0].evidence[0]).toMatchObject({ complaintId: cid, trackingCode: code })
    expect((await post(`${A}/periods/${d.id}/publish`)).statusCode).toBe(200)
    const answers = await Promise.all([get(`${P}/periods`), get(`${P}/periods/${d.id}`), get(`${P}/entities/${await entityId('大庆社区')}`), get(`${P}/trend`)])
    for (const r of answers) {
      expect(r.statusCode).toBe(200)
      for (const secret of [PHONE, code, me, '东门无人值守，联系我', 'complaintId', 'trackingCode', 'reporter', 'note', '督查：']) expect(r.body, secret).not.toContain(secret)
    }
    const pub = answers[1]!.json()
    expect(pub.black[0].evidence.map((e: { label: string }) => e.label)).toEqual(['群众反映', '督查记录'])
  })

  it('suggests, with evidence, units with overdue or returned reports, rebounds, and the best on-time rate', async () => {
    const overdue = await walk(app, a, 'signed')
    await app.pool.query('UPDATE complaints SET rectify_overdue = true WHERE id = $1', [overdue])
    const returned = await walk(app, a, 'signed')
    await app.pool.query('UPDATE complaints SET returns = 1 WHERE id = $1', [returned])
    for (let i = 0; i < 3; i++) await walk(app, a, 'verified')
    const r = await get(`${A}/suggestions`, a.admin.headers)
    expect(r.statusCode, r.body).toBe(200)
    const s = r.json()
    const find = (xs: { reason: string; name: string }[], reason: string) => xs.find((x) => x.reason === reason && x.name === '大庆社区') as Record<string, any>
    expect(find(s.black, 'overdue')).toMatchObject({ reasonLabel: '逾期未办结 1 件', kind: 'community', entity: expect.objectContaining({ name: '大庆社区' }) })
    expect(find(s.black, 'overdue').complaints.map((c: { id: number }) => c.id)).toEqual([overdue])
    expect(find(s.black, 'returned').complaints.map((c: { id: number }) => c.id)).toEqual([returned])
    const rebound = find(s.black, 'rebound')
    expect(rebound.reasonLabel).toMatch(/^任港路新村：14天内同一地点反映 \d+ 次$/)
    expect(rebound.count).toBeGreaterThanOrEqual(5)
    const onTime = find(s.red, 'on_time')
    expect(onTime.onTimeRate).toBe(1)
    expect(onTime.reasonLabel).toMatch(/^按时办结率 100%/)
    // The evidence candidates for the same community carry the same reports.
    const ev = (await get(`${A}/entities/${await entityId('大庆社区')}/evidence`, a.admin.headers)).json()
    expect(ev.complaints.map((c: { complaintId: number }) => c.complaintId)).toEqual(expect.arrayContaining([overdue, returned]))
    expect(ev.complaints[0].label).toMatch(/^群众反映 /)
  })

  it('exports a period and every published period to .xlsx, neutralising formulas', async () => {
    const d = (await post(`${A}/periods`)).json()
    await post(`${A}/periods/${d.id}/entries`, { entityId: await entityId('南园社区'), list: 'red', reason: '=HYPERLINK("http://x")值守规范', evidence: [] })
    const one = await get(`${A}/periods/${d.id}/export.xlsx`, a.admin.headers)
    expect(one.statusCode, one.body).toBe(200)
    expect(one.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(one.rawPayload as never)
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).values).toEqual(expect.arrayContaining(['期数', '主体', '上榜理由', '标记']))
    expect(ws.getRow(2).getCell(9).value).toBe(`'=HYPERLINK("http://x")值守规范`)
    const all = await get(`${A}/export.xlsx`, a.admin.headers)
    const wb2 = new ExcelJS.Workbook()
    await wb2.xlsx.load(all.rawPayload as never)
    expect(wb2.worksheets[0]!.rowCount - 1).toBeGreaterThanOrEqual(92)
    expect((await get(`${A}/periods/999999/export.xlsx`, a.admin.headers)).statusCode).toBe(404)
  })
})
