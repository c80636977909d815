import { randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { compoundWithBuildings, DAQING, HAOCHENG_XINCUN, makeId, multipartForm, RENGANG_XINCUN } from './register-helpers.js'

// Defects found by the outside review of the gate loop (issue 7): each test failed on the code before its fix.

const HEADERS = ['楼栋', '单元', '房号', '姓名', '身份证号', '手机号', '与户主关系', '独居老人', '无智能手机', '残疾']

let app: TestApp
let keeper: Record<string, string>
let worker: Record<string, string>
let gateId: number
let rg: Awaited<ReturnType<typeof compoundWithBuildings>>
let serial = 0

beforeAll(async () => {
  app = await createTestApp()
  keeper = (await staffToken(app, 'gatekeeper', RENGANG_XINCUN)).headers
  worker = (await staffToken(app, 'community_worker', DAQING)).headers
  gateId = (await findOrgByNames(app.db, [...RENGANG_XINCUN, '东门'])).id
  rg = await compoundWithBuildings(app, RENGANG_XINCUN)
})
afterAll(() => app.close2())

const check = (over: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  clientTime: new Date().toISOString(),
  gateId,
  direction: 'in',
  temperature: 36.5,
  mask: true,
  color: 'green',
  ...over,
})
const rows = async (ids: string[]) => (await app.pool.query('SELECT count(*)::int AS n FROM gate_checks WHERE client_id = ANY($1::uuid[])', [ids])).rows[0].n as number
const counts = async () =>
  (await app.pool.query(`SELECT (SELECT count(*) FROM residents)::int AS r, (SELECT count(*) FROM passes)::int AS p, (SELECT count(*) FROM households)::int AS h`)).rows[0]

