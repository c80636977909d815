import { sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { maskIdNumber, maskName } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import { encrypt } from '../../crypto.js'
import type { Db } from '../../db/client.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { audit } from '../audit/audit.service.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { notify } from '../notify/notify.service.js'
import type { Claim, ClaimBody } from './households.schemas.js'
import { addressOf, checkIdNumber, decryptPhone, idHashOf, insertResidentWithPass, isUniqueViolation, nameError } from './households.people.js'
import { normaliseRoom } from './households.service.js'

const CLAIM = sql`
  k.id, k.compound_id AS "compoundId", c.name AS "compoundName", k.building_id AS "buildingId", b.name AS "buildingName", b.units, k.unit, k.room,
  k.name, k.id_masked AS "idMasked", k.relation, k.status, k.reason, k.resident_id AS "residentId",
  to_char(k.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(k.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "decidedAt",
  (SELECT CASE WHEN h.building_id = k.building_id AND h.unit = k.unit AND h.room = k.room THEN 'same_household' ELSE 'other_household' END
     FROM residents r JOIN households h ON h.id = r.household_id WHERE r.id_hash = k.id_hash AND r.moved_out IS NULL) AS existing
  FROM household_claims k JOIN org_units c ON c.id = k.compound_id JOIN buildings b ON b.id = k.building_id`

type Raw = Omit<Claim, 'address' | 'nameMasked'> & { name: string; units: number }
const toClaim = ({ name, units, ...k }: Raw): Claim => ({ ...k, nameMasked: maskName(name), address: addressOf({ ...k, units }) })
/**
 * What the claimant sees: `existing` (whether that ID number is already registered, here or elsewhere) is a
 * hint for the deciding worker; told to the claimant it would confirm any ID number they type.
 */
const forClaimant = (c: Claim): Claim => ({ ...c, existing: null })

/**
 * A resident asks to be recognised as a member of a household; a worker of that compound's community
 * decides. Approval registers (or links) the resident and issues the pass in one transaction.
 */
export function createClaimsService(db: Db, config: AppConfig) {
  async function get(id: number): Promise<Claim> {
    const r = await db.execute(sql`SELECT ${CLAIM} WHERE k.id = ${id}`)
    if (!r.rows[0]) throw notFound('认领申请')
    return toClaim(r.rows[0] as Raw)
  }

  return {
    get,

    /** Compounds a resident can claim in: those with a building list (any compound of the district). */
    async claimableCompounds(q: string | undefined) {
      const term = q?.trim()
      const r = await db.execute(sql`
        SELECT c.id, c.name, cm.id AS "communityId", cm.name AS "communityName",
          (SELECT json_agg(json_build_object('id', b.id, 'name', b.name, 'units', b.units) ORDER BY length(b.name), b.name) FROM buildings b WHERE b.compound_id = c.id) AS buildings
        FROM org_units c JOIN org_units g ON g.id = c.parent_id JOIN org_units cm ON cm.id = g.parent_id
        WHERE c.kind = 'compound' AND EXISTS (SELECT 1 FROM buildings b WHERE b.compound_id = c.id)
          ${term ? sql`AND c.name LIKE ${`%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}` : sql``}
        ORDER BY c.name LIMIT 50`)
      return { items: r.rows as { id: number; name: string; communityId: number; communityName: string; buildings: { id: number; name: string; units: number }[] }[] }
    },

    /** One pending claim per resident: the same claim again answers the pending one; a different one is refused. */
    async submit(auth: AuthContext, b: ClaimBody): Promise<{ created: boolean; claim: Claim }> {
      const id = checkIdNumber(b.idNumber)
      const idHash = idHashOf(config, id)
      const room = normaliseRoom(b.room)
      if (!room) throw badRequest('请填写房号')
      const name = b.name.trim()
      const problem = nameError(name)
      if (problem) throw badRequest(problem)
      const bl = (await db.execute(sql`SELECT id, name, units FROM buildings WHERE id = ${b.buildingId} AND compound_id = ${b.compoundId}`)).rows[0] as
        | { id: number; name: string; units: number }
        | undefined
      if (!bl) throw badRequest('该楼栋不在这个小区')
      if (b.unit > bl.units) throw badRequest(`${bl.name}只有${bl.units}个单元`)
      const pending = async () =>
        (await db.execute(sql`SELECT id, building_id AS "buildingId", unit, room, id_hash AS "idHash" FROM household_claims WHERE user_id = ${auth.userId} AND status = 'pending'`))
          .rows[0] as { id: number; buildingId: number; unit: number; room: string; idHash: string } | undefined
      const same = (p: { buildingId: number; unit: number; room: string; idHash: string }) => p.buildingId === b.buildingId && p.unit === b.unit && p.room === room && p.idHash === idHash
      const existing = await pending()
      if (existing) {
        if (same(existing)) return { created: false, claim: forClaimant(await get(existing.id)) }
        throw conflict('您已有一条待审核的认领申请，请等待社区审核')
      }
      try {
        const r = await db.execute(sql`
          INSERT INTO household_claims (user_id, compound_id, building_id, unit, room, name, id_enc, id_hash, id_masked, relation)
          VALUES (${auth.userId}, ${b.compoundId}, ${b.buildingId}, ${b.unit}, ${room}, ${name}, ${encrypt(config.dataKey, id)}, ${idHash}, ${maskIdNumber(id)}, ${b.relation})
          RETURNING id`)
        return { created: true, claim: forClaimant(await get((r.rows[0] as { id: number }).id)) }
      } catch (e) {
        // Two taps at once: the partial unique index lets one in; the other answers it.
        if (!isUniqueViolation(e, 'household_claims_pending_uq')) throw e
        const p = await pending()
        if (p && same(p)) return { created: false, claim: forClaimant(await get(p.id)) }
        throw conflict('您已有一条待审核的认领申请，请等待社区审核')
      }
    },

    async mine(auth: AuthContext) {
      const r = await db.execute(sql`SELECT ${CLAIM} WHERE k.user_id = ${auth.userId} ORDER BY k.id DESC LIMIT 20`)
      return { items: (r.rows as Raw[]).map(toClaim).map(forClaimant) }
    },

    /** Claims in the caller's scope, oldest pending first. */
    async list(auth: AuthContext, q: { status?: 'pending' | 'approved' | 'refused'; cursor?: string; limit?: number }) {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const r = await db.execute(sql`
        SELECT ${CLAIM}
        WHERE c.path LIKE ${`${auth.orgPath ?? '/'}%`}
          ${q.status ? sql`AND k.status = ${q.status}` : sql``}
          ${after ? sql`AND k.id > ${after}` : sql``}
        ORDER BY k.id LIMIT ${limit + 1}`)
      const rows = (r.rows as Raw[]).map(toClaim)
      const more = rows.length > limit
      const page = rows.slice(0, limit)
      return { items: page, nextCursor: more ? encodeCursor(page.at(-1)!.id) : null }
    },

    /**
     * Approves: the claimant becomes the resident of that room — linked to the row the worker already
     * registered for the same ID number, or registered now with the phone they log in with — with a pass.
     */
    async approve(req: FastifyRequest, id: number): Promise<Claim> {
      await db.transaction(async (tx) => {
        const k = (await tx.execute(sql`
          SELECT k.id, k.user_id AS "userId", k.compound_id AS "compoundId", k.building_id AS "buildingId", k.unit, k.room, k.name,
            k.id_enc AS "idEnc", k.id_hash AS "idHash", k.id_masked AS "idMasked", k.relation, k.status,
            u.phone_enc AS "phoneEnc", u.phone_hash AS "phoneHash", c.name AS "compoundName", b.name AS "buildingName", b.units
          FROM household_claims k JOIN users u ON u.id = k.user_id JOIN org_units c ON c.id = k.compound_id JOIN buildings b ON b.id = k.building_id
          WHERE k.id = ${id} FOR UPDATE OF k`)).rows[0] as
          | { id: number; userId: number; compoundId: number; buildingId: number; unit: number; room: string; name: string; idEnc: Buffer; idHash: string; idMasked: string; relation: string; status: string; phoneEnc: Buffer | null; phoneHash: string | null; compoundName: string; buildingName: string; units: number }
          | undefined
        if (!k) throw notFound('认领申请')
        if (k.status !== 'pending') throw conflict('该申请已处理')
        await tx.execute(sql`
          INSERT INTO households (compound_id, building_id, unit, room) VALUES (${k.compoundId}, ${k.buildingId}, ${k.unit}, ${k.room})
          ON CONFLICT (building_id, unit, room) DO NOTHING`)
        const hh = (await tx.execute(sql`SELECT id FROM households WHERE building_id = ${k.buildingId} AND unit = ${k.unit} AND room = ${k.room}`)).rows[0] as { id: number }
        const current = (await tx.execute(sql`
          SELECT r.id, r.household_id AS "householdId", r.user_id AS "userId", p.id AS "passId"
          FROM residents r LEFT JOIN passes p ON p.resident_id = r.id AND p.compound_id = r.compound_id
          WHERE r.id_hash = ${k.idHash} AND r.moved_out IS NULL FOR UPDATE OF r`)).rows[0] as { id: number; householdId: number; userId: number | null; passId: number | null } | undefined
        let residentId: number
        if (current && current.householdId === hh.id) {
          if (current.userId && current.userId !== k.userId) throw conflict('该住户已绑定其他账号，请核实身份后处理')
          await tx.execute(sql`UPDATE residents SET user_id = ${k.userId}, updated_at = now() WHERE id = ${current.id}`)
          if (!current.passId)
            await tx.execute(sql`INSERT INTO passes (resident_id, compound_id, valid_until) VALUES (${current.id}, ${k.compoundId}, now() + interval '180 days')`)
          residentId = current.id
        } else {
          const phone = decryptPhone(config, k.phoneEnc)
          // The account's phone is registered only when no one else in the register uses it.
          const phoneFree = k.phoneHash
            ? !(await tx.execute(sql`SELECT 1 FROM residents WHERE phone_hash = ${k.phoneHash} AND moved_out IS NULL`)).rows.length
            : false
          const made = await insertResidentWithPass(tx, req.auth, {
            name: k.name,
            nameMasked: maskName(k.name),
            idEnc: k.idEnc,
            idHash: k.idHash,
            idMasked: k.idMasked,
            phoneEnc: phoneFree ? k.phoneEnc : null,
            phoneHash: phoneFree ? k.phoneHash : null,
            phoneLast4: phoneFree && phone ? phone.slice(-4) : null,
            householdId: hh.id,
            compoundId: k.compoundId,
            relation: k.relation,
            userId: k.userId,
          })
          residentId = made.residentId
        }
        await tx.execute(sql`
          UPDATE household_claims SET status = 'approved', decided_by = ${req.auth!.userId}, decided_at = now(), resident_id = ${residentId} WHERE id = ${id}`)
        await audit(tx, req, { action: 'claim.approve', targetType: 'household_claim', targetId: id, detail: { residentId } })
        await notify(tx, [k.userId], {
          title: '住户认领已通过',
          body: `社区已确认您是${addressOf(k)}的住户，可在“我的通行码”领取小区通行码。`,
          page: '/pass',
        })
      })
      return get(id)
    },

    async refuse(req: FastifyRequest, id: number, reason: string): Promise<Claim> {
      // The schema counts spaces: a reason of blanks would be audited as no reason at all.
      if (reason.trim().length < 2) throw badRequest('请填写不通过的原因（至少2个字）')
      await db.transaction(async (tx) => {
        const k = (await tx.execute(sql`SELECT user_id AS "userId", status FROM household_claims WHERE id = ${id} FOR UPDATE`)).rows[0] as
          | { userId: number; status: string }
          | undefined
        if (!k) throw notFound('认领申请')
        if (k.status !== 'pending') throw conflict('该申请已处理')
        await tx.execute(sql`UPDATE household_claims SET status = 'refused', decided_by = ${req.auth!.userId}, decided_at = now(), reason = ${reason} WHERE id = ${id}`)
        await audit(tx, req, { action: 'claim.refuse', targetType: 'household_claim', targetId: id, detail: { reason } })
        await notify(tx, [k.userId], { title: '住户认领未通过', body: `社区未通过您的住户认领：${reason}`, page: '/me/claim' })
      })
      return get(id)
    },
  }
}
export type ClaimsService = ReturnType<typeof createClaimsService>
