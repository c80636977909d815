import { sql } from 'drizzle-orm'
import { STATE_LABELS, riskOf, type KeyArea, type QuarantineState, type Risk } from '@cc/shared'
import type { DbOrTx } from '../../db/client.js'
import { badRequest, notFound } from '../../errors.js'
import type { ReturneeView } from './returnees.schemas.js'

/** Where a compound sits: its community (grid's parent) and street, with the community's path. */
export async function placeOfCompound(tx: DbOrTx, compoundId: number) {
  const r = await tx.execute(sql`
    SELECT c.id AS "compoundId", c.name AS "compoundName", cm.id AS "communityId", cm.path, cm.parent_id AS "streetId"
    FROM org_units c JOIN org_units g ON g.id = c.parent_id JOIN org_units cm ON cm.id = g.parent_id
    WHERE c.id = ${compoundId} AND c.kind = 'compound' AND cm.kind = 'community'`)
  const row = r.rows[0] as { compoundId: number; compoundName: string; communityId: number; path: string; streetId: number } | undefined
  if (!row) throw badRequest('请选择所住的小区')
  return row
}

export async function placeOfCommunity(tx: DbOrTx, communityId: number) {
  const r = await tx.execute(sql`SELECT id AS "communityId", path, parent_id AS "streetId" FROM org_units WHERE id = ${communityId} AND kind = 'community'`)
  const row = r.rows[0] as { communityId: number; path: string; streetId: number } | undefined
  if (!row) throw badRequest('请选择社区')
  return row
}

/** The key-area list as it stands (current rows; each carries its own validity window). */
export async function currentKeyAreas(tx: DbOrTx): Promise<KeyArea[]> {
  const r = await tx.execute(sql`SELECT level, code, risk, valid_from AS "validFrom", valid_until AS "validUntil" FROM key_areas WHERE retired_at IS NULL`)
  return r.rows as unknown as KeyArea[]
}

export async function riskOfTrip(tx: DbOrTx, t: { provinceCode: string; cityCode?: string | null; districtCode?: string | null; arrivedOn: string }): Promise<Risk> {
  return riskOf(await currentKeyAreas(tx), t, t.arrivedOn)
}

/**
 * The columns every returnee view is built from: the person (masked), the community, the current case and
 * the latest trip — one statement, no query per row.
 */
export const VIEW_SELECT = sql`
  r.id, r.community_id AS "communityId", cm.name AS "communityName", r.name_masked AS "nameMasked", r.id_masked AS "idMasked",
  r.phone_last4 AS "phoneLast4", r.address, r.elderly, r.no_smartphone AS "noSmartphone", r.resident_id AS "residentId",
  r.state, r.current_case_id AS "caseId", qc.end_on AS "endOn",
  (SELECT to_jsonb(x) FROM (
     SELECT t.id, t.origin_name AS "originName", t.province_code AS "provinceCode", t.city_code AS "cityCode", t.district_code AS "districtCode",
       t.route, t.departed_on AS "departedOn", t.arrived_on AS "arrivedOn", t.transport, t.transport_no AS "transportNo", t.key_contact AS "keyContact",
       t.health_color AS "healthColor", t.travel_card_upload_id IS NOT NULL AS "hasTravelCard",
       '/api/v1/uploads/' || t.travel_card_upload_id || '/full' AS "travelCardUrl", '/api/v1/uploads/' || t.travel_card_upload_id || '/thumb' AS "travelCardThumbUrl", t.risk, t.source,
       t.reviewed_at IS NOT NULL AS reviewed, t.registrations, t.created_at AS "createdAt"
     FROM returnee_trips t WHERE t.returnee_id = r.id ORDER BY t.arrived_on DESC, t.id DESC LIMIT 1) x) AS "lastTrip"
  FROM returnees r JOIN org_units cm ON cm.id = r.community_id LEFT JOIN quarantine_cases qc ON qc.id = r.current_case_id`

export function toView(row: Record<string, unknown>): ReturneeView {
  const lastTrip = row.lastTrip as (ReturneeView['lastTrip'] & { createdAt: string }) | null
  const state = row.state as QuarantineState
  return {
    ...(row as unknown as ReturneeView),
    stateLabel: STATE_LABELS[state],
    risk: lastTrip?.risk ?? 'none',
    endOn: (row.endOn as string | null) ?? null,
    lastTrip: lastTrip ? { ...lastTrip, createdAt: new Date(lastTrip.createdAt).toISOString() } : null,
  }
}

export async function returneeView(tx: DbOrTx, id: number): Promise<ReturneeView> {
  const r = await tx.execute(sql`SELECT ${VIEW_SELECT} WHERE r.id = ${id}`)
  const row = r.rows[0] as Record<string, unknown> | undefined
  if (!row) throw notFound('返乡人员')
  return toView(row)
}
