import { maskName } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import { encrypt, lookupHash } from '../../crypto.js'
import type { Db } from '../../db/client.js'
import { AppError, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { run, type GateInfo } from './gate.repository.js'
import { beijingDay } from './gate.service.js'

export interface VisitorInput {
  clientId: string
  gateId: number
  name: string
  phone: string
  purpose: string
  hostHouseholdId?: number
  hostNote?: string
  origin: string
}

/** What a gate sees of a visitor: masked name and the last four digits of the phone only. */
export interface VisitorView {
  id: number
  gateId: number
  nameMasked: string
  phoneLast4: string
  purpose: string
  hostHouseholdId: number | null
  hostRoom: string | null
  hostNote: string | null
  origin: string
  inAt: string
  outAt: string | null
}

const COLUMNS = `v.id, v.gate_id AS "gateId", v.name_masked AS "nameMasked", v.phone_last4 AS "phoneLast4", v.purpose,
  v.host_household_id AS "hostHouseholdId",
  (SELECT b.name || '幢' || h.unit || '单元' || h.room FROM households h JOIN buildings b ON b.id = h.building_id WHERE h.id = v.host_household_id) AS "hostRoom",
  v.host_note AS "hostNote", v.origin, v.in_at AS "inAt", v.out_at AS "outAt"`

const iso = (s: string | Date | null) => (s === null ? null : new Date(s).toISOString())
const view = (r: VisitorView): VisitorView => ({ ...r, inAt: iso(r.inAt)!, outAt: iso(r.outAt) })

/** 外来人员: registered at a gate (exactly once per client id), let out at any gate of the same compound. */
export function createVisitors(db: Db, config: AppConfig) {
  return {
    async register(auth: AuthContext, gate: GateInfo, v: VisitorInput): Promise<VisitorView> {
      if (v.hostHouseholdId) {
        const [h] = await run<{ id: number }>(db, 'gate_host_household', 'SELECT id FROM households WHERE id = $1 AND compound_id = $2', [v.hostHouseholdId, gate.compoundId])
        if (!h) throw new AppError('VALIDATION', '来访住户不在本小区')
      }
      const name = v.name.trim()
      const phone = v.phone.trim()
      // Spaces or invisible characters only would register a visitor nobody can identify later.
      const blank = (s: string | undefined) => !s || !s.replace(/[\s\p{Cf}]/gu, '')
      if (blank(name)) throw new AppError('VALIDATION', '请填写来访人员姓名')
      if (blank(v.purpose)) throw new AppError('VALIDATION', '请填写来访事由')
      if (blank(v.origin)) throw new AppError('VALIDATION', '请填写从哪里来')
      const [row] = await run<VisitorView & { mine: boolean }>(
        db,
        'gate_visitor_insert',
        `WITH ins AS (
          INSERT INTO visitors (client_id, compound_id, gate_id, name, name_masked, phone_enc, phone_hash, phone_last4, purpose, host_household_id, host_note, origin, created_by)
          VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
          ON CONFLICT (client_id) DO NOTHING
          RETURNING *)
        SELECT ${COLUMNS}, true AS mine FROM ins v
        UNION ALL
        SELECT ${COLUMNS}, v.compound_id = $2 AS mine FROM visitors v WHERE v.client_id = $1::uuid AND NOT EXISTS (SELECT 1 FROM ins)`,
        [
          v.clientId, gate.compoundId, gate.id, name, maskName(name), encrypt(config.dataKey, phone), lookupHash(config.hmacKey, `phone:${phone}`),
          phone.slice(-4), v.purpose.trim(), v.hostHouseholdId ?? null, v.hostNote?.trim() || null, v.origin.trim(), auth.userId,
        ],
      )
      // The same registration sent twice at once (a double tap, the offline queue racing the form): the other
      // insert committed after this statement's snapshot, so it is read again in a new one.
      const found =
        row ??
        (
          await run<VisitorView & { mine: boolean }>(db, 'gate_visitor_by_client', `SELECT ${COLUMNS}, v.compound_id = $2 AS mine FROM visitors v WHERE v.client_id = $1::uuid`, [
            v.clientId,
            gate.compoundId,
          ])
        )[0]
      // A client id already used at another compound: not this gate's visitor.
      if (!found || !found.mine) throw new AppError('CONFLICT', '该登记编号已被使用，请重新登记')
      const { mine: _mine, ...rest } = found
      return view(rest)
    },

    async out(gate: GateInfo, id: number): Promise<VisitorView> {
      const [row] = await run<VisitorView>(
        db,
        'gate_visitor_out',
        `WITH u AS (
          UPDATE visitors SET out_at = now(), out_gate_id = $3 WHERE id = $1 AND compound_id = $2 AND out_at IS NULL RETURNING *)
        SELECT ${COLUMNS} FROM u v
        UNION ALL
        SELECT ${COLUMNS} FROM visitors v WHERE v.id = $1 AND v.compound_id = $2 AND NOT EXISTS (SELECT 1 FROM u)`,
        [id, gate.compoundId, gate.id],
      )
      if (!row) throw notFound('外来人员登记')
      return view(row)
    },

    /** Still inside (whoever registered them, at any gate of the compound), or everyone registered today. */
    async list(gate: GateInfo, inside: boolean): Promise<{ items: VisitorView[] }> {
      const rows = inside
        ? await run<VisitorView>(db, 'gate_visitors_inside', `SELECT ${COLUMNS} FROM visitors v WHERE v.compound_id = $1 AND v.out_at IS NULL ORDER BY v.in_at DESC LIMIT 500`, [gate.compoundId])
        : await run<VisitorView>(
            db,
            'gate_visitors_today',
            `SELECT ${COLUMNS} FROM visitors v WHERE v.compound_id = $1 AND v.in_at >= ($2::date)::timestamp AT TIME ZONE 'Asia/Shanghai' ORDER BY v.in_at DESC LIMIT 500`,
            [gate.compoundId, beijingDay()],
          )
      return { items: rows.map(view) }
    },
  }
}

export type Visitors = ReturnType<typeof createVisitors>
