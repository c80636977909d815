import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, beijingDate } from '@cc/shared'
import { markOverdueFollowups, proposeReleases } from '../../server/src/jobs/quarantine.js'
import { alertQuarantineExit, homeQuarantinedPassIds, isHomeQuarantined } from '../../server/src/modules/quarantine/quarantine.gate.js'
import { snapshotDaily, todayList } from '../../server/src/modules/quarantine/quarantine.today.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { DAQING, HAOCHENG, RENGANG_XINCUN, makeId } from './register-helpers.js'

let app: TestApp
let worker: Record<string, string>
let workerB: Record<string, string>
let street: Record<string, string>
let district: Record<string, string>
let resident: Record<string, string>
let residentUserId = 0
let compoundId = 0
let daqingId = 0

const WUHAN = { provinceCode: '420000', cityCode: '420100', districtCode: '420102', originName: '湖北省武汉市江岸区' }
const trip = (over: Record<string, unknown> = {}) => ({ ...WUHAN, route: '武汉—南京—南通', departedOn: '2026-11-20', arrivedOn: '2026-11-21', transport: 'train', transportNo: 'G1234', keyContact: false, healthColor: 'green', ...over })
const post = (url: string, h: Record<string, string>, payload: object = {}) => app.inject({ method: 'POST', url, headers: h, payload })
const get = (url: string, h: Record<string, string>) => app.inject({ method: 'GET', url, headers: h })
let idn = 7000
const selfReg = (over: Record<string, unknown> = {}) =>
  post('/api/v1/me/returnees', resident, { forSelf: true, name: '顾海峰', idNumber: makeId(++idn), phone: '13700001111', compoundId, address: '5幢302室', trip: trip(), ...over })

beforeAll(async () => {
  app = await createTestApp()
  worker = (await staffToken(app, 'community_worker', DAQING)).headers
  workerB = (await staffToken(app, 'community_worker', HAOCHENG)).headers
  street = (await staffToken(app, 'street_admin', ['任港街道'])).headers
  district = (await staffToken(app, 'district_admin', [])).headers
  const r = await residentLogin(app, '13700001111')
  resident = r.headers
  residentUserId = r.userId
  compoundId = (await findOrgByNames(app.db, RENGANG_XINCUN)).id
  daqingId = (await findOrgByNames(app.db, DAQING)).id
})
afterAll(() => app.close2())

