import type { Role } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import type { TestApp } from '../helper.js'
import { DAQING, RENGANG_XINCUN, makeId } from './register-helpers.js'

/**
 * A returnee in 大庆社区 registered by the given resident and placed in home quarantine by a worker there,
 * with its slot, NAT, an alert and a site run by 任港街道: ids the sweeps can use inside every role's scope.
 */
export async function quarantineFixtures(app: TestApp, headers: Record<Role, Record<string, string>>, n = 9000) {
  const compound = await findOrgByNames(app.db, RENGANG_XINCUN)
  const community = await findOrgByNames(app.db, DAQING)
  const street = await findOrgByNames(app.db, DAQING.slice(0, 1))
  const reg = await app.inject({
    method: 'POST',
    url: '/api/v1/me/returnees',
    headers: headers.resident,
    payload: {
      forSelf: true,
      name: '夹具返乡',
      idNumber: makeId(n),
      compoundId: compound.id,
      address: '1幢101室',
      trip: { provinceCode: '420000', cityCode: '420100', districtCode: '420102', originName: '湖北省武汉市江岸区', arrivedOn: '2026-11-20', transport: 'car', keyContact: false },
    },
  })
  if (reg.statusCode >= 300) throw new Error(`fixture registration failed: ${reg.body}`)
  const { id: returneeId, caseId } = reg.json().returnee as { id: number; caseId: number }
  await app.pool.query(`UPDATE quarantine_cases SET state = 'home', start_on = current_date, end_on = current_date + 13 WHERE id = $1`, [caseId])
  await app.pool.query(`UPDATE returnees SET state = 'home' WHERE id = $1`, [returneeId])
  const q = async (text: string, values: unknown[]) => (await app.pool.query(text, values)).rows[0]
  const f = await q(`INSERT INTO followup_slots (case_id, community_id, slot_date, slot, opens_at, due_at) VALUES ($1, $2, current_date, 'am', now() - interval '1 hour', now() + interval '1 hour') RETURNING id`, [caseId, community.id])
  const t = await q(`INSERT INTO nat_tests (case_id, community_id, due_on) VALUES ($1, $2, current_date) RETURNING id`, [caseId, community.id])
  const a = await q(`INSERT INTO quarantine_alerts (case_id, returnee_id, community_id, kind, text) VALUES ($1, $2, $3, 'fever', '夹具预警') RETURNING id`, [caseId, returneeId, community.id])
  const s = await q(`INSERT INTO quarantine_sites (org_id, name, address, rooms, capacity) VALUES ($1, $2, '夹具地址', 10, 10) RETURNING id`, [street.id, `夹具隔离点${n}`])
  return { communityId: community.id, returneeId, caseId, slotId: f.id as number, natId: t.id as number, alertId: a.id as number, siteId: s.id as number }
}
