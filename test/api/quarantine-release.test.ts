/**
 * Release conditions on real data (an old fever does not block, a recent one does) and one definition of an
 * overdue slot shared by the job, the worker's today list and the street's summary, at moved clocks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { beijingDate } from '@cc/shared'
import { markOverdueFollowups, proposeReleases } from '../../server/src/jobs/quarantine.js'
import { todayList, todaySummary } from '../../server/src/modules/quarantine/quarantine.today.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { DAQING, RENGANG_XINCUN, makeId } from './register-helpers.js'

let app: TestApp
let worker: Record<string, string>
let resident: Record<string, string>
let compoundId = 0
let daqingId = 0
let daqingPath = ''
let idn = 8100

const trip = { provinceCode: '420000', cityCode: '420100', districtCode: '420102', originName: '湖北省武汉市江岸区', route: '武汉—南通', departedOn: '2026-11-20', arrivedOn: '2026-11-21', transport: 'train', transportNo: 'G1234', keyContact: false, healthColor: 'green' }
const post = (url: string, h: Record<string, string>, payload: object = {}) => app.inject({ method: 'POST', url, headers: h, payload })
const get = (url: string, h: Record<string, string>) => app.inject({ method: 'GET', url, headers: h })

async function placedHome() {
  const r = await post('/api/v1/me/returnees', resident, { forSelf: true, name: '顾海峰', idNumber: makeId(++idn), phone: '13700002222', compoundId, address: '5幢302室', trip })
  expect(r.statusCode, r.body).toBeLessThan(300)
  const caseId = r.json().returnee.caseId as number
  expect((await post(`/api/v1/quarantine/cases/${caseId}/decide`, worker, { measure: 'home', reason: '居家隔离' })).statusCode).toBe(200)
  return caseId
}

/** Fourteen days cannot pass in a test: the period moves back 13 days, so today is its end date. */
async function backdate(caseId: number) {
  await app.pool.query(`UPDATE quarantine_cases SET start_on = start_on - 13, end_on = end_on - 13, started_at = started_at - interval '13 days' WHERE id = $1`, [caseId])
  await app.pool.query(`UPDATE followup_slots SET slot_date = slot_date - 10000 WHERE case_id = $1`, [caseId])
  await app.pool.query(`UPDATE followup_slots SET slot_date = slot_date + 9987, opens_at = opens_at - interval '13 days', due_at = due_at - interval '13 days' WHERE case_id = $1`, [caseId])
  await app.pool.query(`UPDATE nat_tests SET due_on = due_on - 13 WHERE case_id = $1`, [caseId])
}

/** The past slots (deadline reached), oldest first. */
const pastSlots = async (caseId: number) =>
  (await app.pool.query<{ id: number }>(`SELECT id FROM followup_slots WHERE case_id = $1 AND due_at <= now() ORDER BY due_at`, [caseId])).rows.map((x) => x.id)

async function fillAll(caseId: number, feverAt: (i: number, n: number) => boolean) {
  const ids = await pastSlots(caseId)
  expect(ids.length).toBeGreaterThanOrEqual(20)
  for (const [i, id] of ids.entries()) {
    const r = await post(`/api/v1/quarantine/followups/${id}`, worker, feverAt(i, ids.length) ? { temperature: 38.1, symptoms: [] } : { temperature: 36.5, symptoms: [] })
    expect(r.statusCode, r.body).toBe(200)
  }
  const nats = (await app.pool.query<{ id: number }>(`SELECT id FROM nat_tests WHERE case_id = $1 AND due_on <= $2::date`, [caseId, beijingDate(new Date())])).rows
  for (const n of nats) expect((await post(`/api/v1/quarantine/nats/${n.id}`, worker, { result: 'negative' })).statusCode).toBe(200)
}

const handleAlerts = async (caseId: number) => {
  const open = (await app.pool.query<{ id: number }>(`SELECT id FROM quarantine_alerts WHERE case_id = $1 AND handled_at IS NULL`, [caseId])).rows
  for (const a of open) expect((await post(`/api/v1/quarantine/alerts/${a.id}/handle`, worker, { note: '上门复测 36.6 ℃' })).statusCode).toBe(200)
}
const release = async (caseId: number) => (await get(`/api/v1/quarantine/cases/${caseId}`, worker)).json().release as { ready: boolean; unmet: { code: string }[] }
const proposed = async (caseId: number) => (await app.pool.query(`SELECT release_proposed_at IS NOT NULL AS p FROM quarantine_cases WHERE id = $1`, [caseId])).rows[0].p as boolean

beforeAll(async () => {
  app = await createTestApp()
  worker = (await staffToken(app, 'community_worker', DAQING)).headers
  resident = (await residentLogin(app, '13700002222')).headers
  compoundId = (await findOrgByNames(app.db, RENGANG_XINCUN)).id
  const d = await findOrgByNames(app.db, DAQING)
  daqingId = d.id
  daqingPath = (await app.pool.query(`SELECT path FROM org_units WHERE id = $1`, [daqingId])).rows[0].path
})
afterAll(() => app.close2())

