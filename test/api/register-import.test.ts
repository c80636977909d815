import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, staffToken, type TestApp } from '../helper.js'
import { badChecksum, compoundWithBuildings, DAQING, HAOCHENG, makeId, multipartForm, RENGANG_XINCUN } from './register-helpers.js'

const HEADERS = ['楼栋', '单元', '房号', '姓名', '身份证号', '手机号', '与户主关系', '独居老人', '无智能手机', '残疾']
const SURNAMES = '陈顾陆张王朱徐季曹施缪丁'
const GIVEN = ['建国', '秀英', '海峰', '丽华', '子涵', '浩然', '桂英', '晓东']

let app: TestApp
let daqing: Record<string, string>
let haocheng: Record<string, string>
let rg: Awaited<ReturnType<typeof compoundWithBuildings>>

beforeAll(async () => {
  app = await createTestApp()
  daqing = (await staffToken(app, 'community_worker', DAQING)).headers
  haocheng = (await staffToken(app, 'community_worker', HAOCHENG)).headers
  rg = await compoundWithBuildings(app, RENGANG_XINCUN)
})
afterAll(() => app.close2())

/** A register as a community keeps it: ID numbers typed as text, rooms as numbers. */
async function xlsx(rows: (string | number | null)[][], headers = HEADERS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('住户')
  ws.addRow(headers)
  for (const r of rows) ws.addRow(r)
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** n people in free rooms 1xx–6xx of unit 1/2 of the compound's buildings, from room offset `from`. */
function people(n: number, start: number): (string | number | null)[][] {
  return Array.from({ length: n }, (_, i) => {
    const k = start + i
    const b = rg.buildings[k % 24]!
    const slot = Math.floor(k / 24)
    return [
      b.name,
      (slot % 2) + 1,
      1000 + Math.floor(slot / 2), // rooms 1000+ are never seeded: every one here is a new household
      SURNAMES[k % SURNAMES.length]! + GIVEN[k % GIVEN.length]!,
      makeId(100_000 + k),
      k % 3 === 0 ? null : `139${String(k).padStart(8, '0')}`,
      k % 4 === 0 ? '户主' : '子女',
      k % 17 === 0 ? '是' : '否',
      k % 11 === 0 ? '是' : '',
      '否',
    ]
  })
}

async function upload(file: Buffer, name: string, headers = daqing, compoundId = rg.id) {
  const m = multipartForm({ compoundId: String(compoundId) }, { name, data: file })
  return app.inject({ method: 'POST', url: '/api/v1/register/imports', headers: { ...headers, ...m.headers }, payload: m.payload })
}
const commit = (id: number, headers = daqing) => app.inject({ method: 'POST', url: `/api/v1/register/imports/${id}/commit`, headers, payload: {} })
const count = async () =>
  (await app.pool.query(`SELECT (SELECT count(*) FROM residents)::int AS r, (SELECT count(*) FROM passes)::int AS p, (SELECT count(*) FROM households)::int AS h`)).rows[0] as {
    r: number
    p: number
    h: number
  }

describe('register import', () => {
  it('imports 5,000 rows: preview with no errors, then one commit that writes households, residents and passes', async () => {
    const file = await xlsx(people(5000, 0))
    const before = await count()
    let t = performance.now()
    const pre = await upload(file, '任港路新村住户.xlsx')
    const previewMs = performance.now() - t
    expect(pre.statusCode, pre.body).toBe(201)
    const p = pre.json()
    expect(p).toMatchObject({ total: 5000, valid: 5000, errorCount: 0, errors: [] })
    expect(p.sample.length).toBe(20)
    expect(pre.body).not.toMatch(/\d{17}[\dX]/)
    expect(pre.body).not.toContain('13900000001')
    expect(await count()).toEqual(before) // a preview writes no resident

    t = performance.now()
    const c = await commit(p.id)
    const commitMs = performance.now() - t
    expect(c.statusCode, c.body).toBe(200)
    expect(c.json()).toEqual({ households: 5000, residents: 5000, passes: 5000 })
    expect(await count()).toEqual({ r: before.r + 5000, p: before.p + 5000, h: before.h + 5000 })
    console.log(`5,000-row import: preview ${previewMs.toFixed(0)} ms, commit ${commitMs.toFixed(0)} ms (file ${(file.length / 1024).toFixed(0)} KB)`)
    expect(previewMs + commitMs).toBeLessThan(15_000)

    // A second commit (a retry after a dropped answer) gives the same answer and writes nothing.
    const again = await commit(p.id)
    expect(again.statusCode).toBe(200)
    expect(again.json()).toEqual(c.json())
    expect(await count()).toEqual({ r: before.r + 5000, p: before.p + 5000, h: before.h + 5000 })
    const stored = await app.pool.query(`SELECT jsonb_array_length(rows) AS n FROM register_imports WHERE id = $1`, [p.id])
    expect(stored.rows[0].n).toBe(0)
    const flags = await app.pool.query(`SELECT count(*) FILTER (WHERE elderly_alone)::int AS alone, count(*) FILTER (WHERE no_smartphone)::int AS nophone FROM residents WHERE name_masked LIKE '_*%' AND id_hash IS NOT NULL AND household_id IN (SELECT id FROM households WHERE length(room) = 4)`)
    expect(flags.rows[0]).toEqual({ alone: Math.ceil(5000 / 17), nophone: Math.ceil(5000 / 11) })
  })

  it('lists every bad row with its row number and writes nothing, even when commit is tried', async () => {
    const good = people(4, 6000)
    const dupId = good[0]![4] as string
    const registered = makeId(100_000) // imported by the first test
    const rows = [
      ...good, //                                                     rows 2–5
      ['1幢', 1, 1201, '陈建国', badChecksum(makeId(7001)), null, '户主', '否', '否', '否'], // 6
      ['99幢', 1, 101, '顾秀英', makeId(7002), null, '户主', '否', '否', '否'], //             7
      ['2幢', 1, 1202, '陆海峰', dupId, null, '子女', '否', '否', '否'], //                    8
      ['3幢', 1, 1203, '', makeId(7003), null, '户主', '否', '否', '否'], //                   9
      ['4幢', 1, 1204, '张丽华', makeId(7004), '12345', '户主', '否', '否', '否'], //          10
      ['5幢', 1, 1205, '王子涵', registered, null, '户主', '否', '否', '否'], //               11
      ['6幢', 1, 1206, '朱浩然', 320602198001011234, null, '户主', '否', '否', '否'], //       12
      ['7幢', 1, 1207, '徐桂英', makeId(7005), null, '户主', '也许', '否', '否'], //           13
    ]
    const before = await count()
    const r = await upload(await xlsx(rows), '有错误的表格.xlsx')
    expect(r.statusCode, r.body).toBe(201)
    const p = r.json()
    expect(p.total).toBe(12)
    expect(p.valid).toBe(4)
    const byRow = (n: number) => p.errors.filter((e: { row: number }) => e.row === n).map((e: { message: string }) => e.message)
    expect(byRow(6)).toEqual(['身份证号校验位错误'])
    expect(byRow(7)).toEqual(['未知楼栋“99幢”（本小区没有这栋楼）'])
    expect(byRow(8)).toEqual(['本文件中重复（与第2行）'])
    expect(byRow(9)).toEqual(['缺少姓名'])
    expect(byRow(10)).toEqual(['手机号格式错误'])
    expect(byRow(11)[0]).toMatch(/^已登记在本社区其他房号（1幢/)
    expect(byRow(12)[0]).toContain('存成了数字')
    expect(byRow(13)[0]).toContain('请填“是”或“否”')
    expect(p.errors.find((e: { row: number }) => e.row === 7).column).toBe('楼栋')

    const c = await commit(p.id)
    expect(c.statusCode).toBe(409)
    expect(c.json().detail).toContain('没有写入任何数据')
    expect(await count()).toEqual(before)
  })

  it('reads a .csv saved by Chinese Excel (GBK) and a UTF-8 one with a BOM', async () => {
    const rows = people(3, 8000).map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))
    const text = [HEADERS.join(','), ...rows].join('\r\n')
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])
    const r = await upload(utf8, '住户.csv')
    expect(r.statusCode, r.body).toBe(201)
    expect(r.json()).toMatchObject({ total: 3, valid: 3, errorCount: 0 })
    const gbkFile = gbkEncode(text.replace(/\r\n/g, '\n'))
    const g = await upload(gbkFile, '住户-gbk.csv')
    expect(g.statusCode, g.body).toBe(201)
    expect(g.json()).toMatchObject({ total: 3, valid: 3, errorCount: 0 })
    expect(g.json().sample[0].nameMasked).toMatch(/^[\u4e00-\u9fa5]\*+$/)
  })

  it('refuses what is not a spreadsheet, an old .xls, and a file too large', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')
    const a = await upload(png, '住户.xlsx')
    expect(a.statusCode).toBe(415)
    expect(a.json().detail).toContain('.xlsx')
    const b = await upload(Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), Buffer.alloc(100)]), '住户.xls')
    expect(b.statusCode).toBe(415)
    expect(b.json().detail).toContain('另存为')
    const c = await upload(Buffer.from('PK\u0003\u0004 not really a zip'), '住户.xlsx')
    expect(c.statusCode).toBe(400)
    const d = await upload(Buffer.from('楼栋,姓名\n1幢,张三\n'), '住户.csv')
    expect(d.statusCode).toBe(400)
    expect(d.json().detail).toContain('缺少列')
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 10, 0x41), '住户.csv')
    expect(big.statusCode).toBe(413)
    const json = await app.inject({ method: 'POST', url: '/api/v1/register/imports', headers: daqing, payload: { compoundId: rg.id } })
    expect(json.statusCode).toBe(415)
  })

  it('refuses more than 20,000 rows', async () => {
    const rows = Array.from({ length: 20_001 }, (_, i) => ['1幢', 1, 101, '张三', String(i), '', '', '', '', ''])
    const r = await upload(await xlsx(rows), '太多了.xlsx')
    expect(r.statusCode).toBe(400)
    expect(r.json().detail).toContain('20000')
  })

  it('keeps workers to their own compounds', async () => {
    const file = await xlsx(people(1, 9000))
    expect((await upload(file, 'x.xlsx', haocheng)).statusCode).toBe(403)
    const p = (await upload(file, 'x.xlsx')).json()
    expect((await commit(p.id, haocheng)).statusCode).toBe(403)
  })

  it('offers an .xlsx template with the Chinese headers and an example row', async () => {
    const r = await app.inject({ url: '/api/v1/register/imports/template', headers: daqing })
    expect(r.statusCode).toBe(200)
    expect(r.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual(HEADERS)
    expect(ws.getRow(2).getCell(4).value).toBe('张三')
    // The template's own example passes validation.
    const pre = await upload(r.rawPayload, '模板.xlsx')
    expect(pre.json().errorCount, pre.body).toBe(0)
  })
})

/** GBK encoder for the test's characters: TextDecoder can decode GB18030, so build the inverse table for them. */
function gbkEncode(s: string): Buffer {
  const dec = new TextDecoder('gb18030')
  const need = new Set([...s].filter((ch) => ch.charCodeAt(0) > 0x7f))
  const table = new Map<string, Buffer>()
  for (let hi = 0x81; hi <= 0xfe && table.size < need.size; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue
      const ch = dec.decode(Buffer.from([hi, lo]))
      if (need.has(ch) && !table.has(ch)) table.set(ch, Buffer.from([hi, lo]))
    }
  return Buffer.concat([...s].map((ch) => table.get(ch) ?? Buffer.from(ch)))
}
