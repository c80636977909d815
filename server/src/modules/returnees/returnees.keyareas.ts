import { sql } from 'drizzle-orm'
import { RISK_LABELS, riskOf, riskRank, type Risk } from '@cc/shared'
import type { Db, Tx } from '../../db/client.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { raiseAlert } from '../quarantine/quarantine.followups.js'
import { currentKeyAreas } from './returnees.people.js'

export interface KeyAreaInput {
  level: 'province' | 'city' | 'district'
  code: string
  name: string
  risk: 'high' | 'medium' | 'low'
  validFrom: string
  validUntil?: string | null
  note?: string
}

const COLS = sql`id, level, code, name, risk, valid_from AS "validFrom", valid_until AS "validUntil", note, created_at AS "createdAt", retired_at AS "retiredAt", replaced_by AS "replacedBy"`
const view = (x: Record<string, unknown>) => ({ ...x, createdAt: new Date(x.createdAt as string).toISOString(), retiredAt: x.retiredAt ? new Date(x.retiredAt as string).toISOString() : null })

function check(b: KeyAreaInput) {
  const digits = b.level === 'province' ? 2 : b.level === 'city' ? 4 : 6
  // area-data pads a province's code with zeros (420000), a city's with two (420100).
  if (b.code.slice(digits) !== '0'.repeat(6 - digits) || /^0+$/.test(b.code.slice(digits - 2, digits))) throw badRequest('地区代码与级别不符')
  if (b.validUntil && b.validUntil < b.validFrom) throw badRequest('有效期结束不能早于开始')
}

/**
 * The risk of every open case's trip against the list as it now stands; a risk that went up raises an
 * alert for the community (the worker may need to change the measure). One pass, in the list's transaction.
 */
export async function recomputeRisks(tx: Tx): Promise<{ changed: number; raised: number }> {
  const areas = await currentKeyAreas(tx)
  const r = await tx.execute(sql`
    SELECT t.id, t.province_code AS "provinceCode", t.city_code AS "cityCode", t.district_code AS "districtCode", t.arrived_on AS "arrivedOn", t.risk,
      qc.id AS "caseId", qc.returnee_id AS "returneeId", qc.community_id AS "communityId", rt.name_masked AS n
    FROM quarantine_cases qc JOIN returnee_trips t ON t.id = qc.trip_id JOIN returnees rt ON rt.id = qc.returnee_id
    WHERE qc.state IN ('registered','home','centralised','monitoring')`)
  const changed: { id: number; risk: Risk }[] = []
  let raised = 0
  for (const x of r.rows as { id: number; provinceCode: string; cityCode: string | null; districtCode: string | null; arrivedOn: string; risk: Risk; caseId: number; returneeId: number; communityId: number; n: string }[]) {
    const risk = riskOf(areas, x, x.arrivedOn)
    if (risk === x.risk) continue
    changed.push({ id: x.id, risk })
    if (riskRank(risk) > riskRank(x.risk)) {
      raised++
      await raiseAlert(tx, { caseId: x.caseId, returneeId: x.returneeId, communityId: x.communityId, kind: 'risk_up', text: `重点地区名单调整：${x.n} 的来源地风险由${RISK_LABELS[x.risk]}升为${RISK_LABELS[risk]}，请复核管控措施` })
    }
  }
  if (changed.length)
    await tx.execute(sql`UPDATE returnee_trips t SET risk = x.risk::risk_level, updated_at = now()
      FROM unnest(${sql.param(changed.map((c) => c.id))}::int[], ${sql.param(changed.map((c) => c.risk))}::text[]) AS x(id, risk) WHERE t.id = x.id`)
  return { changed: changed.length, raised }
}

/** 重点疫区 list: the district edits, everyone on staff reads; history is every row ever written. */
export function createKeyAreas(db: Db) {
  return {
    async list(history: boolean) {
      const r = await db.execute(sql`SELECT ${COLS} FROM key_areas ${history ? sql`` : sql`WHERE retired_at IS NULL`} ORDER BY retired_at IS NOT NULL, code, id DESC`)
      return { items: r.rows.map((x) => view(x as Record<string, unknown>)) }
    },
    async create(userId: number, b: KeyAreaInput) {
      check(b)
      return db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727008)`)
        const dup = await tx.execute(sql`SELECT 1 FROM key_areas WHERE code = ${b.code} AND retired_at IS NULL`)
        if (dup.rows.length) throw conflict('该地区已在名单中，请修改原条目')
        const r = await tx.execute(sql`INSERT INTO key_areas (level, code, name, risk, valid_from, valid_until, note, created_by)
          VALUES (${b.level}, ${b.code}, ${b.name}, ${b.risk}, ${b.validFrom}, ${b.validUntil ?? null}, ${b.note ?? null}, ${userId}) RETURNING ${COLS}`)
        const recomputed = await recomputeRisks(tx)
        return { area: view(r.rows[0] as Record<string, unknown>), recomputed }
      })
    },
    /** A change retires the row and writes its successor, so the list's history stays readable. */
    async replace(userId: number, id: number, b: KeyAreaInput) {
      check(b)
      return db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727008)`)
        const old = (await tx.execute(sql`SELECT code, retired_at AS "retiredAt" FROM key_areas WHERE id = ${id} FOR UPDATE`)).rows[0] as { code: string; retiredAt: Date | null } | undefined
        if (!old) throw notFound('重点地区')
        if (old.retiredAt) throw conflict('该条目已被修改或撤销，请刷新后再试')
        const r = await tx.execute(sql`INSERT INTO key_areas (level, code, name, risk, valid_from, valid_until, note, created_by)
          VALUES (${b.level}, ${b.code}, ${b.name}, ${b.risk}, ${b.validFrom}, ${b.validUntil ?? null}, ${b.note ?? null}, ${userId}) RETURNING ${COLS}`)
        const neu = r.rows[0] as { id: number }
        await tx.execute(sql`UPDATE key_areas SET retired_at = now(), retired_by = ${userId}, replaced_by = ${neu.id} WHERE id = ${id}`)
        const recomputed = await recomputeRisks(tx)
        return { area: view(r.rows[0] as Record<string, unknown>), recomputed }
      })
    },
    async retire(userId: number, id: number) {
      return db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727008)`)
        const r = await tx.execute(sql`UPDATE key_areas SET retired_at = now(), retired_by = ${userId} WHERE id = ${id} AND retired_at IS NULL RETURNING ${COLS}`)
        if (!r.rows[0]) throw conflict('该条目已撤销或不存在')
        const recomputed = await recomputeRisks(tx)
        return { area: view(r.rows[0] as Record<string, unknown>), recomputed }
      })
    },
  }
}
export type KeyAreas = ReturnType<typeof createKeyAreas>
