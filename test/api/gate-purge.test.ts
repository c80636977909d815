import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureGatePartitions, purgeGateChecks } from '../../server/src/jobs/gate.js'
import { encrypt } from '../../server/src/crypto.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, staffToken, type TestApp } from '../helper.js'
import { RENGANG_XINCUN } from './flow.js'

const DAY = 86400_000
let app: TestApp
let gateId = 0
let compoundId = 0
let keeperId = 0

/** A check (and its exactly-once key) made `daysAgo` days before the real now. */
async function checkAt(daysAgo: number, caseHold = false) {
  const clientId = randomUUID()
  const at = new Date(Date.now() - daysAgo * DAY).toISOString()
  await app.pool.query(
    `WITH c AS (
       INSERT INTO gate_checks (checked_at, client_id, client_time, gate_id, compound_id, gatekeeper_id, direction, subject_kind, verdict, reasons, rule_version, case_hold)
       VALUES ($1, $2, $1, $3, $4, $5, 'in', 'none', $6, $7, 1, $8) RETURNING id, checked_at, client_id, verdict, reasons)
     INSERT INTO gate_check_keys (client_id, checked_at, check_id, verdict, reasons) SELECT client_id, checked_at, id, verdict, reasons FROM c`,
    [at, clientId, gateId, compoundId, keeperId, caseHold ? 'deny' : 'register', caseHold ? ['red_code'] : ['not_resident'], caseHold],
  )
  return clientId
}

async function visitorAt(daysAgo: number) {
  const r = await app.pool.query<{ id: number }>(
    `INSERT INTO visitors (client_id, compound_id, gate_id, name, name_masked, phone_enc, phone_hash, phone_last4, purpose, origin, in_at, created_by)
     VALUES ($1, $2, $3, '王五', '王*', $4, 'h', '0000', '探亲', '南通', $5, $6) RETURNING id`,
    [randomUUID(), compoundId, gateId, encrypt(app.config.dataKey, '13800000000'), new Date(Date.now() - daysAgo * DAY).toISOString(), keeperId],
  )
  return r.rows[0]!.id
}

const exists = async (clientId: string) =>
  (await app.pool.query(`SELECT (SELECT count(*) FROM gate_checks WHERE client_id = $1)::int AS c, (SELECT count(*) FROM gate_check_keys WHERE client_id = $1)::int AS k`, [clientId])).rows[0] as { c: number; k: number }

beforeAll(async () => {
  app = await createTestApp()
  gateId = (await findOrgByNames(app.db, [...RENGANG_XINCUN, '东门'])).id
  compoundId = (await findOrgByNames(app.db, RENGANG_XINCUN)).id
  keeperId = (await staffToken(app, 'gatekeeper', RENGANG_XINCUN)).userId
})
afterAll(() => app.close2())

describe('gate check retention (28 days)', () => {
  it('keeps checks until they are 28 days old, then deletes them with their keys — unless held for a case', async () => {
    const recent = await checkAt(10)
    const held = await checkAt(10, true)
    const old = await checkAt(40)
    const visitorRecent = await visitorAt(10)
    const visitorOld = await visitorAt(40)

    const today = await purgeGateChecks(app.db, new Date())
    expect(today.checks).toBeGreaterThanOrEqual(1)
    expect(await exists(old)).toEqual({ c: 0, k: 0 })
    expect(await exists(recent)).toEqual({ c: 1, k: 1 })
    expect((await app.pool.query('SELECT id FROM visitors WHERE id = ANY($1)', [[visitorRecent, visitorOld]])).rows.map((r) => r.id)).toEqual([visitorRecent])

    // The clock moves on 20 days: the 10-day-old check is now 30 days old.
    const later = await purgeGateChecks(app.db, new Date(Date.now() + 20 * DAY))
    expect(later.checks).toBeGreaterThanOrEqual(1)
    expect(await exists(recent)).toEqual({ c: 0, k: 0 })
    expect(await exists(held)).toEqual({ c: 1, k: 1 })
    expect((await app.pool.query('SELECT count(*)::int AS n FROM visitors WHERE id = $1', [visitorRecent])).rows[0].n).toBe(0)
  })

  it('creates the coming months’ partitions ahead of time, idempotently', async () => {
    const future = new Date(Date.now() + 200 * DAY)
    const made = await ensureGatePartitions(app.db, future)
    expect(made).toBeGreaterThan(0)
    expect(await ensureGatePartitions(app.db, future)).toBe(0)
    const month = new Date(future.getTime() + 8 * 3600_000).toISOString().slice(0, 7).replace('-', '')
    expect((await app.pool.query('SELECT to_regclass($1) IS NOT NULL AS ok', [`gate_checks_${month}`])).rows[0].ok).toBe(true)
  })
})
