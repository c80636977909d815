import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_RULES, verifyCode, isCardCode } from '@cc/shared'
import { lookupHash } from '../../server/src/crypto.js'
import { linkResidentsByPhone } from '../../server/src/modules/households/households.people.js'
import { CLAIMANT_PHONES } from '../../server/src/seed/register.js'
import { DEMO_RESIDENT_PHONE } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { badChecksum, compoundWithBuildings, DAQING, HAOCHENG, HAOCHENG_XINCUN, makeId, RENGANG_XINCUN } from './register-helpers.js'

let app: TestApp
let daqing: Record<string, string>
let haocheng: Record<string, string>
let street: Record<string, string>
let district: Record<string, string>
let rg: Awaited<ReturnType<typeof compoundWithBuildings>>
let hc: Awaited<ReturnType<typeof compoundWithBuildings>>

const R = '/api/v1/register'
const post = (url: string, headers: Record<string, string>, payload: object = {}) => app.inject({ method: 'POST', url, headers, payload })
const get = (url: string, headers: Record<string, string>) => app.inject({ url, headers })

beforeAll(async () => {
  app = await createTestApp()
  daqing = (await staffToken(app, 'community_worker', DAQING)).headers
  haocheng = (await staffToken(app, 'community_worker', HAOCHENG)).headers
  street = (await staffToken(app, 'street_admin', ['任港街道'])).headers
  district = (await staffToken(app, 'district_admin', [])).headers
  rg = await compoundWithBuildings(app, RENGANG_XINCUN)
  hc = await compoundWithBuildings(app, HAOCHENG_XINCUN)
})
afterAll(() => app.close2())

async function newHousehold(headers = daqing, room = String(700 + Math.floor(Math.random() * 99)), c = rg) {
  const r = await post(`${R}/households`, headers, { compoundId: c.id, buildingId: c.buildings[0]!.id, unit: 1, room })
  expect([200, 201], r.body).toContain(r.statusCode)
  return r.json() as { id: number; members: unknown[] }
}

async function addMember(householdId: number, over: Record<string, unknown> = {}, headers = daqing) {
  return post(`${R}/households/${householdId}/residents`, headers, { name: '顾海燕', idNumber: makeId(), phone: null, relation: '户主', ...over })
}