describe('gate review', () => {
  it('a time JavaScript parses but PostgreSQL cannot store (year 0000) is a 400 in Chinese, not a 500', async () => {
    const year0 = '0000-01-01T00:00:00Z'
    const a = check({ color: 'green_star', natAt: year0 })
    const r = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: a })
    expect(r.statusCode, r.body).toBe(400)
    expect(r.json().detail).toContain('核酸')
    const b = check({ clientTime: year0, offline: true })
    const s = await app.inject({ method: 'POST', url: '/api/v1/gate/checks/sync', headers: keeper, payload: { checks: [check(), b] } })
    expect(s.statusCode, s.body).toBe(400)
    expect(s.json().detail).toContain('时间')
    expect(await rows([a.clientId, b.clientId])).toBe(0)
    // A NAT time in the future is a verdict, not an error.
    const f = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: check({ color: 'green_star', natAt: '9999-12-31T23:59:59Z' }) })
    expect(f.statusCode).toBe(200)
    expect(f.json().reasons.map((x: { code: string }) => x.code)).toContain('nat_missing')
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })

  it('a QR that is not ours, folded to one line by the gate (h5/src/gate/decide.ts sendableCode), is stored as 禁止', async () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nFN:张三\nEND:VCARD'
    const raw = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: check({ code: vcard }) })
    expect(raw.statusCode).toBe(400)
    const body = check({ code: vcard.replace(/[\u0000-\u001F]+/g, ' '), gateVerdict: 'deny' })
    const r = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: body })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json()).toMatchObject({ stored: true, verdict: 'deny', disagree: false })
    expect(r.json().reasons[0].code).toBe('bad_signature')
    expect(await rows([body.clientId])).toBe(1)
  })

  it('a client id already used at another compound’s gate is refused, not answered with that check’s verdict', async () => {
    const other = (await staffToken(app, 'gatekeeper', HAOCHENG_XINCUN)).headers
    const otherGate = (await findOrgByNames(app.db, [...HAOCHENG_XINCUN, '东门'])).id
    const first = check({ color: 'red', temperature: 39 })
    expect((await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: first })).json().verdict).toBe('deny')
    const reused = { ...check({ gateId: otherGate }), clientId: first.clientId }
    const r = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: other, payload: reused })
    expect(r.statusCode, r.body).toBe(409)
    expect(r.body).not.toContain('红码')
    const fresh = check({ gateId: otherGate, offline: true })
    const s = await app.inject({ method: 'POST', url: '/api/v1/gate/checks/sync', headers: other, payload: { checks: [fresh, { ...reused, offline: true }] } })
    expect(s.statusCode, s.body).toBe(409)
    expect(s.body).not.toContain('red')
    // The same gate sending its own check again is still an ordinary repeat.
    const again = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: first })
    expect(again.json()).toMatchObject({ stored: false, verdict: 'deny' })
    const retry = await app.inject({ method: 'POST', url: '/api/v1/gate/checks/sync', headers: other, payload: { checks: [fresh] } })
    expect(retry.json().results).toEqual([{ clientId: fresh.clientId, stored: false, verdict: 'register', disagree: false }])
    expect(await rows([first.clientId])).toBe(1)
  })

  it('a client id repeated inside one sync batch (in any letter case) is stored once and answered once as stored', async () => {
    const one = check({ offline: true })
    const other = check({ offline: true })
    const batch = [one, { ...one }, { ...one, clientId: one.clientId.toUpperCase() }, other]
    const r = await app.inject({ method: 'POST', url: '/api/v1/gate/checks/sync', headers: keeper, payload: { checks: batch } })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().results.map((x: { clientId: string; stored: boolean }) => [x.clientId, x.stored])).toEqual([
      [one.clientId, true],
      [one.clientId, false],
      [one.clientId.toUpperCase(), false],
      [other.clientId, true],
    ])
    expect(await rows([one.clientId])).toBe(1)
    expect(await rows([other.clientId])).toBe(1)
  })

  it('the same visitor registration sent 10 times at once is stored once and every copy gets it (no 409)', async () => {
    for (let round = 0; round < 4; round++) {
      const body = { clientId: randomUUID(), gateId, name: '王五', phone: '13800138000', purpose: '探亲', origin: '南通' }
      const rs = await Promise.all(Array.from({ length: 10 }, () => app.inject({ method: 'POST', url: '/api/v1/gate/visitors', headers: keeper, payload: body })))
      expect(rs.map((r) => r.statusCode)).toEqual(Array(10).fill(201))
      expect(new Set(rs.map((r) => r.json().id)).size).toBe(1)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM visitors WHERE client_id = $1', [body.clientId])).rows[0].n).toBe(1)
    }
  })

  it('refuses a visitor whose name, purpose or origin is only spaces or invisible characters', async () => {
    const base = { gateId, name: '王五', phone: '13800138000', purpose: '探亲', origin: '南通' }
    for (const [over, word] of [
      [{ name: '   ' }, '姓名'],
      [{ name: '\u200b' }, '姓名'],
      [{ purpose: ' ' }, '事由'],
      [{ origin: '\u3000' }, '从哪里来'],
    ] as const) {
      const clientId = randomUUID()
      const r = await app.inject({ method: 'POST', url: '/api/v1/gate/visitors', headers: keeper, payload: { ...base, ...over, clientId } })
      expect(r.statusCode, JSON.stringify(over)).toBe(400)
      expect(r.json().detail).toContain(word)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM visitors WHERE client_id = $1', [clientId])).rows[0].n).toBe(0)
    }
  })

  it('a claimant is not told whether the ID number they typed is registered (the worker is)', async () => {
    // Someone registered by the worker in 1幢1单元 room 5501.
    const idNumber = makeId(600_001)
    const hh = await app.inject({ method: 'POST', url: '/api/v1/register/households', headers: worker, payload: { compoundId: rg.id, buildingId: rg.buildings[0]!.id, unit: 1, room: '5501' } })
    const m = await app.inject({
      method: 'POST',
      url: `/api/v1/register/households/${hh.json().id}/residents`,
      headers: worker,
      payload: { name: '孙某某', idNumber, relation: '户主', elderlyAlone: false, noSmartphone: false, disabled: false },
    })
    expect(m.statusCode, m.body).toBe(201)
    // A stranger claims another room with that ID number.
    const res = await residentLogin(app, '13766660001')
    const body = { compoundId: rg.id, buildingId: rg.buildings[1]!.id, unit: 1, room: '5502', name: '孙某某', idNumber, relation: '户主' }
    const a = await app.inject({ method: 'POST', url: '/api/v1/me/household-claims', headers: res.headers, payload: body })
    expect(a.statusCode, a.body).toBe(201)
    expect(a.json().existing).toBeNull()
    const again = await app.inject({ method: 'POST', url: '/api/v1/me/household-claims', headers: res.headers, payload: body })
    expect(again.json().existing).toBeNull()
    const mine = await app.inject({ url: '/api/v1/me/household-claims', headers: res.headers })
    expect(mine.json().items[0].existing).toBeNull()
    const list = await app.inject({ url: '/api/v1/register/claims?status=pending', headers: worker })
    expect(list.json().items.find((c: { id: number }) => c.id === a.json().id).existing).toBe('other_household')
  })

  it('rule sets: a year-0000 date is a 400, and a version dated later cannot be activated before its time', async () => {
    const admin = (await staffToken(app, 'district_admin', [])).headers
    const active = (await app.inject({ url: '/api/v1/rules', headers: admin })).json().active
    const rules = { ...active.rules, feverThreshold: 36.9 }
    const year0 = await app.inject({ method: 'POST', url: '/api/v1/rules', headers: admin, payload: { rules, note: '测试', validFrom: '0000-01-01T00:00:00Z' } })
    expect(year0.statusCode, year0.body).toBe(400)
    expect(year0.json().detail).toContain('时间')
    const later = await app.inject({ method: 'POST', url: '/api/v1/rules', headers: admin, payload: { rules, note: '下周起', validFrom: new Date(Date.now() + 7 * 86400_000).toISOString() } })
    expect(later.statusCode, later.body).toBe(201)
    const act = await app.inject({ method: 'POST', url: `/api/v1/rules/${later.json().id}/activate`, headers: admin, payload: {} })
    expect(act.statusCode).toBe(409)
    expect(act.json().detail).toContain('尚未到生效时间')
    const scan = await app.inject({ method: 'POST', url: '/api/v1/gate/checks', headers: keeper, payload: check({ temperature: 37.1 }) })
    expect(scan.json().ruleVersion).toBe(active.version)
    expect(scan.json().reasons.map((x: { code: string }) => x.code)).not.toContain('fever')
  })

  it('register: a year-0000 date is a 400 (was a 500), and a reason of blanks is refused, changing nothing', async () => {
    const hh = await app.inject({ method: 'POST', url: '/api/v1/register/households', headers: worker, payload: { compoundId: rg.id, buildingId: rg.buildings[0]!.id, unit: 1, room: '5601' } })
    const person = { name: '吴某某', relation: '户主', elderlyAlone: false, noSmartphone: false, disabled: false }
    const add = (over: object) => app.inject({ method: 'POST', url: `/api/v1/register/households/${hh.json().id}/residents`, headers: worker, payload: { ...person, ...over } })
    const y0 = await add({ idNumber: makeId(600_201), movedIn: '0000-01-01' })
    expect(y0.statusCode, y0.body).toBe(400)
    const m = await add({ idNumber: makeId(600_202) })
    expect(m.statusCode, m.body).toBe(201)
    const mid = m.json().id as number
    const pid = m.json().passId as number
    for (const name of ['\u200b\u200b', '=1+1', '@SUM'])
      expect((await add({ idNumber: makeId(600_204), name })).statusCode, name).toBe(400)
    const patch = await app.inject({ method: 'PATCH', url: `/api/v1/register/residents/${mid}`, headers: worker, payload: { name: '=HYPERLINK("x")' } })
    expect(patch.statusCode, patch.body).toBe(400)
    const out0 = await app.inject({ method: 'POST', url: `/api/v1/register/residents/${mid}/move-out`, headers: worker, payload: { date: '0000-01-01', reason: '搬家' } })
    expect(out0.statusCode, out0.body).toBe(400)
    const blankOut = await app.inject({ method: 'POST', url: `/api/v1/register/residents/${mid}/move-out`, headers: worker, payload: { date: '2026-11-01', reason: '  ' } })
    expect(blankOut.statusCode, blankOut.body).toBe(400)
    expect(blankOut.json().detail).toContain('原因')
    const blankSuspend = await app.inject({ method: 'POST', url: `/api/v1/passes/${pid}/suspend`, headers: worker, payload: { reason: ' \u3000 ' } })
    expect(blankSuspend.statusCode, blankSuspend.body).toBe(400)
    expect((await app.pool.query('SELECT status FROM passes WHERE id = $1', [pid])).rows[0].status).toBe('active')
    expect((await app.pool.query('SELECT moved_out FROM residents WHERE id = $1', [mid])).rows[0].moved_out).toBeNull()
    const res = await residentLogin(app, '13766660002')
    const claim = await app.inject({
      method: 'POST',
      url: '/api/v1/me/household-claims',
      headers: res.headers,
      payload: { compoundId: rg.id, buildingId: rg.buildings[0]!.id, unit: 1, room: '5602', name: '郑某某', idNumber: makeId(600_203), relation: '户主' },
    })
    const refuse = await app.inject({ method: 'POST', url: `/api/v1/register/claims/${claim.json().id}/refuse`, headers: worker, payload: { reason: '   ' } })
    expect(refuse.statusCode, refuse.body).toBe(400)
    expect((await app.pool.query('SELECT status FROM household_claims WHERE id = $1', [claim.json().id])).rows[0].status).toBe('pending')
  })

  describe('register import', () => {
    const person = (over: Record<number, unknown> = {}) => {
      const k = ++serial
      const r: (string | number | null)[] = [rg.buildings[0]!.name, 1, String(8000 + k), '钱多多', makeId(500_000 + k), null, '户主', '否', '否', '否']
      for (const [i, v] of Object.entries(over)) r[Number(i)] = v as string
      return r
    }
    const upload = (data: Buffer, name: string) => {
      const m = multipartForm({ compoundId: String(rg.id) }, { name, data })
      return app.inject({ method: 'POST', url: '/api/v1/register/imports', headers: { ...worker, ...m.headers }, payload: m.payload })
    }
    const commit = (id: number) => app.inject({ method: 'POST', url: `/api/v1/register/imports/${id}/commit`, headers: worker, payload: {} })

    it('a formula cell saved without its value is an empty name, not “[object Object]”; a formula-like name is refused', async () => {
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('住户')
      ws.addRow(HEADERS)
      ws.addRow(person())
      ws.getCell('D2').value = { formula: 'HYPERLINK("http://evil.example","张三")' } as ExcelJS.CellFormulaValue
      ws.addRow(person({ 3: '=HYPERLINK("a","b")' }))
      ws.addRow(person({ 3: '@SUM' }))
      const before = await counts()
      const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()), '公式.xlsx')
      expect(r.statusCode, r.body).toBe(201)
      expect(r.body).not.toContain('[*')
      expect(r.json().errors).toEqual([
        { row: 2, column: '姓名', message: '缺少姓名' },
        { row: 3, column: '姓名', message: '姓名格式不对' },
        { row: 4, column: '姓名', message: '姓名格式不对' },
      ])
      expect((await commit(r.json().id)).statusCode).toBe(409)
      expect(await counts()).toEqual(before)
    })

    it('a row whose columns shifted does not echo a phone or ID number back in its error', async () => {
      const id = makeId(600_100)
      const wb = new ExcelJS.Workbook()
      const ws = wb.addWorksheet('住户')
      ws.addRow(HEADERS)
      ws.addRow(person({ 0: id }))
      ws.addRow(person({ 0: '13912345678' }))
      const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()), '错列.xlsx')
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json().errors.map((e: { column: string }) => e.column)).toEqual(['楼栋', '楼栋'])
      expect(r.body).not.toContain(id)
      expect(r.body).not.toContain('13912345678')
    })

    it('reads the register from the sheet with the header when a 说明 sheet comes first', async () => {
      const wb = new ExcelJS.Workbook()
      wb.addWorksheet('说明').addRow(['请在“住户”页填写，每人一行'])
      const ws = wb.addWorksheet('住户')
      ws.addRow(HEADERS)
      ws.addRow(person())
      ws.addRow(person())
      const r = await upload(Buffer.from(await wb.xlsx.writeBuffer()), '两页.xlsx')
      expect(r.statusCode, r.body).toBe(201)
      expect(r.json()).toMatchObject({ total: 2, valid: 2, errorCount: 0 })
      const before = await counts()
      const c = await commit(r.json().id)
      expect(c.statusCode, c.body).toBe(200)
      expect((await counts()).r).toBe(before.r + 2)
      // A workbook with no header anywhere still names the missing columns.
      const none = new ExcelJS.Workbook()
      none.addWorksheet('a').addRow(['随便', '写写'])
      none.addWorksheet('b').addRow(['也', '不是'])
      const bad = await upload(Buffer.from(await none.xlsx.writeBuffer()), '无表头.xlsx')
      expect(bad.statusCode).toBe(400)
      expect(bad.json().detail).toContain('缺少列')
    })
  })

  it('the district’s search by ID number does not write the number into the request log', async () => {
    const lines: string[] = []
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk))
        cb()
      },
    })
    const logged = await createTestApp({}, {}, { logger: { level: 'info', stream } as never })
    try {
      const admin = (await staffToken(logged, 'district_admin', [])).headers
      const id = makeId(600_301)
      const r = await logged.inject({ url: `/api/v1/gate/checks/by-id-number?idNumber=${id}`, headers: admin })
      expect(r.statusCode, r.body).toBe(200)
      expect(lines.some((l) => l.includes('by-id-number'))).toBe(true)
      expect(lines.filter((l) => l.includes(id.slice(0, 14)))).toEqual([])
    } finally {
      await logged.close2()
    }
  })
})
