import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RbPeriod } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, staffToken, type TestApp } from '../helper.js'
import { pruneUploads } from '../../server/src/jobs/cleanup.js'
import { upload } from './flow.js'

let app: TestApp
let admin: { headers: Record<string, string>; userId: number }
const H = () => admin.headers

beforeAll(async () => {
  app = await createTestApp()
  admin = await staffToken(app, 'district_admin', [])
})
afterAll(() => app.close2())

const post = (url: string, payload: object = {}, headers: Record<string, string> = H()) => app.inject({ method: 'POST', url, headers, payload })
const put = (url: string, payload: object) => app.inject({ method: 'PUT', url, headers: H(), payload })
const get = (url: string) => app.inject({ url, headers: H() })
const A = '/api/v1/admin/redblack'

async function entityId(name: string): Promise<number> {
  const r = await app.pool.query<{ id: number }>('SELECT id FROM redblack_entities WHERE name = $1', [name])
  expect(r.rows, name).toHaveLength(1)
  return r.rows[0]!.id
}
async function newDraft(): Promise<RbPeriod> {
  const r = await post(`${A}/periods`)
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}
async function addEntry(periodId: number, body: object) {
  return post(`${A}/periods/${periodId}/entries`, body)
}
const maxNumber = async () => (await app.pool.query<{ n: number }>(`SELECT coalesce(max(number), 0)::int AS n FROM redblack_periods WHERE kind = 'regular' AND status = 'published'`)).rows[0]!.n