describe('register', () => {
  describe('seed', () => {
    it('has buildings and households for 任港路新村 and 濠城新村, and links the demo resident', async () => {
      expect(rg.buildings.length).toBe(24)
      expect(hc.buildings.length).toBe(12)
      const n = await app.pool.query('SELECT compound_id, count(*)::int AS n FROM households GROUP BY 1')
      expect(n.rows.length).toBe(2)
      const res = await app.pool.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE elderly_alone)::int AS alone, count(*) FILTER (WHERE no_smartphone)::int AS nophone FROM residents`)
      expect(res.rows[0].n).toBeGreaterThan(600)
      expect(res.rows[0].alone).toBeGreaterThan(10)
      expect(res.rows[0].nophone).toBeGreaterThan(10)
      const demo = await app.pool.query(
        `SELECT r.compound_id, p.status FROM residents r JOIN users u ON u.id = r.user_id JOIN passes p ON p.resident_id = r.id WHERE u.phone_hash = $1`,
        [lookupHash(app.config.hmacKey, `phone:${DEMO_RESIDENT_PHONE}`)],
      )
      expect(demo.rows).toEqual([{ compound_id: rg.id, status: 'active' }])
      const claims = await app.pool.query(`SELECT count(*)::int AS n FROM household_claims WHERE status = 'pending'`)
      expect(claims.rows[0].n).toBe(3)
    })
  })

  describe('GET /register/compounds', () => {
    it('lists the compounds in the worker’s community with their buildings', async () => {
      const r = await get(`${R}/compounds`, daqing)
      expect(r.statusCode).toBe(200)
      const items = r.json().items as { id: number; buildings: unknown[] }[]
      expect(items.find((c) => c.id === rg.id)?.buildings.length).toBeGreaterThanOrEqual(24)
      expect(items.find((c) => c.id === hc.id)).toBeUndefined()
    })
  })

  describe('households and members', () => {
    it('lists households with masked members only', async () => {
      const r = await get(`${R}/households?compoundId=${rg.id}&limit=50`, daqing)
      expect(r.statusCode).toBe(200)
      const page = r.json()
      expect(page.items.length).toBe(50)
      expect(page.nextCursor).toBeTruthy()
      const m = page.items[0].members[0]
      expect(m.nameMasked).toMatch(/^.\*+$/)
      expect(m.idMasked).toMatch(/^\d{4,6}\*{8,10}\d{3}[\dX]$/)
      expect(m).not.toHaveProperty('name')
      expect(r.body).not.toContain(DEMO_RESIDENT_PHONE)
      expect(r.body).not.toMatch(/\d{17}[\dX]/)
      const next = await get(`${R}/households?compoundId=${rg.id}&limit=50&cursor=${page.nextCursor}`, daqing)
      expect(next.json().items[0].id).toBeGreaterThan(page.items.at(-1).id)
    })

    it('creates a household once per room', async () => {
      const a = await post(`${R}/households`, daqing, { compoundId: rg.id, buildingId: rg.buildings[1]!.id, unit: 2, room: '6 0 2室' })
      expect([200, 201]).toContain(a.statusCode)
      const b = await post(`${R}/households`, daqing, { compoundId: rg.id, buildingId: rg.buildings[1]!.id, unit: 2, room: '602' })
      expect(b.statusCode).toBe(200)
      expect(b.json().id).toBe(a.json().id)
      expect(b.json().address).toBe('任港路新村2幢2单元602')
      expect((await post(`${R}/households`, daqing, { compoundId: rg.id, buildingId: hc.buildings[0]!.id, unit: 1, room: '101' })).statusCode).toBe(400)
      expect((await post(`${R}/households`, daqing, { compoundId: rg.id, buildingId: rg.buildings[0]!.id, unit: 9, room: '101' })).statusCode).toBe(400)
    })

    it('registers a member with an encrypted ID number and phone, masked in every answer, and issues a pass', async () => {
      const h = await newHousehold()
      const id = makeId()
      const phone = '13912345678'
      const r = await addMember(h.id, { idNumber: id.slice(0, 6) + ' ' + id.slice(6), phone, elderlyAlone: true, noSmartphone: true })
      expect(r.statusCode, r.body).toBe(201)
      const m = r.json()
      expect(m).toMatchObject({ nameMasked: '顾**', phoneLast4: '5678', relation: '户主', elderlyAlone: true, noSmartphone: true, passStatus: 'active' })
      expect(m.idMasked.endsWith(id.slice(-4))).toBe(true)
      expect(r.body).not.toContain(id)
      expect(r.body).not.toContain(phone)
      const hh = await get(`${R}/households/${h.id}`, daqing)
      expect(hh.body).not.toContain(id)
      expect(hh.body).not.toContain(phone)
      expect(hh.body).not.toContain('顾海燕')
      const row = await app.pool.query(
        `SELECT r.id_enc, r.id_hash, r.phone_enc, p.status, p.valid_until - now() > interval '179 days' AS long FROM residents r JOIN passes p ON p.resident_id = r.id WHERE r.id = $1`,
        [m.id],
      )
      expect(row.rows[0].id_enc.toString('latin1')).not.toContain(id)
      expect(row.rows[0].phone_enc.toString('latin1')).not.toContain(phone)
      expect(row.rows[0].id_hash).toBe(lookupHash(app.config.hmacKey, `id:${id}`))
      expect(row.rows[0]).toMatchObject({ status: 'active', long: true })
      const audit = await app.pool.query(`SELECT detail::text FROM audit_log WHERE target_type = 'resident' AND target_id = $1`, [String(m.id)])
      expect(audit.rows.length).toBe(1)
      expect(audit.rows[0].detail).not.toContain(id)
    })

    it('refuses an ID number with a wrong check character, in Chinese', async () => {
      const h = await newHousehold()
      const r = await addMember(h.id, { idNumber: badChecksum(makeId()) })
      expect(r.statusCode).toBe(400)
      expect(r.json().detail).toContain('校验位')
    })

    it('refuses the same person twice with 409 naming where they live', async () => {
      const id = makeId()
      const a = await newHousehold(daqing, '711')
      expect((await addMember(a.id, { idNumber: id })).statusCode).toBe(201)
      const b = await newHousehold(daqing, '712')
      const r = await addMember(b.id, { idNumber: id.toLowerCase() })
      expect(r.statusCode).toBe(409)
      expect(r.json().detail).toBe('此人已登记在任港路新村1幢1单元711，请先在原住户办理迁出')
      // A worker of another community learns only that the person lives elsewhere.
      const c = await newHousehold(haocheng, '713', hc)
      const other = await addMember(c.id, { idNumber: id }, haocheng)
      expect(other.statusCode).toBe(409)
      expect(other.json().detail).toContain('其他社区')
      expect(other.body).not.toContain('任港路新村')
    })

    it('finds households by last 4 phone digits and by part of a name', async () => {
      const h = await newHousehold(daqing, '721')
      await addMember(h.id, { name: '缪思远', phone: '13955554321' })
      const byPhone = await get(`${R}/households?compoundId=${rg.id}&q=4321`, daqing)
      expect(byPhone.json().items.map((x: { id: number }) => x.id)).toContain(h.id)
      const byName = await get(`${R}/households?compoundId=${rg.id}&q=${encodeURIComponent('缪*远')}`, daqing)
      expect(byName.json().items.map((x: { id: number }) => x.id)).toContain(h.id)
      const byRoom = await get(`${R}/households?compoundId=${rg.id}&buildingId=${rg.buildings[0]!.id}&room=721`, daqing)
      expect(byRoom.json().items.map((x: { id: number }) => x.id)).toEqual([h.id])
    })

    it('edits a member and moves them out, revoking the pass; the person can then register elsewhere', async () => {
      const id = makeId()
      const h = await newHousehold(daqing, '731')
      const m = (await addMember(h.id, { idNumber: id })).json()
      const p = await app.inject({ method: 'PATCH', url: `${R}/residents/${m.id}`, headers: daqing, payload: { phone: '13700001111', relation: '配偶', disabled: true } })
      expect(p.statusCode, p.body).toBe(200)
      expect(p.json()).toMatchObject({ phoneLast4: '1111', relation: '配偶', disabled: true })
      const out = await post(`${R}/residents/${m.id}/move-out`, daqing, { date: '2026-11-01', reason: '搬至外地居住' })
      expect(out.statusCode, out.body).toBe(200)
      expect(out.json()).toMatchObject({ movedOut: '2026-11-01', passStatus: 'revoked' })
      expect((await post(`${R}/residents/${m.id}/move-out`, daqing, { date: '2026-11-02', reason: '再次迁出' })).statusCode).toBe(409)
      expect((await app.inject({ method: 'PATCH', url: `${R}/residents/${m.id}`, headers: daqing, payload: { relation: '户主' } })).statusCode).toBe(409)
      const a = await app.pool.query(`SELECT action, detail->>'to' AS "to" FROM audit_log WHERE target_type = 'pass' AND target_id = $1`, [String(m.passId)])
      expect(a.rows).toEqual([{ action: 'pass.revoke', to: 'revoked' }])
      const h2 = await newHousehold(daqing, '732')
      expect((await addMember(h2.id, { idNumber: id })).statusCode).toBe(201)
    })

    it('links a member to the account that logs in with their phone', async () => {
      const phone = '13711112222'
      const login = await residentLogin(app, phone)
      const h = await newHousehold(daqing, '741')
      const m = (await addMember(h.id, { phone })).json()
      expect(m.linked).toBe(true)
      const r = await app.pool.query('SELECT user_id FROM residents WHERE id = $1', [m.id])
      expect(r.rows[0].user_id).toBe(login.userId)
      // Registered first, logged in later: the SMS login links it (auth calls linkResidentsByPhone).
      const phone2 = '13711113333'
      const m2 = (await addMember(h.id, { phone: phone2, relation: '子女' })).json()
      expect(m2.linked).toBe(false)
      const login2 = await residentLogin(app, phone2)
      expect((await app.pool.query('SELECT user_id FROM residents WHERE id = $1', [m2.id])).rows[0].user_id).toBe(login2.userId)
      // Linking again finds nothing left to link.
      expect(await linkResidentsByPhone(app.db, login2.userId, lookupHash(app.config.hmacKey, `phone:${phone2}`))).toEqual([])
    })
  })

  describe('buildings', () => {
    it('a worker adds a building once; a street admin and another community cannot', async () => {
      const name = `${90 + Math.floor(Math.random() * 9)}`
      const a = await post(`${R}/buildings`, daqing, { compoundId: rg.id, name, units: 2 })
      expect(a.statusCode, a.body).toBe(201)
      expect(a.json()).toMatchObject({ name: `${name}幢`, units: 2 })
      const again = await post(`${R}/buildings`, daqing, { compoundId: rg.id, name: `${name}幢`, units: 3 })
      expect(again.statusCode).toBe(200)
      expect(again.json()).toMatchObject({ id: a.json().id, units: 3 })
      const list = (await get(`${R}/compounds`, daqing)).json().items.find((c: { id: number }) => c.id === rg.id)
      expect(list.buildings.filter((b: { name: string }) => b.name === `${name}幢`)).toHaveLength(1)
      expect((await post(`${R}/buildings`, haocheng, { compoundId: rg.id, name: '99', units: 1 })).statusCode).toBe(403)
      expect((await post(`${R}/buildings`, street, { compoundId: rg.id, name: '99', units: 1 })).statusCode).toBe(403)
      expect((await post(`${R}/buildings`, daqing, { compoundId: rg.id, name: '  ', units: 1 })).statusCode).toBe(400)
    })
  })

  describe('scope', () => {
    it('keeps a 濠城社区 worker out of 大庆社区 households, members and passes', async () => {
      const h = await newHousehold(daqing, '751')
      const m = (await addMember(h.id)).json()
      expect((await get(`${R}/households/${h.id}`, haocheng)).statusCode).toBe(403)
      expect((await get(`${R}/households?compoundId=${rg.id}`, haocheng)).statusCode).toBe(403)
      expect((await addMember(h.id, {}, haocheng)).statusCode).toBe(403)
      expect((await app.inject({ method: 'PATCH', url: `${R}/residents/${m.id}`, headers: haocheng, payload: { relation: '其他' } })).statusCode).toBe(403)
      expect((await post(`${R}/residents/${m.id}/move-out`, haocheng, { date: '2026-11-01', reason: '越权尝试' })).statusCode).toBe(403)
      expect((await post(`/api/v1/passes/${m.passId}/suspend`, haocheng, { reason: '越权尝试' })).statusCode).toBe(403)
      expect((await post('/api/v1/passes/cards', haocheng, { passIds: [m.passId] })).statusCode).toBe(403)
      expect((await post(`${R}/households`, haocheng, { compoundId: rg.id, buildingId: rg.buildings[0]!.id, unit: 1, room: '101' })).statusCode).toBe(403)
      const list = await get(`${R}/compounds`, haocheng)
      expect(list.json().items.map((c: { id: number }) => c.id)).not.toContain(rg.id)
    })

    it('lets the street and the district read but not write', async () => {
      const h = await newHousehold(daqing, '752')
      expect((await get(`${R}/households/${h.id}`, street)).statusCode).toBe(200)
      expect((await get(`${R}/households/${h.id}`, district)).statusCode).toBe(200)
      expect((await get(`${R}/households?compoundId=${hc.id}`, street)).statusCode).toBe(403)
      expect((await addMember(h.id, {}, street)).statusCode).toBe(403)
      expect((await addMember(h.id, {}, district)).statusCode).toBe(403)
    })
  })

  describe('passes', () => {
    it('suspends, restores and revokes with a reason, audited, and refuses illegal changes with 409', async () => {
      const h = await newHousehold(daqing, '761')
      const m = (await addMember(h.id)).json()
      const P = `/api/v1/passes/${m.passId}`
      const before = (await app.pool.query('SELECT updated_at FROM passes WHERE id = $1', [m.passId])).rows[0].updated_at
      expect((await post(`${P}/restore`, daqing, { reason: '无需恢复' })).statusCode).toBe(409)
      const s = await post(`${P}/suspend`, daqing, { reason: '居家隔离' })
      expect(s.statusCode, s.body).toBe(200)
      expect(s.json()).toMatchObject({ status: 'suspended', statusReason: '居家隔离' })
      const after = (await app.pool.query('SELECT updated_at FROM passes WHERE id = $1', [m.passId])).rows[0].updated_at
      expect(after.getTime()).toBeGreaterThan(before.getTime())
      const again = await post(`${P}/suspend`, daqing, { reason: '再次暂停' })
      expect(again.statusCode).toBe(409)
      expect(again.json().detail).toContain('暂停')
      expect((await post(`${P}/restore`, daqing, { reason: '隔离期满' })).json().status).toBe('active')
      expect((await post(`${P}/revoke`, daqing, { reason: '身份冒用' })).json().status).toBe('revoked')
      const restore = await post(`${P}/restore`, daqing, { reason: '误操作' })
      expect(restore.statusCode).toBe(409)
      expect(restore.json().detail).toContain('已注销')
      expect((await post(`${P}/suspend`, daqing, { reason: '误操作' })).statusCode).toBe(409)
      const a = await app.pool.query(`SELECT action, detail->>'from' AS "from", detail->>'to' AS "to", detail->>'reason' AS reason, actor_role FROM audit_log WHERE target_type = 'pass' AND target_id = $1 ORDER BY id`, [String(m.passId)])
      expect(a.rows).toEqual([
        { action: 'pass.suspend', from: 'active', to: 'suspended', reason: '居家隔离', actor_role: 'community_worker' },
        { action: 'pass.restore', from: 'suspended', to: 'active', reason: '隔离期满', actor_role: 'community_worker' },
        { action: 'pass.revoke', from: 'active', to: 'revoked', reason: '身份冒用', actor_role: 'community_worker' },
      ])
    })

    it('lists a compound’s passes, filtered by status', async () => {
      const r = await get(`/api/v1/passes?compoundId=${rg.id}&status=suspended`, daqing)
      expect(r.statusCode).toBe(200)
      expect(r.json().items.length).toBeGreaterThan(0)
      expect(r.json().items.every((p: { status: string }) => p.status === 'suspended')).toBe(true)
      expect((await get(`/api/v1/passes?compoundId=${rg.id}`, haocheng)).statusCode).toBe(403)
    })

    it('prints cards whose QR is a signed card credential; a reprint revokes the old card', async () => {
      const h = await newHousehold(daqing, '771')
      const m = (await addMember(h.id, { noSmartphone: true })).json()
      const r = await post('/api/v1/passes/cards', daqing, { passIds: [m.passId] })
      expect(r.statusCode, r.body).toBe(200)
      const card = r.json().items[0]
      expect(card).toMatchObject({ passId: m.passId, nameMasked: '顾**', compoundName: '任港路新村', address: '1幢1单元771' })
      expect(isCardCode(card.code)).toBe(true)
      const keys = await app.services.signer.keysForVerify()
      const v = await verifyCode(card.qr, keys, Math.floor(Date.now() / 1000), DEFAULT_RULES)
      expect(v.ok).toBe(true)
      if (v.ok) expect(v.payload).toMatchObject({ pid: m.passId, cid: rg.id, k: 'card', cc: card.code })
      const again = (await post('/api/v1/passes/cards', daqing, { passIds: [m.passId] })).json().items[0]
      expect(again.code).not.toBe(card.code)
      const cards = await app.pool.query('SELECT code, revoked_at IS NOT NULL AS revoked FROM pass_cards WHERE pass_id = $1 ORDER BY id', [m.passId])
      expect(cards.rows).toEqual([
        { code: card.code, revoked: true },
        { code: again.code, revoked: false },
      ])
      const listed = await get(`/api/v1/passes?compoundId=${rg.id}&noSmartphone=true&limit=100`, daqing)
      expect(listed.json().items.find((p: { id: number }) => p.id === m.passId)).toMatchObject({ hasCard: true, hasDevice: false })
      await post(`/api/v1/passes/${m.passId}/suspend`, daqing, { reason: '暂停制卡测试' })
      expect((await post('/api/v1/passes/cards', daqing, { passIds: [m.passId] })).statusCode).toBe(409)
    })
  })

  describe('claims', () => {
    it('lets a resident claim a household once; a worker of that community approves; the resident is linked, gets a pass and a message', async () => {
      const res = await residentLogin(app, '13722223333')
      const compounds = await get(`/api/v1/me/register/compounds?q=${encodeURIComponent('任港')}`, res.headers)
      expect(compounds.statusCode).toBe(200)
      const c = compounds.json().items.find((x: { id: number }) => x.id === rg.id)
      // 1–24幢 from the seed (a test above may have added one).
      expect(c.buildings.length).toBeGreaterThanOrEqual(24)
      const id = makeId()
      const body = { compoundId: rg.id, buildingId: c.buildings[2].id, unit: 1, room: '781', name: '季晓燕', idNumber: id, relation: '配偶' }
      const a = await post('/api/v1/me/household-claims', res.headers, body)
      expect(a.statusCode, a.body).toBe(201)
      expect(a.body).not.toContain(id)
      const b = await post('/api/v1/me/household-claims', res.headers, body)
      expect(b.statusCode).toBe(200)
      expect(b.json().id).toBe(a.json().id)
      expect((await post('/api/v1/me/household-claims', res.headers, { ...body, room: '782' })).statusCode).toBe(409)
      expect((await post('/api/v1/me/household-claims', res.headers, { ...body, idNumber: badChecksum(id) })).statusCode).toBe(400)

      const list = await get(`${R}/claims?status=pending`, daqing)
      expect(list.json().items.map((x: { id: number }) => x.id)).toContain(a.json().id)
      expect(list.body).not.toContain('季晓燕')
      expect((await get(`${R}/claims?status=pending`, haocheng)).json().items.map((x: { id: number }) => x.id)).not.toContain(a.json().id)
      expect((await post(`${R}/claims/${a.json().id}/approve`, haocheng)).statusCode).toBe(403)

      const ok = await post(`${R}/claims/${a.json().id}/approve`, daqing)
      expect(ok.statusCode, ok.body).toBe(200)
      expect(ok.json()).toMatchObject({ status: 'approved', existing: 'same_household' })
      const r = await app.pool.query(`SELECT r.user_id, r.relation, r.phone_last4, p.status FROM residents r JOIN passes p ON p.resident_id = r.id WHERE r.id = $1`, [ok.json().residentId])
      expect(r.rows[0]).toEqual({ user_id: res.userId, relation: '配偶', phone_last4: '3333', status: 'active' })
      const msg = await app.pool.query(`SELECT title FROM messages WHERE user_id = $1`, [res.userId])
      expect(msg.rows.map((x) => x.title)).toContain('住户认领已通过')
      expect((await post(`${R}/claims/${a.json().id}/approve`, daqing)).statusCode).toBe(409)
      const mine = await get('/api/v1/me/household-claims', res.headers)
      expect(mine.json().items[0]).toMatchObject({ status: 'approved', address: '任港路新村3幢1单元781' })
    })

    it('approving a claim for a person the worker registered links that row instead of adding one', async () => {
      const claimant = await residentLogin(app, CLAIMANT_PHONES[0]!)
      const [claim] = (await get('/api/v1/me/household-claims', claimant.headers)).json().items
      // Whether the ID number is registered is the deciding worker's hint, never told to the claimant.
      expect(claim.existing).toBeNull()
      const pending = (await get(`${R}/claims?status=pending&limit=50`, daqing)).json().items
      expect(pending.find((c: { id: number }) => c.id === claim.id).existing).toBe('same_household')
      const before = (await app.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n
      const ok = await post(`${R}/claims/${claim.id}/approve`, daqing)
      expect(ok.statusCode, ok.body).toBe(200)
      expect((await app.pool.query('SELECT count(*)::int AS n FROM residents')).rows[0].n).toBe(before)
      expect((await app.pool.query('SELECT user_id FROM residents WHERE id = $1', [ok.json().residentId])).rows[0].user_id).toBe(claimant.userId)
    })

    it('refuses a claim with a reason the resident is told', async () => {
      const claimant = await residentLogin(app, CLAIMANT_PHONES[2]!)
      const [claim] = (await get('/api/v1/me/household-claims', claimant.headers)).json().items
      expect((await post(`${R}/claims/${claim.id}/refuse`, daqing, { reason: '越权' })).statusCode).toBe(403)
      const r = await post(`${R}/claims/${claim.id}/refuse`, haocheng, { reason: '经核实不是本户成员' })
      expect(r.statusCode, r.body).toBe(200)
      expect(r.json()).toMatchObject({ status: 'refused', reason: '经核实不是本户成员' })
      const msg = await app.pool.query(`SELECT body FROM messages WHERE user_id = $1`, [claimant.userId])
      expect(msg.rows[0].body).toContain('经核实不是本户成员')
      // Refused: a new claim may be filed.
      const again = await post('/api/v1/me/household-claims', claimant.headers, {
        compoundId: hc.id,
        buildingId: hc.buildings[0]!.id,
        unit: 1,
        room: '101',
        name: '曹宇航',
        idNumber: makeId(),
        relation: '子女',
      })
      expect(again.statusCode).toBe(201)
    })
  })
})