describe('returnees and quarantine', () => {
  describe('demo seed', () => {
    it('shows every state, overdue slots, a fever alert and a full site, reconciled', async () => {
      const c = (await get('/api/v1/quarantine/counts', district)).json()
      for (const s of ['registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost']) expect(c.totals[s], s).toBeGreaterThan(0)
      expect(c.totals.people).toBeGreaterThanOrEqual(250)
      expect(c.reconciled).toBe(true)
      const sites = (await get('/api/v1/quarantine/sites', worker)).json().items
      expect(sites.some((x: { full: boolean }) => x.full)).toBe(true)
      const today = (await get('/api/v1/quarantine/today', worker)).json()
      expect(today.counts.alert).toBeGreaterThanOrEqual(1)
      expect(today.counts.overdue).toBeGreaterThanOrEqual(1)
      expect(today.counts.new_registration).toBeGreaterThanOrEqual(1)
      expect((await homeQuarantinedPassIds(app.db, compoundId)).length).toBeGreaterThanOrEqual(10)
    })

    it('seeds in well under a second (bulk inserts)', async () => {
      const { seedQuarantine } = await import('../../server/src/seed/quarantine.js')
      const config = (app as unknown as { config: import('../../server/src/config.js').AppConfig }).config
      let ms = 0
      await app.db
        .transaction(async (tx) => {
          await tx.execute(`TRUNCATE key_areas, quarantine_sites, returnees CASCADE`)
          const t0 = performance.now()
          await seedQuarantine(tx, config, { demoResidentUserId: residentUserId })
          ms = performance.now() - t0
          throw new Error('rollback')
        })
        .catch((e: Error) => {
          if (e.message !== 'rollback') throw e
        })
      console.log(`seedQuarantine: ${ms.toFixed(0)} ms`)
      expect(ms).toBeLessThan(1000)
    })
  })

  describe('POST /api/v1/me/returnees (返崇登记)', () => {
    it('registers once and merges the same trip submitted again (one person, one record)', async () => {
      const id = makeId(++idn)
      const body = { forSelf: true, name: '陈建华', idNumber: id, phone: '13700001111', compoundId, address: '5幢302室', trip: trip() }
      const a = await post('/api/v1/me/returnees', resident, body)
      expect(a.statusCode, a.body).toBe(201)
      expect(a.json()).toMatchObject({ merged: false, created: true, returnee: { state: 'registered', communityId: daqingId, nameMasked: '陈**' } })
      expect(a.body).not.toContain(id)
      const b = await post('/api/v1/me/returnees', resident, { ...body, trip: trip({ route: '' }) })
      expect(b.statusCode).toBe(200)
      expect(b.json()).toMatchObject({ merged: true, created: false, tripId: a.json().tripId })
      expect(b.json().returnee.id).toBe(a.json().returnee.id)
      expect(b.json().returnee.lastTrip.registrations).toBe(2)
      const n = await app.pool.query('SELECT count(*)::int AS n FROM returnees WHERE id = $1', [a.json().returnee.id])
      expect(n.rows[0].n).toBe(1)
      const cases = await app.pool.query('SELECT count(*)::int AS n FROM quarantine_cases WHERE returnee_id = $1', [a.json().returnee.id])
      expect(cases.rows[0].n).toBe(1)
    })

    it('registers a family member and lists both under 我的返崇登记', async () => {
      const r = await selfReg({ forSelf: false, name: '顾桂英', elderly: true, noSmartphone: true })
      expect(r.statusCode).toBe(201)
      const mine = await get('/api/v1/me/returnees', resident)
      expect(mine.json().items.map((x: { id: number }) => x.id)).toContain(r.json().returnee.id)
    })

    it('does not hand a record to another resident who types the same ID number', async () => {
      const id = makeId(++idn)
      expect((await selfReg({ idNumber: id })).statusCode).toBe(201)
      const stranger = (await residentLogin(app, '13700003333')).headers
      const r = await post('/api/v1/me/returnees', stranger, { forSelf: false, name: '顾海峰', idNumber: id, compoundId, address: '1幢101室', trip: trip() })
      expect(r.statusCode).toBe(409)
      expect(r.body).not.toContain('5幢302')
      expect((await get('/api/v1/me/returnees', stranger)).json().items).toEqual([])
    })

    it('refuses a departure after the arrival, in Chinese', async () => {
      const r = await selfReg({ trip: trip({ departedOn: '2026-11-25' }) })
      expect(r.statusCode).toBe(400)
      expect(r.json().detail).toBe('出发日期不能晚于抵达日期')
    })
  })

  describe('community scope', () => {
    it('a worker of another community cannot see or change the person', async () => {
      const r = (await selfReg()).json()
      expect((await get(`/api/v1/returnees/${r.returnee.id}`, worker)).statusCode).toBe(200)
      expect((await get(`/api/v1/returnees/${r.returnee.id}`, workerB)).statusCode).toBe(403)
      const d = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, workerB, { measure: 'home', reason: '越权' })
      expect(d.statusCode).toBe(403)
      const list = await get('/api/v1/returnees?limit=100', workerB)
      expect(list.json().items.map((x: { id: number }) => x.id)).not.toContain(r.returnee.id)
      const other = await get(`/api/v1/returnees/${r.returnee.id}`, (await residentLogin(app, '13700002222')).headers)
      expect(other.statusCode).toBe(403)
    })
  })

  describe('the state machine through the API', () => {
    it('places in home quarantine, schedules slots and NATs, and refuses illegal moves with a Chinese 409', async () => {
      const r = (await selfReg()).json()
      const d = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'home', reason: '武汉返崇，居家隔离14天' })
      expect(d.statusCode, d.body).toBe(200)
      const c = d.json()
      expect(c).toMatchObject({ state: 'home', stateLabel: '居家隔离', startOn: beijingDate(new Date()), endOn: addDays(beijingDate(new Date()), 13) })
      expect(c.followups.length).toBeGreaterThanOrEqual(27)
      expect(c.nats.map((n: { dueOn: string }) => n.dueOn)).toEqual([0, 6, 12].map((k) => addDays(c.startOn, k)))
      expect(c.events.map((e: { action: string }) => e.action)).toEqual(['open', 'home'])
      const again = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'home', reason: '再来' })
      expect(again.statusCode).toBe(409)
      expect(again.json().detail).toBe('该人员已在居家隔离中，无需重复操作')
      const mon = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'monitoring', reason: 'x' })
      expect(mon.statusCode).toBe(409)
      const early = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/release`, worker, {})
      expect(early.statusCode).toBe(409)
      expect(early.json().detail).toContain('隔离期满')
      const ext = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/extend`, worker, { days: 7, reason: '同行人员核酸阳性' })
      expect(ext.json().endOn).toBe(addDays(c.endOn, 7))
      const lost = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/lost`, worker, { reason: '电话不通，上门无人' })
      expect(lost.json().state).toBe('lost')
      const after = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/extend`, worker, { days: 1, reason: 'x' })
      expect(after.statusCode).toBe(409)
      expect(after.json().detail).toBe('该人员失联，本次管控已结束，不能再延长隔离')
    })

    it('releases when the conditions hold, and tells the resident', async () => {
      const r = (await selfReg()).json()
      const start = addDays(beijingDate(new Date()), -13)
      const c = (await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'home', reason: '补录', startOn: start })).json()
      expect(c.endOn).toBe(beijingDate(new Date()))
      const blocked = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/release`, worker, {})
      expect(blocked.statusCode).toBe(409)
      expect(blocked.json().detail).toBe('尚不能解除：末次核酸阴性')
      for (const n of c.nats) expect((await post(`/api/v1/quarantine/nats/${n.id}`, worker, { result: 'negative' })).statusCode).toBe(200)
      expect((await proposeReleases(app.db)).proposed).toBeGreaterThanOrEqual(1)
      const rel = await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/release`, worker, {})
      expect(rel.statusCode, rel.body).toBe(200)
      expect(rel.json().state).toBe('released')
      const msgs = await app.pool.query(`SELECT title FROM messages WHERE user_id = $1 ORDER BY id DESC LIMIT 1`, [residentUserId])
      expect(msgs.rows[0].title).toBe('解除隔离通知')
    })
  })

  describe('follow-ups and the today list', () => {
    it('a self-reported 37.8 °C raises an alert at the top of the worker’s today list', async () => {
      const r = (await selfReg()).json()
      await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'home', reason: '居家隔离' })
      // The slot open now (some time of day has none open: report for the next one the way the H5 would).
      const c = (await get(`/api/v1/quarantine/cases/${r.returnee.caseId}`, worker)).json()
      const slot = c.followups.find((f: { opensAt: string }) => new Date(f.opensAt) <= new Date()) ?? c.followups[0]
      await app.pool.query('UPDATE followup_slots SET opens_at = now() - interval \'1 minute\' WHERE id = $1', [slot.id])
      const rep = await post(`/api/v1/me/returnees/${r.returnee.id}/followups`, resident, { temperature: 37.8, symptoms: ['咳嗽'], slotDate: slot.slotDate, slot: slot.slot })
      expect(rep.statusCode, rep.body).toBe(200)
      expect(rep.json()).toMatchObject({ abnormal: true, recorderKind: 'self' })
      const today = await get('/api/v1/quarantine/today', worker)
      expect(today.statusCode).toBe(200)
      const items = today.json().items as { kind: string; caseId: number; targetId: number; detail: string }[]
      const first = items.find((i) => i.kind === 'alert' && i.caseId === r.returnee.caseId)!
      expect(first).toMatchObject({ kind: 'alert', title: '随访异常' })
      // Alerts come before everything else.
      expect(items.map((i) => i.kind === 'alert').lastIndexOf(true)).toBeLessThan(items.findIndex((i) => i.kind !== 'alert'))
      expect(first.detail).toContain('37.8')
      const msgs = await app.pool.query(`SELECT count(*)::int AS n FROM messages m JOIN role_grants g ON g.user_id = m.user_id WHERE g.org_id = $1 AND m.title = '隔离人员预警'`, [daqingId])
      expect(msgs.rows[0].n).toBeGreaterThanOrEqual(0)
      const h = await post(`/api/v1/quarantine/alerts/${first.targetId}/handle`, worker, { note: '已上门复测 37.2' })
      expect(h.statusCode).toBe(200)
      const again = (await get('/api/v1/quarantine/today', worker)).json()
      expect(again.items.find((i: { kind: string; targetId: number }) => i.kind === 'alert' && i.targetId === first.targetId)).toBeUndefined()
      expect(again.items.some((i: { kind: string }) => i.kind === 'new_registration')).toBe(true)
    })

    it('marks missed slots overdue with a moved clock, and the list shows them', async () => {
      const r = (await selfReg()).json()
      await post(`/api/v1/quarantine/cases/${r.returnee.caseId}/decide`, worker, { measure: 'home', reason: '居家隔离' })
      const later = new Date(Date.now() + 2 * 86400_000)
      const m = await markOverdueFollowups(app.db, later)
      expect(m.marked).toBeGreaterThanOrEqual(3)
      const flagged = await app.pool.query('SELECT count(*)::int AS n FROM followup_slots WHERE case_id = $1 AND overdue', [r.returnee.caseId])
      expect(flagged.rows[0].n).toBeGreaterThanOrEqual(3)
      const notYet = await app.pool.query('SELECT count(*)::int AS n FROM followup_slots WHERE case_id = $1 AND overdue AND due_at > $2', [r.returnee.caseId, later])
      expect(notYet.rows[0].n).toBe(0)
      expect((await markOverdueFollowups(app.db, later)).marked).toBe(0)
      const list = await todayList(app.db, daqingId, later)
      const mine = list.items.filter((i) => i.kind === 'overdue' && i.caseId === r.returnee.caseId)
      expect(mine.length).toBeGreaterThanOrEqual(3)
      expect(list.items.findIndex((i) => i.kind === 'overdue')).toBeLessThan(list.items.findIndex((i) => i.kind === 'nat_due'))
    })
  })

  describe('centralised sites', () => {
    it('refuses a placement in a full site and frees the bed on a move home', async () => {
      const streetOrg = await findOrgByNames(app.db, ['任港街道'])
      const s = await post('/api/v1/quarantine/sites', street, { orgId: streetOrg.id, name: '测试隔离酒店', address: '任港路1号', rooms: 1, capacity: 1 })
      expect(s.statusCode, s.body).toBe(201)
      const a = (await selfReg()).json()
      const b = (await selfReg()).json()
      const pa = await post(`/api/v1/quarantine/cases/${a.returnee.caseId}/decide`, worker, { measure: 'centralised', siteId: s.json().id, room: '101', reason: '高风险' })
      expect(pa.statusCode, pa.body).toBe(200)
      const pb = await post(`/api/v1/quarantine/cases/${b.returnee.caseId}/decide`, worker, { measure: 'centralised', siteId: s.json().id, room: '102', reason: '高风险' })
      expect(pb.statusCode).toBe(409)
      expect(pb.json().detail).toBe('测试隔离酒店已满，请选择其他隔离点')
      const shrink = await app.inject({ method: 'PATCH', url: `/api/v1/quarantine/sites/${s.json().id}`, headers: street, payload: { capacity: 0 } })
      expect(shrink.statusCode).toBe(409)
      await post(`/api/v1/quarantine/cases/${a.returnee.caseId}/move`, worker, { to: 'home', reason: '转居家' })
      const sites = (await get('/api/v1/quarantine/sites', worker)).json().items
      expect(sites.find((x: { id: number }) => x.id === s.json().id)).toMatchObject({ occupancy: 0, full: false })
      expect((await post(`/api/v1/quarantine/cases/${b.returnee.caseId}/decide`, worker, { measure: 'centralised', siteId: s.json().id, reason: '高风险' })).statusCode).toBe(200)
    })
  })

  describe('GET /api/v1/quarantine/counts', () => {
    it('puts every person in exactly one state, per community and in total', async () => {
      for (const who of [worker, street, district]) {
        const r = await get('/api/v1/quarantine/counts', who)
        expect(r.statusCode, r.body).toBe(200)
        const c = r.json()
        expect(c.reconciled).toBe(true)
        const states = ['registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost']
        expect(states.reduce((a, s) => a + c.totals[s], 0)).toBe(c.totals.people)
      }
      const all = (await get('/api/v1/quarantine/counts', district)).json()
      const n = await app.pool.query('SELECT count(*)::int AS n FROM returnees')
      expect(all.totals.people).toBe(n.rows[0].n)
      expect(all.totals.releasedToday).toBeGreaterThanOrEqual(1)
      const byStreet = (await get('/api/v1/quarantine/counts', street)).json()
      expect(byStreet.rows.every((x: { streetName: string }) => x.streetName === '任港街道')).toBe(true)
    })
  })

  describe('exports and public totals', () => {
    it('exports the daily report and the list as .xlsx with masked IDs, full IDs only for the district with a reason', async () => {
      const c = await get('/api/v1/quarantine/export/counts.xlsx', street)
      expect(c.statusCode).toBe(200)
      expect(c.headers['content-type']).toContain('spreadsheetml')
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(c.rawPayload as never)
      expect(wb.worksheets[0]!.getRow(1).getCell(2).value).toBe('社区')
      await post('/api/v1/returnees', worker, { communityId: daqingId, name: '陈明', idNumber: makeId(++idn), address: '=HYPERLINK("http://x")', trip: trip() })
      const l = await get('/api/v1/quarantine/export/returnees.xlsx', worker)
      expect(l.statusCode).toBe(200)
      const wl = new ExcelJS.Workbook()
      await wl.xlsx.load(l.rawPayload as never)
      const ids = wl.worksheets[0]!.getColumn(3).values.slice(2) as string[]
      expect(ids.length).toBeGreaterThan(10)
      for (const id of ids) expect(id).toMatch(/\*{6,}/)
      const addresses = wl.worksheets[0]!.getColumn(5).values as string[]
      expect(addresses).toContain(`'=HYPERLINK("http://x")`)
      expect((await get('/api/v1/quarantine/export/returnees.xlsx?reason=' + encodeURIComponent('疫情溯源'), worker)).statusCode).toBe(403)
      const full = await get('/api/v1/quarantine/export/returnees.xlsx?reason=' + encodeURIComponent('疫情溯源'), district)
      expect(full.statusCode).toBe(200)
      const audits = await app.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'returnees.export_full'`)
      expect(audits.rows[0].n).toBe(1)
    })

    it('keeps a daily snapshot the history chart reads', async () => {
      const yesterday = new Date(Date.now() - 86400_000)
      const snap = await snapshotDaily(app.db, yesterday)
      expect(snap.rows).toBeGreaterThan(5)
      expect(await snapshotDaily(app.db, yesterday)).toEqual(snap)
      const h = (await get('/api/v1/quarantine/daily?days=3', district)).json().items
      expect(h.map((x: { day: string }) => x.day)).toEqual([beijingDate(yesterday), beijingDate(new Date())])
      expect(h[0].counts.total).toBeGreaterThan(0)
    })

    it('publishes district totals without a login and without personal data', async () => {
      const r = await app.inject({ url: '/api/v1/quarantine/public/totals' })
      expect(r.statusCode).toBe(200)
      expect(Object.keys(r.json()).sort()).toEqual(['centralised', 'day', 'home', 'monitoring', 'newToday', 'releasedToday', 'releasedTotal'])
      const h = await get('/api/v1/quarantine/daily?days=7', street)
      expect(h.statusCode).toBe(200)
      expect(h.json().items.at(-1).day).toBe(beijingDate(new Date()))
    })
  })

  describe('the gate link', () => {
    it('lists a registered resident in home quarantine for the compound, and drops them on exit', async () => {
      const res = (await app.pool.query('SELECT r.id, p.id AS pass FROM residents r JOIN passes p ON p.resident_id = r.id WHERE r.compound_id = $1 AND r.moved_out IS NULL ORDER BY r.id LIMIT 1', [compoundId])).rows[0]
      const reg = await post('/api/v1/returnees', worker, { communityId: daqingId, residentId: res.id, trip: trip({ arrivedOn: '2026-11-22' }) })
      expect(reg.statusCode, reg.body).toBe(201)
      const caseId = reg.json().returnee.caseId
      expect(await isHomeQuarantined(app.db, res.pass)).toBe(false)
      await post(`/api/v1/quarantine/cases/${caseId}/decide`, worker, { measure: 'home', reason: '居家隔离' })
      expect(await isHomeQuarantined(app.db, res.pass)).toBe(true)
      expect(await homeQuarantinedPassIds(app.db, compoundId)).toContain(res.pass)
      expect(await app.db.transaction((tx) => alertQuarantineExit(tx, res.pass, '东门'))).toBe(true)
      const today = (await get('/api/v1/quarantine/today', worker)).json()
      expect(today.items.find((i: { title: string; caseId: number }) => i.title === '卡口预警' && i.caseId === caseId)?.detail).toContain('东门')
      await post(`/api/v1/quarantine/cases/${caseId}/transfer`, worker, { reason: '发热送医', hospital: '南通市第三人民医院' })
      expect(await isHomeQuarantined(app.db, res.pass)).toBe(false)
      expect(await homeQuarantinedPassIds(app.db, compoundId)).not.toContain(res.pass)
      expect(await app.db.transaction((tx) => alertQuarantineExit(tx, res.pass, '东门'))).toBe(false)
    })
  })

  describe('key areas', () => {
    it('raising a listed area raises the risk of open cases from it and alerts the worker', async () => {
      const shenzhen = { provinceCode: '440000', cityCode: '440300', districtCode: '440306', originName: '广东省深圳市宝安区' }
      const r = (await selfReg({ trip: trip({ ...shenzhen, arrivedOn: '2026-11-23' }) })).json()
      expect(r.returnee.risk).toBe('none')
      const k = await post('/api/v1/key-areas', district, { level: 'city', code: '440300', name: '广东省深圳市', risk: 'high', validFrom: '2026-11-01' })
      expect(k.statusCode, k.body).toBe(201)
      expect(k.json().recomputed.raised).toBeGreaterThanOrEqual(1)
      expect((await get(`/api/v1/returnees/${r.returnee.id}`, worker)).json().risk).toBe('high')
      const bad = await post('/api/v1/key-areas', district, { level: 'city', code: '420102', name: 'x', risk: 'high', validFrom: '2026-11-01' })
      expect(bad.statusCode).toBe(400)
      const dup = await post('/api/v1/key-areas', district, { level: 'city', code: '440300', name: '广东省深圳市', risk: 'low', validFrom: '2026-11-01' })
      expect(dup.statusCode).toBe(409)
      const rep = await post(`/api/v1/key-areas/${k.json().area.id}/replace`, district, { level: 'city', code: '440300', name: '广东省深圳市', risk: 'medium', validFrom: '2026-11-01' })
      expect(rep.statusCode).toBe(201)
      const hist = (await get('/api/v1/key-areas?history=true', worker)).json().items
      expect(hist.filter((x: { code: string }) => x.code === '440300')).toHaveLength(2)
      expect((await get(`/api/v1/returnees/${r.returnee.id}`, worker)).json().risk).toBe('medium')
    })
  })

  describe('扫楼', () => {
    it('marks rooms and reports progress per building', async () => {
      const b = (await get(`/api/v1/returnees/sweep/buildings?compoundId=${compoundId}`, worker)).json().items[0]
      const all = (await get(`/api/v1/returnees/sweep/rooms?compoundId=${compoundId}&buildingId=${b.id}`, worker)).json().items
      expect(all.length).toBe(b.rooms)
      const rooms = all.filter((x: { mark: string | null }) => !x.mark)
      await post('/api/v1/returnees/sweep/marks', worker, { householdId: rooms[0].householdId, mark: 'no_answer' })
      await post('/api/v1/returnees/sweep/marks', worker, { householdId: rooms[0].householdId, mark: 'none' })
      await post('/api/v1/returnees/sweep/marks', worker, { householdId: rooms[1].householdId, mark: 'registered' })
      const after = (await get(`/api/v1/returnees/sweep/buildings?compoundId=${compoundId}`, worker)).json().items.find((x: { id: number }) => x.id === b.id)
      expect(after).toMatchObject({ marked: b.marked + 2 })
      // Registering a member of a room from the sweep marks the room 已登记.
      const room = rooms.find((x: { members: unknown[]; mark: string | null }) => x.members.length > 0 && !x.mark)
      const reg = await post('/api/v1/returnees', worker, { communityId: daqingId, householdId: room.householdId, name: '扫楼登记', idNumber: makeId(++idn), noSmartphone: true, elderly: true, trip: trip({ arrivedOn: '2026-11-24' }) })
      expect(reg.statusCode, reg.body).toBe(201)
      const again = (await get(`/api/v1/returnees/sweep/rooms?compoundId=${compoundId}&buildingId=${b.id}`, worker)).json().items
      expect(again.find((x: { householdId: number }) => x.householdId === room.householdId).mark).toBe('registered')
      const street = (await get('/api/v1/quarantine/today', (await staffToken(app, 'community_worker', [...DAQING, '第一网格'])).headers))
      expect(street.statusCode).toBe(200)
      expect(street.json().communityId).toBe(daqingId)
      expect((await post('/api/v1/returnees/sweep/marks', workerB, { householdId: rooms[0].householdId, mark: 'none' })).statusCode).toBe(403)
    })
  })
})