describe('release conditions on real cases', () => {
  it('a fever on day 3, handled and followed by normal readings, does not block the release at the end', async () => {
    const caseId = await placedHome()
    await backdate(caseId)
    await fillAll(caseId, (i) => i === 4 || i === 5)
    let r = await release(caseId)
    expect(r.unmet.map((u) => u.code)).toEqual(['no_open_alert'])
    await handleAlerts(caseId)
    r = await release(caseId)
    expect(r, JSON.stringify(r)).toMatchObject({ ready: true, unmet: [] })
    await proposeReleases(app.db)
    expect(await proposed(caseId)).toBe(true)
    const rel = await post(`/api/v1/quarantine/cases/${caseId}/release`, worker)
    expect(rel.statusCode, rel.body).toBe(200)
  })

  it('a fever in the last day blocks it even once the alert is handled; a normal re-check of a later slot does not lift it until a full day is normal', async () => {
    const caseId = await placedHome()
    await backdate(caseId)
    await fillAll(caseId, (i, n) => i === n - 1)
    await handleAlerts(caseId)
    const r = await release(caseId)
    expect(r.ready).toBe(false)
    expect(r.unmet.map((u) => u.code)).toEqual(['recent_followups_normal'])
    await proposeReleases(app.db)
    expect(await proposed(caseId)).toBe(false)
    const blocked = await post(`/api/v1/quarantine/cases/${caseId}/release`, worker)
    expect(blocked.statusCode).toBe(409)
    expect(blocked.json().detail).toContain('最近 2 次随访已报且正常')
  })

  it('an open alert blocks it', async () => {
    const caseId = await placedHome()
    await backdate(caseId)
    await fillAll(caseId, () => false)
    expect((await release(caseId)).ready).toBe(true)
    await app.pool.query(`INSERT INTO quarantine_alerts (case_id, returnee_id, community_id, kind, text) SELECT id, returnee_id, community_id, 'gate', '试图外出' FROM quarantine_cases WHERE id = $1`, [caseId])
    expect((await release(caseId)).unmet.map((u) => u.code)).toEqual(['no_open_alert'])
  })
})

describe('one definition of an overdue slot', () => {
  it('the job, the today list and the street summary agree at every moved clock, the deadline itself included', async () => {
    const caseId = await placedHome()
    const slots = (await app.pool.query<{ id: number; due_at: Date }>(`SELECT id, due_at FROM followup_slots WHERE case_id = $1 ORDER BY due_at`, [caseId])).rows
    const first = slots[0]!.due_at.getTime()
    const clocks = [first - 1, first, first + 60_000, slots[3]!.due_at.getTime(), first + 3 * 86400_000 + 1234].map((t) => new Date(t))
    for (const clock of clocks) {
      await markOverdueFollowups(app.db, clock)
      const flagged = (
        await app.pool.query<{ id: number }>(
          `SELECT f.id FROM followup_slots f JOIN quarantine_cases qc ON qc.id = f.case_id
           WHERE f.community_id = $1 AND f.overdue AND f.recorded_at IS NULL AND qc.state IN ('home','centralised','monitoring')`,
          [daqingId],
        )
      ).rows.map((x) => x.id)
      const list = await todayList(app.db, daqingId, clock)
      const listed = list.items.filter((i) => i.kind === 'overdue').map((i) => i.targetId)
      const mineFlagged = (await app.pool.query<{ id: number }>(`SELECT id FROM followup_slots WHERE case_id = $1 AND overdue ORDER BY id`, [caseId])).rows.map((x) => x.id)
      const mineListed = list.items.filter((i) => i.kind === 'overdue' && i.caseId === caseId).map((i) => i.targetId).sort((a, b) => a - b)
      // The list is capped per kind (200, oldest first); with the clock days ahead the seed's slots fill it.
      if (flagged.length <= 200) expect(mineListed, clock.toISOString()).toEqual(mineFlagged)
      else expect(listed.length).toBe(200)
      for (const id of listed) expect(flagged).toContain(id)
      expect(mineFlagged, clock.toISOString()).toEqual(slots.filter((s) => s.due_at.getTime() <= clock.getTime()).map((s) => s.id).sort((a, b) => a - b))
      // A slot is never both overdue and due now.
      expect(list.items.filter((i) => i.kind === 'due_now' && mineFlagged.includes(i.targetId))).toEqual([])
      if (flagged.length <= 200) expect(new Set(listed)).toEqual(new Set(flagged))
      expect(list.counts.overdue).toBe(Math.min(200, flagged.length))
      const sum = (await todaySummary(app.db, daqingPath, clock)).items.find((x) => x.communityId === daqingId)!
      expect(sum.overdue, clock.toISOString()).toBe(flagged.length)
    }
  })
})