describe('红黑榜 (district)', () => {
  describe('POST /api/v1/admin/redblack/entities', () => {
    it('adds a property company and a project that belongs to it and manages a compound', async () => {
      const street = await findOrgByNames(app.db, ['任港街道'])
      const compound = await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '大庆苑'])
      const co = await post(`${A}/entities`, { kind: 'property_company', name: '测试物业有限公司', streetOrgId: street.id })
      expect(co.statusCode, co.body).toBe(200)
      expect(co.json()).toMatchObject({ kind: 'property_company', kindLabel: '物业公司', streetName: '任港街道', companyId: null })
      const pj = await post(`${A}/entities`, { kind: 'property_project', name: '大庆苑物管项目', streetOrgId: street.id, companyId: co.json().id, compoundOrgId: compound.id })
      expect(pj.statusCode, pj.body).toBe(200)
      expect(pj.json()).toMatchObject({ companyName: '测试物业有限公司', compoundName: '大庆苑' })
      const again = await post(`${A}/entities`, { kind: 'property_company', name: '测试物业有限公司', streetOrgId: street.id })
      expect(again.statusCode).toBe(409)
      expect(again.json().detail).toBe('同名主体已存在')
    })

    it('refuses a project without its company, a compound in another street, and a company that is not one (Chinese 4xx)', async () => {
      const street = await findOrgByNames(app.db, ['任港街道'])
      const foreignCompound = await findOrgByNames(app.db, ['和平桥街道', '濠西社区', '第一网格', '濠西花苑'])
      const noCo = await post(`${A}/entities`, { kind: 'property_project', name: '某项目', streetOrgId: street.id })
      expect(noCo.statusCode).toBe(400)
      expect(noCo.json().detail).toBe('物业项目须选择所属物业公司')
      const wrong = await post(`${A}/entities`, { kind: 'property_project', name: '某项目', streetOrgId: street.id, companyId: await entityId('乾坤物业'), compoundOrgId: foreignCompound.id })
      expect(wrong.statusCode).toBe(400)
      expect(wrong.json().detail).toBe('所选小区不在该街道')
      const notCo = await post(`${A}/entities`, { kind: 'property_project', name: '某项目', streetOrgId: street.id, companyId: await entityId('大庆社区'), compoundOrgId: foreignCompound.id })
      expect(notCo.json().detail).toBe('所属物业公司不存在')
      const notStreet = await post(`${A}/entities`, { kind: 'enterprise', name: '某企业', streetOrgId: foreignCompound.id })
      expect(notStreet.json().detail).toBe('请选择本区的街道')
      const bad = await post(`${A}/entities`, { kind: 'bank', name: '某', streetOrgId: street.id })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().detail).toMatch(/[\u4e00-\u9fa5]/)
    })

    it('lists and searches entities, a project found by its company name too', async () => {
      const r = await get(`${A}/entities?q=${encodeURIComponent('乾坤')}`)
      expect(r.statusCode).toBe(200)
      const names = r.json().items.map((e: { name: string }) => e.name)
      expect(names).toEqual(expect.arrayContaining(['乾坤物业', '东方鑫乾大厦物管项目', '瑞安名邸物管项目']))
    })
  })

  describe('drafting', () => {
    it('shows 二次上榜 live on a draft for a black entry whose entity was black within the window', async () => {
      const d = await newDraft()
      expect(d).toMatchObject({ status: 'draft', number: null, title: '崇川区疫情防控红黑榜(草稿)', nextNumber: (await maxNumber()) + 1 })
      // 竹行村 is black in the seed's periods 1 and 4 (4 days ago); black again now → 二次上榜.
      const r = await addEntry(d.id, { entityId: await entityId('竹行村'), list: 'black', reason: '通报后棋牌室仍有人员聚集', evidence: [] })
      expect(r.statusCode, r.body).toBe(200)
      const e = r.json().entries[0]
      expect(e.flags).toEqual([expect.objectContaining({ code: 'second_black', label: '二次上榜', periodNumbers: [4, null] })])
      expect(e.flags[0].recommendation).toContain('诫勉谈话')
      // A red entry for 大庆社区 (red in 1, 2 and 4) → 推荐表彰.
      const red = await addEntry(d.id, { entityId: await entityId('大庆社区'), list: 'red', reason: '值守规范，台账清楚', evidence: [] })
      const daqing = red.json().entries.find((x: { entity: { name: string } }) => x.entity.name === '大庆社区')
      expect(daqing.flags.map((f: { code: string }) => f.code)).toEqual(['award'])
      // The same entity twice in one period is refused.
      const dup = await addEntry(d.id, { entityId: await entityId('大庆社区'), list: 'black', reason: '重复', evidence: [] })
      expect(dup.statusCode).toBe(409)
      expect(dup.json().detail).toBe('该主体已在本期榜单中')
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
    })

    it('redacts phone numbers typed into a reason and keeps evidence with labels', async () => {
      const d = await newDraft()
      const photo = (await upload(app, H())).json().id as string
      const r = await addEntry(d.id, {
        entityId: await entityId('桃坞社区'),
        list: 'black',
        reason: '门口无人值守，居民张三13912345678反映',
        evidence: [{ kind: 'inspection', note: '2月10日督查：北门无人值守', photoIds: [photo] }],
      })
      expect(r.statusCode, r.body).toBe(200)
      const e = r.json().entries[0]
      expect(e.reason).not.toContain('13912345678')
      expect(e.evidence).toEqual([expect.objectContaining({ kind: 'inspection', label: '督查记录', note: '2月10日督查：北门无人值守', photos: [expect.objectContaining({ id: photo })] })])
      // Someone else's photo cannot be attached.
      const other = await staffToken(app, 'district_admin', [])
      const theirs = (await upload(app, other.headers)).json().id as string
      const bad = await addEntry(d.id, { entityId: await entityId('易家桥社区'), list: 'black', reason: '测试', evidence: [{ kind: 'inspection', note: '督查', photoIds: [theirs] }] })
      expect(bad.statusCode).toBe(400)
      expect(bad.json().detail).toBe('督查照片不存在，请重新上传')
      const noComplaint = await addEntry(d.id, { entityId: await entityId('易家桥社区'), list: 'black', reason: '测试', evidence: [{ kind: 'complaint', complaintId: 999999 }] })
      expect(noComplaint.statusCode).toBe(400)
      expect(noComplaint.json().detail).toContain('不存在')
      // Editing replaces the evidence; deleting removes the entry.
      const entryId = e.id as number
      const ed = await put(`${A}/periods/${d.id}/entries/${entryId}`, { entityId: e.entity.id, list: 'red', reason: '整改到位', evidence: [] })
      expect(ed.statusCode, ed.body).toBe(200)
      expect(ed.json().entries[0]).toMatchObject({ list: 'red', reason: '整改到位', evidence: [] })
      const del = await app.inject({ method: 'DELETE', url: `${A}/periods/${d.id}/entries/${entryId}`, headers: H() })
      expect(del.json().entries).toEqual([])
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
    })

    it('keeps inspection photos when the pruner removes abandoned uploads', async () => {
      const d = await newDraft()
      const kept = (await upload(app, H())).json().id as string
      const abandoned = (await upload(app, H())).json().id as string
      const r = await addEntry(d.id, { entityId: await entityId('国庆村'), list: 'black', reason: '村内聚餐', evidence: [{ kind: 'inspection', note: '现场照片', photoIds: [kept] }] })
      expect(r.statusCode, r.body).toBe(200)
      await app.pool.query(`UPDATE uploads SET created_at = now() - interval '3 days' WHERE id = ANY($1::uuid[])`, [[kept, abandoned]])
      await pruneUploads(app.db, app.services.storage)
      const left = (await app.pool.query('SELECT id FROM uploads WHERE id = ANY($1::uuid[])', [[kept, abandoned]])).rows.map((x) => x.id)
      expect(left).toEqual([kept])
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
    })

    it('never creates a second draft or entry for a retried POST with the same Idempotency-Key', async () => {
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM redblack_periods')).rows[0].n
      const key = { ...H(), 'idempotency-key': 'rb-draft-key-0001' }
      const [a, b] = await Promise.all([post(`${A}/periods`, {}, key), post(`${A}/periods`, {}, key)])
      expect(a.json().id).toBe(b.json().id)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM redblack_periods')).rows[0].n).toBe(before + 1)
      const body = { entityId: await entityId('朝晖社区'), list: 'red', reason: '整改到位', evidence: [] }
      const ek = { ...H(), 'idempotency-key': 'rb-entry-key-0001' }
      const e1 = await post(`${A}/periods/${a.json().id}/entries`, body, ek)
      const e2 = await post(`${A}/periods/${a.json().id}/entries`, body, ek)
      expect(e1.statusCode).toBe(200)
      expect(e2.statusCode).toBe(200)
      expect(e2.headers['idempotent-replayed']).toBe('true')
      expect(e2.json().entries).toHaveLength(1)
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [a.json().id])
    })
  })

  describe('publishing', () => {
    it('refuses to publish an empty period', async () => {
      const d = await newDraft()
      const r = await post(`${A}/periods/${d.id}/publish`)
      expect(r.statusCode).toBe(400)
      expect(r.json().detail).toBe('榜单中没有条目，不能发布')
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
    })

    it('numbers five parallel publishes with no gap and no duplicate', async () => {
      const start = await maxNumber()
      const drafts = await Promise.all([0, 1, 2, 3, 4].map(() => newDraft()))
      const names = ['新胜社区', '三角桥社区', '小石桥社区', '濠城社区', '幸福社区']
      for (const [i, d] of drafts.entries()) expect((await addEntry(d.id, { entityId: await entityId(names[i]!), list: 'red', reason: '封闭管理到位', evidence: [] })).statusCode).toBe(200)
      const res = await Promise.all(drafts.map((d) => post(`${A}/periods/${d.id}/publish`)))
      for (const r of res) expect(r.statusCode, r.body).toBe(200)
      const numbers = res.map((r) => r.json().number as number).sort((a, b) => a - b)
      expect(numbers).toEqual([1, 2, 3, 4, 5].map((i) => start + i))
      for (const r of res) expect(r.json().title).toBe(`崇川区疫情防控红黑榜(第${r.json().number}期)`)
      const again = await post(`${A}/periods/${drafts[0]!.id}/publish`)
      expect(again.statusCode).toBe(409)
      expect(again.json().detail).toBe('该红黑榜已发布')
    })

    it('stores the flags at publish so later listings do not change them', async () => {
      const d = await newDraft()
      await addEntry(d.id, { entityId: await entityId('新园社区'), list: 'black', reason: '出入证仍未查验', evidence: [] })
      const pub = await post(`${A}/periods/${d.id}/publish`)
      expect(pub.statusCode, pub.body).toBe(200)
      const flags = pub.json().entries[0].flags
      expect(flags.map((f: { code: string }) => f.code)).toEqual(['second_black'])
      // Rules change afterwards (a 1-day window would not flag it): the published period keeps what it showed.
      const rules = (await get(`${A}/rules`)).json()
      const changed = await put(`${A}/rules`, { windowDays: 1, awardMinReds: 3, sanctions: rules.sanctions, awards: rules.awards })
      expect(changed.statusCode, changed.body).toBe(200)
      expect(changed.json().version).toBe(rules.version + 1)
      expect((await get(`${A}/periods/${d.id}`)).json().entries[0].flags).toEqual(flags)
      const pubView = (await app.inject({ url: `/api/v1/redblack/periods/${d.id}` })).json()
      expect(pubView.black[0].flags).toEqual(flags)
      await put(`${A}/rules`, { windowDays: rules.windowDays, awardMinReds: rules.awardMinReds, sanctions: rules.sanctions, awards: rules.awards })
    })

    it('is immutable once published: the API answers 409 and the database refuses UPDATE and DELETE', async () => {
      const d = await newDraft()
      const add = await addEntry(d.id, { entityId: await entityId('兴隆社区'), list: 'red', reason: '整改到位', evidence: [{ kind: 'inspection', note: '复查', photoIds: [] }] })
      const entryId = add.json().entries[0].id
      await post(`${A}/periods/${d.id}/publish`)
      const edit = await put(`${A}/periods/${d.id}/entries/${entryId}`, { entityId: add.json().entries[0].entity.id, list: 'black', reason: '改为黑榜', evidence: [] })
      expect(edit.statusCode).toBe(409)
      expect(edit.json().detail).toBe('已发布的红黑榜不能修改，请发布勘误')
      const more = await addEntry(d.id, { entityId: await entityId('东港社区'), list: 'red', reason: '补充', evidence: [] })
      expect(more.statusCode).toBe(409)
      for (const q of [
        `UPDATE redblack_periods SET title = 'x' WHERE id = ${d.id}`,
        `DELETE FROM redblack_periods WHERE id = ${d.id}`,
        `UPDATE redblack_entries SET reason = 'x' WHERE id = ${entryId}`,
        `DELETE FROM redblack_entries WHERE id = ${entryId}`,
        `INSERT INTO redblack_entries (period_id, entity_id, list, seq, reason) VALUES (${d.id}, ${await entityId('东港社区')}, 'red', 9, 'x')`,
        `UPDATE redblack_evidence SET note = 'x' WHERE entry_id = ${entryId}`,
        `DELETE FROM redblack_evidence WHERE entry_id = ${entryId}`,
        `UPDATE redblack_rules SET window_days = 1`,
      ]) {
        await expect(app.pool.query(q), q).rejects.toThrow(/immutable|append-only|append only/)
      }
    })

    it('corrects a published period with an erratum, linked both ways and numbered on its own', async () => {
      const [p] = (await app.pool.query(`SELECT id, title FROM redblack_periods WHERE kind = 'regular' AND status = 'published' ORDER BY id LIMIT 1`)).rows
      const r = await post(`${A}/periods/${p.id}/erratum`, { text: '第3条上榜理由更正为：出入口无人测温' })
      expect(r.statusCode, r.body).toBe(200)
      expect(r.json()).toMatchObject({ kind: 'erratum', status: 'published', number: 1, correctsId: p.id, title: `关于《${p.title}》的勘误`, erratumText: '第3条上榜理由更正为：出入口无人测温' })
      const r2 = await post(`${A}/periods/${p.id}/erratum`, { text: '再次更正' })
      expect(r2.json().number).toBe(2)
      const orig = (await app.inject({ url: `/api/v1/redblack/periods/${p.id}` })).json()
      expect(orig.errata.map((e: { id: number }) => e.id)).toEqual([r.json().id, r2.json().id])
      const ofErratum = await post(`${A}/periods/${r.json().id}/erratum`, { text: '更正' })
      expect(ofErratum.statusCode).toBe(409)
      expect(ofErratum.json().detail).toBe('请对原红黑榜发布勘误')
      const empty = await post(`${A}/periods/${p.id}/erratum`, { text: '' })
      expect(empty.statusCode).toBe(400)
      // Regular numbering is not disturbed by errata.
      const d = await newDraft()
      expect(d.nextNumber).toBe((await maxNumber()) + 1)
      await app.pool.query('DELETE FROM redblack_periods WHERE id = $1', [d.id])
    })
  })
})
