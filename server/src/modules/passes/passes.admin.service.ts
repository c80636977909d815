import { sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { cardQrText, inScope, randomCardCode, type PassStatus } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { AppError, conflict, notFound } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import type { PassRow } from '../households/households.schemas.js'
import { addressOf } from '../households/households.people.js'
import type { Signer } from './passes.signing.js'

export type PassAction = 'suspend' | 'restore' | 'revoke'

/** Which status each action leaves from and goes to. Revoked is final: the resident is registered again. */
const TRANSITIONS: Record<PassAction, { from: PassStatus[]; to: PassStatus }> = {
  suspend: { from: ['active'], to: 'suspended' },
  restore: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended'], to: 'revoked' },
}

const REFUSALS: Record<PassAction, Partial<Record<PassStatus, string>>> = {
  suspend: { suspended: '通行证已经是暂停状态', revoked: '通行证已注销，不能暂停' },
  restore: { active: '通行证本来就是有效的，无需恢复', revoked: '已注销的通行证不能恢复，请重新登记该住户' },
  revoke: { revoked: '通行证已经注销' },
}

const ROW = sql`
  p.id, p.resident_id AS "residentId", p.compound_id AS "compoundId", r.name_masked AS "nameMasked", r.household_id AS "householdId",
  b.name AS "buildingName", b.units, h.unit, h.room AS "roomNo", p.status, p.status_reason AS "statusReason",
  to_char(p.valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "validUntil", r.no_smartphone AS "noSmartphone",
  EXISTS (SELECT 1 FROM pass_devices d WHERE d.pass_id = p.id AND d.revoked_at IS NULL) AS "hasDevice",
  EXISTS (SELECT 1 FROM pass_cards k WHERE k.pass_id = p.id AND k.revoked_at IS NULL) AS "hasCard",
  to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"
  FROM passes p JOIN residents r ON r.id = p.resident_id JOIN households h ON h.id = r.household_id JOIN buildings b ON b.id = h.building_id`

type Raw = Omit<PassRow, 'room'> & { buildingName: string; units: number; unit: number; roomNo: string }
const toRow = ({ buildingName, units, unit, roomNo, ...p }: Raw): PassRow => ({ ...p, room: addressOf({ buildingName, units, unit, room: roomNo }) })

/** The community worker's side of passes: list, suspend / restore / revoke with a reason (audited). */
export function createPassesAdminService(db: Db) {
  async function getRow(id: number): Promise<PassRow> {
    const r = await db.execute(sql`SELECT ${ROW} WHERE p.id = ${id}`)
    if (!r.rows[0]) throw notFound('通行证')
    return toRow(r.rows[0] as Raw)
  }

  /** Passes named in a card-print request, each checked against the caller's scope (no resolver covers a list). */
  async function forCards(req: FastifyRequest, ids: number[]) {
    const r = await db.execute(sql`
      SELECT p.id, p.status, p.compound_id AS "compoundId", c.name AS "compoundName", c.path, r.name_masked AS "nameMasked",
        b.name AS "buildingName", b.units, h.unit, h.room, p.valid_until AS "validUntil"
      FROM passes p JOIN residents r ON r.id = p.resident_id JOIN households h ON h.id = r.household_id
      JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = p.compound_id
      WHERE p.id = ANY(${sql.raw(`'{${ids.map(Number).join(',')}}'`)}::int[])`)
    const rows = r.rows as {
      id: number
      status: PassStatus
      compoundId: number
      compoundName: string
      path: string
      nameMasked: string
      buildingName: string
      units: number
      unit: number
      room: string
      validUntil: Date | string
    }[]
    const found = new Map(rows.map((x) => [x.id, x]))
    for (const id of ids) {
      const p = found.get(id)
      if (!p) throw notFound('通行证')
      if (!req.auth!.orgPath || !inScope(req.auth!.orgPath, p.path)) throw new AppError('OUT_OF_SCOPE')
      if (p.status !== 'active') throw conflict(`${p.nameMasked}的通行证${p.status === 'suspended' ? '已暂停' : '已注销'}，不能制卡`)
    }
    return ids.map((id) => found.get(id)!)
  }

  return {
    getRow,

    async list(q: { compoundId: number; status?: PassStatus; noSmartphone?: boolean; cursor?: string; limit?: number }) {
      const limit = q.limit ?? 50
      const after = decodeCursor(q.cursor)
      const r = await db.execute(sql`
        SELECT ${ROW}
        WHERE p.compound_id = ${q.compoundId}
          ${q.status ? sql`AND p.status = ${q.status}` : sql``}
          ${q.noSmartphone !== undefined ? sql`AND r.no_smartphone = ${q.noSmartphone}` : sql``}
          ${after ? sql`AND p.id > ${after}` : sql``}
        ORDER BY p.id LIMIT ${limit + 1}`)
      const rows = (r.rows as Raw[]).map(toRow)
      const more = rows.length > limit
      const page = rows.slice(0, limit)
      return { items: page, nextCursor: more ? encodeCursor(page.at(-1)!.id) : null }
    },

    /** One status change: the row is locked, the change checked, the reason and both states audited. */
    async change(req: FastifyRequest, id: number, action: PassAction, reason: string): Promise<PassRow> {
      const t = TRANSITIONS[action]
      // The schema counts spaces: a reason of blanks would be audited as no reason at all.
      if (reason.trim().length < 2) throw new AppError('VALIDATION', '请填写原因（至少2个字）')
      await db.transaction(async (tx) => {
        const cur = (await tx.execute(sql`SELECT status FROM passes WHERE id = ${id} FOR UPDATE`)).rows[0] as { status: PassStatus } | undefined
        if (!cur) throw notFound('通行证')
        if (!t.from.includes(cur.status)) throw conflict(REFUSALS[action][cur.status] ?? '当前状态不允许此操作')
        await tx.execute(sql`UPDATE passes SET status = ${t.to}, status_reason = ${reason}, updated_at = now() WHERE id = ${id}`)
        await audit(tx, req, { action: `pass.${action}`, targetType: 'pass', targetId: id, detail: { from: cur.status, to: t.to, reason } })
      })
      return getRow(id)
    },

    /**
     * Prints (or reprints) cards: each gets a fresh code and a static credential flagged as a card; the
     * pass's earlier cards are revoked in the same transaction, so a lost card stops opening the gate.
     */
    async issueCards(req: FastifyRequest, ids: number[], signer: Signer) {
      const passes = await forCards(req, [...new Set(ids)])
      const nowSec = Math.floor(Date.now() / 1000)
      const issued = await db.transaction(async (tx) => {
        const out: { passId: number; code: string; exp: Date }[] = []
        for (const p of passes) {
          const exp = new Date(p.validUntil)
          await tx.execute(sql`UPDATE pass_cards SET revoked_at = now() WHERE pass_id = ${p.id} AND revoked_at IS NULL`)
          // 10^9 codes: a collision is rare; the unique index catches it and the next draw is used.
          const card = await tx.execute(sql`
            INSERT INTO pass_cards (pass_id, code, credential_exp, created_by)
            SELECT ${p.id}, c, ${exp}, ${req.auth!.userId} FROM unnest(${sql.raw(`ARRAY[${[0, 1, 2].map(() => `'${randomCardCode()}'`).join(',')}]`)}) AS c
            WHERE NOT EXISTS (SELECT 1 FROM pass_cards k WHERE k.code = c) LIMIT 1
            RETURNING code`)
          out.push({ passId: p.id, code: (card.rows[0] as { code: string }).code, exp })
        }
        await audit(tx, req, { action: 'pass.cards', targetType: 'pass', targetId: passes.map((p) => p.id).join(','), detail: { count: passes.length } })
        return out
      })
      const byId = new Map(passes.map((p) => [p.id, p]))
      return Promise.all(
        issued.map(async (c) => {
          const p = byId.get(c.passId)!
          const credential = await signer.issue({ v: 1, pid: p.id, cid: p.compoundId, n: p.nameMasked, k: 'card', cc: c.code, nbf: nowSec, exp: Math.floor(c.exp.getTime() / 1000) })
          return {
            passId: p.id,
            nameMasked: p.nameMasked,
            compoundName: p.compoundName,
            address: addressOf({ buildingName: p.buildingName, units: p.units, unit: p.unit, room: p.room }),
            code: c.code,
            qr: cardQrText(credential),
            exp: c.exp.toISOString(),
          }
        }),
      )
    },
  }
}
export type PassesAdminService = ReturnType<typeof createPassesAdminService>
