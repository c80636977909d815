import { sql } from 'drizzle-orm'
import { FEVER_CELSIUS, isAbnormal, slotAt, type Slot } from '@cc/shared'
import type { Db, Tx } from '../../db/client.js'
import { conflict, notFound } from '../../errors.js'
import { notify, staffOf } from '../notify/notify.service.js'

export interface FollowupInput {
  temperature: number | null
  symptoms: string[]
  note?: string
}

/** Community staff and the street's staff: the people an alert goes to. */
async function alertees(tx: Tx, communityId: number) {
  const street = (await tx.execute(sql`SELECT parent_id AS id FROM org_units WHERE id = ${communityId}`)).rows[0] as { id: number } | undefined
  return [...(await staffOf(tx, communityId)), ...(street ? await staffOf(tx, street.id) : [])]
}

/** Writes an alert for the worker's today list and messages the community and the street, in the caller's transaction. */
export async function raiseAlert(tx: Tx, a: { caseId: number | null; returneeId: number; communityId: number; kind: 'fever' | 'symptom' | 'gate' | 'risk_up' | 'nat_positive'; text: string; followupId?: number }) {
  const r = await tx.execute(sql`
    INSERT INTO quarantine_alerts (case_id, returnee_id, community_id, kind, text, followup_id)
    VALUES (${a.caseId}, ${a.returneeId}, ${a.communityId}, ${a.kind}, ${a.text}, ${a.followupId ?? null}) RETURNING id`)
  await notify(tx, await alertees(tx, a.communityId), { title: a.kind === 'gate' ? '卡口预警' : '隔离人员预警', body: a.text, page: '/c' })
  return (r.rows[0] as { id: number }).id
}

export function createFollowups(db: Db) {
  /** Fills one slot (a correction overwrites); an abnormal reading raises an alert in the same transaction. */
  async function record(tx: Tx, slotId: number, userId: number, kind: 'worker' | 'self' | 'family', f: FollowupInput) {
    const s = (
      await tx.execute(sql`
        SELECT f.id, f.case_id AS "caseId", f.community_id AS "communityId", f.slot_date AS "slotDate", f.slot, f.opens_at AS "opensAt",
          qc.state, qc.returnee_id AS "returneeId", r.name_masked AS "nameMasked"
        FROM followup_slots f JOIN quarantine_cases qc ON qc.id = f.case_id JOIN returnees r ON r.id = qc.returnee_id
        WHERE f.id = ${slotId} FOR UPDATE OF f`)
    ).rows[0] as { id: number; caseId: number; communityId: number; slotDate: string; slot: Slot; opensAt: Date; state: string; returneeId: number; nameMasked: string } | undefined
    if (!s) throw notFound('随访')
    if (!['home', 'centralised', 'monitoring'].includes(s.state)) throw conflict('该人员已不在隔离或监测中，无需随访')
    if (new Date(s.opensAt).getTime() > Date.now() + 60_000) throw conflict('还没到这次随访的时间')
    const symptoms = [...new Set(f.symptoms.map((x) => x.trim()).filter(Boolean))]
    const abnormal = isAbnormal(f.temperature, symptoms)
    await tx.execute(sql`
      UPDATE followup_slots SET temperature = ${f.temperature}, symptoms = ${sql.param(symptoms)}::text[], abnormal = ${abnormal},
        recorded_at = now(), recorded_by = ${userId}, recorder_kind = ${kind}
      WHERE id = ${slotId}`)
    let alertId: number | null = null
    if (abnormal) {
      const fever = f.temperature !== null && f.temperature >= FEVER_CELSIUS
      const what = [fever ? `体温 ${f.temperature!.toFixed(1)}℃` : '', symptoms.join('、')].filter(Boolean).join('，')
      alertId = await raiseAlert(tx, {
        caseId: s.caseId,
        returneeId: s.returneeId,
        communityId: s.communityId,
        kind: fever ? 'fever' : 'symptom',
        text: `${s.nameMasked} ${s.slotDate}${s.slot === 'am' ? '上午' : '下午'}随访异常：${what}`,
        followupId: s.id,
      })
    }
    return { id: slotId, caseId: s.caseId, slotDate: s.slotDate, slot: s.slot, temperature: f.temperature, symptoms, abnormal, alertId, recorderKind: kind }
  }

  return {
    recordByWorker: (userId: number, slotId: number, f: FollowupInput) => db.transaction((tx) => record(tx, slotId, userId, 'worker', f)),

    /** The resident (or family who registered them) reports for the current Beijing slot unless told which. */
    async recordBySelf(userId: number, returneeId: number, f: FollowupInput & { slotDate?: string; slot?: Slot }) {
      return db.transaction(async (tx) => {
        const at = slotAt(new Date())
        const r = (
          await tx.execute(sql`
            SELECT f.id, (u.phone_hash IS NOT NULL AND u.phone_hash = rt.phone_hash) AS self
            FROM returnees rt JOIN quarantine_cases qc ON qc.id = rt.current_case_id
            LEFT JOIN followup_slots f ON f.case_id = qc.id AND f.slot_date = ${f.slotDate ?? at.date}::date AND f.slot = ${f.slot ?? at.slot}
            LEFT JOIN users u ON u.id = ${userId}
            WHERE rt.id = ${returneeId}`)
        ).rows[0] as { id: number | null; self: boolean } | undefined
        if (!r?.id) throw conflict('现在没有需要填报的体温（可能尚未开始隔离，或已解除）')
        return record(tx, r.id, userId, r.self ? 'self' : 'family', f)
      })
    },

    async recordNat(userId: number, natId: number, b: { result: 'negative' | 'positive'; sampledOn?: string }) {
      return db.transaction(async (tx) => {
        const n = (
          await tx.execute(sql`
            SELECT n.id, n.case_id AS "caseId", n.community_id AS "communityId", n.due_on AS "dueOn", qc.returnee_id AS "returneeId", r.name_masked AS "nameMasked"
            FROM nat_tests n JOIN quarantine_cases qc ON qc.id = n.case_id JOIN returnees r ON r.id = qc.returnee_id WHERE n.id = ${natId} FOR UPDATE OF n`)
        ).rows[0] as { id: number; caseId: number; communityId: number; dueOn: string; returneeId: number; nameMasked: string } | undefined
        if (!n) throw notFound('核酸检测')
        await tx.execute(sql`UPDATE nat_tests SET result = ${b.result}, sampled_on = ${b.sampledOn ?? n.dueOn}::date, recorded_by = ${userId}, recorded_at = now() WHERE id = ${natId}`)
        if (b.result === 'positive')
          await raiseAlert(tx, { caseId: n.caseId, returneeId: n.returneeId, communityId: n.communityId, kind: 'nat_positive', text: `${n.nameMasked} ${n.dueOn} 核酸检测阳性，请立即处置` })
        return { id: natId, caseId: n.caseId, dueOn: n.dueOn, result: b.result }
      })
    },

    async handleAlert(userId: number, alertId: number, note: string) {
      const r = await db.execute(sql`
        UPDATE quarantine_alerts SET handled_at = coalesce(handled_at, now()), handled_by = coalesce(handled_by, ${userId}), handled_note = coalesce(handled_note, ${note})
        WHERE id = ${alertId} RETURNING id, handled_at AS "handledAt"`)
      const row = r.rows[0] as { id: number; handledAt: Date } | undefined
      if (!row) throw notFound('预警')
      return { id: row.id, handledAt: new Date(row.handledAt).toISOString() }
    },
  }
}
export type Followups = ReturnType<typeof createFollowups>
