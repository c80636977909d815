import { sql } from 'drizzle-orm'
import { maskName } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import type { Db } from '../../db/client.js'
import { encrypt } from '../../crypto.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import type { FastifyRequest } from 'fastify'
import type { AuthContext } from '../../types.js'
import { audit } from '../audit/audit.service.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import type { AddResidentBody, Household, PatchResidentBody } from './households.schemas.js'
import { addressOf, assertCompound, checkIdNumber, insertResidentWithPass, linkByPhoneFor, membersOf, nameError, phoneHashOf, sealPerson } from './households.people.js'

interface HouseholdHead {
  id: number
  compoundId: number
  compoundName: string
  buildingId: number
  buildingName: string
  units: number
  unit: number
  room: string
}

const HEAD = sql`h.id, h.compound_id AS "compoundId", c.name AS "compoundName", h.building_id AS "buildingId", b.name AS "buildingName", b.units, h.unit, h.room
  FROM households h JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = h.compound_id`

/** Rooms are typed "301", "301室", "３０１": one spelling in the database. */
export const normaliseRoom = (room: string) => room.normalize('NFKC').trim().replace(/\s+/g, '').replace(/[室号]$/, '')

/** Escapes LIKE wildcards in user text; "*" (as in a masked name 王*明) means one character. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '_')}%`

/** The register of a community: households, members, move-out. Scope was checked by the access plugin. */
export function createHouseholdsService(db: Db, config: AppConfig) {
  async function compoundKind(id: number) {
    const r = await db.execute(sql`SELECT kind FROM org_units WHERE id = ${id}`)
    return (r.rows[0] as { kind: string } | undefined)?.kind
  }

  async function withMembers(heads: HouseholdHead[]): Promise<Household[]> {
    const members = await membersOf(db, heads.map((h) => h.id))
    return heads.map(({ units, ...h }) => ({ ...h, address: addressOf({ ...h, units }), members: members.get(h.id) ?? [] }))
  }

  async function getHousehold(id: number): Promise<Household> {
    const r = await db.execute(sql`SELECT ${HEAD} WHERE h.id = ${id}`)
    const head = r.rows[0] as unknown as HouseholdHead | undefined
    if (!head) throw notFound('住户')
    return (await withMembers([head]))[0]!
  }

  return {
    getHousehold,

    /** Compounds in the caller's scope with their buildings (a district admin sees every compound). */
    async compounds(auth: AuthContext) {
      const r = await db.execute(sql`
        SELECT c.id, c.name, cm.id AS "communityId", cm.name AS "communityName",
          coalesce((SELECT json_agg(json_build_object('id', b.id, 'name', b.name, 'units', b.units) ORDER BY length(b.name), b.name)
                    FROM buildings b WHERE b.compound_id = c.id), '[]') AS buildings
        FROM org_units c
        JOIN org_units g ON g.id = c.parent_id
        JOIN org_units cm ON cm.id = g.parent_id
        WHERE c.kind = 'compound' AND c.path LIKE ${`${auth.orgPath ?? '/'}%`}
        ORDER BY (SELECT count(*) FROM buildings b WHERE b.compound_id = c.id) = 0, cm.name, c.name`)
      return { items: r.rows as { id: number; name: string; communityId: number; communityName: string; buildings: { id: number; name: string; units: number }[] }[] }
    },

    async list(q: { compoundId: number; buildingId?: number; unit?: number; room?: string; q?: string; cursor?: string; limit?: number }) {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const term = q.q?.trim()
      const search = !term
        ? sql``
        : /^\d{4}$/.test(term)
          ? sql`AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.phone_last4 = ${term})`
          : sql`AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND (r.name LIKE ${likePattern(term)} OR r.name_masked = ${term}))`
      const r = await db.execute(sql`
        SELECT ${HEAD}
        WHERE h.compound_id = ${q.compoundId}
          ${q.buildingId ? sql`AND h.building_id = ${q.buildingId}` : sql``}
          ${q.unit ? sql`AND h.unit = ${q.unit}` : sql``}
          ${q.room ? sql`AND h.room = ${normaliseRoom(q.room)}` : sql``}
          ${after ? sql`AND h.id > ${after}` : sql``}
          ${search}
        ORDER BY h.id LIMIT ${limit + 1}`)
      const heads = r.rows as unknown as HouseholdHead[]
      const more = heads.length > limit
      const page = heads.slice(0, limit)
      return { items: await withMembers(page), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null }
    },

    /** Opens a household; the same room twice answers the existing one. */
    /** Adds a building (幢) to a compound; the same name again returns the existing one with its units raised. */
    async addBuilding(req: FastifyRequest, b: { compoundId: number; name: string; units: number }) {
      assertCompound(await compoundKind(b.compoundId))
      const name = b.name.normalize('NFKC').trim().replace(/\s+/g, '')
      if (!name) throw badRequest('请填写楼栋')
      const label = /^\d+$/.test(name) ? `${name}幢` : name
      const r = await db.execute(sql`
        INSERT INTO buildings (compound_id, name, units) VALUES (${b.compoundId}, ${label}, ${b.units})
        ON CONFLICT (compound_id, name) DO UPDATE SET units = greatest(buildings.units, EXCLUDED.units), updated_at = now()
        RETURNING id, name, units, (xmax = 0) AS created`)
      const row = r.rows[0] as { id: number; name: string; units: number; created: boolean }
      if (row.created) await audit(db, req, { action: 'building.create', targetType: 'building', targetId: row.id })
      return { created: row.created, building: { id: row.id, name: row.name, units: row.units } }
    },

    async createHousehold(req: FastifyRequest, b: { compoundId: number; buildingId: number; unit: number; room: string }): Promise<{ created: boolean; household: Household }> {
      assertCompound(await compoundKind(b.compoundId))
      const room = normaliseRoom(b.room)
      if (!room) throw badRequest('请填写房号')
      const bl = (await db.execute(sql`SELECT id, name, units FROM buildings WHERE id = ${b.buildingId} AND compound_id = ${b.compoundId}`)).rows[0] as
        | { id: number; name: string; units: number }
        | undefined
      if (!bl) throw badRequest('该楼栋不在这个小区')
      if (b.unit > bl.units) throw badRequest(`${bl.name}只有${bl.units}个单元`)
      const ins = await db.execute(sql`
        INSERT INTO households (compound_id, building_id, unit, room) VALUES (${b.compoundId}, ${b.buildingId}, ${b.unit}, ${room})
        ON CONFLICT (building_id, unit, room) DO NOTHING RETURNING id`)
      const created = ins.rows.length > 0
      const id = created
        ? (ins.rows[0] as { id: number }).id
        : ((await db.execute(sql`SELECT id FROM households WHERE building_id = ${b.buildingId} AND unit = ${b.unit} AND room = ${room}`)).rows[0] as { id: number }).id
      if (created) await audit(db, req, { action: 'household.create', targetType: 'household', targetId: id })
      return { created, household: await getHousehold(id) }
    },

    /** Registers a member and issues their pass, in one transaction. */
    async addResident(req: FastifyRequest, householdId: number, b: AddResidentBody) {
      const id = checkIdNumber(b.idNumber)
      const problem = nameError(b.name)
      if (problem) throw badRequest(problem)
      const person = sealPerson(config, b.name, id, b.phone)
      const made = await db.transaction(async (tx) => {
        const h = (await tx.execute(sql`SELECT id, compound_id AS "compoundId" FROM households WHERE id = ${householdId} FOR UPDATE`)).rows[0] as
          | { id: number; compoundId: number }
          | undefined
        if (!h) throw notFound('住户')
        const made = await insertResidentWithPass(tx, req.auth, { ...person, householdId, compoundId: h.compoundId, relation: b.relation, ...flags(b), movedIn: b.movedIn ?? null })
        await audit(tx, req, { action: 'resident.create', targetType: 'resident', targetId: made.residentId, detail: { householdId, passId: made.passId } })
        return made
      })
      const hh = await getHousehold(householdId)
      return hh.members.find((m) => m.id === made.residentId)!
    },

    async patchResident(req: FastifyRequest, residentId: number, b: PatchResidentBody) {
      const householdId = await db.transaction(async (tx) => {
        const r = (await tx.execute(sql`SELECT id, household_id AS "householdId", moved_out AS "movedOut" FROM residents WHERE id = ${residentId} FOR UPDATE`)).rows[0] as
          | { id: number; householdId: number; movedOut: string | null }
          | undefined
        if (!r) throw notFound('住户成员')
        if (r.movedOut) throw conflict('此人已迁出，不能再修改')
        const sets = [sql`updated_at = now()`]
        if (b.name !== undefined) {
          const n = b.name.trim()
          const problem = nameError(n)
          if (problem) throw badRequest(problem)
          sets.push(sql`name = ${n}`, sql`name_masked = ${maskName(n)}`)
        }
        if (b.phone !== undefined)
          sets.push(
            !b.phone
              ? sql`phone_enc = NULL, phone_hash = NULL, phone_last4 = NULL`
              : sql`phone_enc = ${encrypt(config.dataKey, b.phone)}, phone_hash = ${phoneHashOf(config, b.phone)}, phone_last4 = ${b.phone.slice(-4)}`,
          )
        if (b.relation !== undefined) sets.push(sql`relation = ${b.relation}`)
        if (b.elderlyAlone !== undefined) sets.push(sql`elderly_alone = ${b.elderlyAlone}`)
        if (b.noSmartphone !== undefined) sets.push(sql`no_smartphone = ${b.noSmartphone}`)
        if (b.disabled !== undefined) sets.push(sql`disabled = ${b.disabled}`)
        if (b.movedIn !== undefined) sets.push(sql`moved_in = ${b.movedIn}`)
        await tx.execute(sql`UPDATE residents SET ${sql.join(sets, sql`, `)} WHERE id = ${residentId}`)
        if (b.phone) await linkByPhoneFor(tx, [residentId])
        // Which fields changed, never their values: the audit log is not a second copy of the register.
        await audit(tx, req, { action: 'resident.update', targetType: 'resident', targetId: residentId, detail: { fields: Object.keys(b) } })
        return r.householdId
      })
      return (await getHousehold(householdId)).members.find((m) => m.id === residentId)!
    },

    /** Moves a member out: the row stays for the record, the pass is revoked (audited like any status change). */
    async moveOut(req: FastifyRequest, residentId: number, b: { date: string; reason: string }) {
      // The schema counts spaces: a reason of blanks would be audited as no reason at all.
      if (b.reason.trim().length < 2) throw badRequest('请填写迁出原因（至少2个字）')
      const householdId = await db.transaction(async (tx) => {
        const r = (await tx.execute(sql`
          SELECT id, household_id AS "householdId", moved_out AS "movedOut", to_char(moved_in, 'YYYY-MM-DD') AS "movedIn"
          FROM residents WHERE id = ${residentId} FOR UPDATE`)).rows[0] as { id: number; householdId: number; movedOut: string | null; movedIn: string | null } | undefined
        if (!r) throw notFound('住户成员')
        if (r.movedOut) throw conflict('此人已经迁出')
        if (r.movedIn && b.date < r.movedIn) throw badRequest('迁出日期不能早于迁入日期')
        await tx.execute(sql`UPDATE residents SET moved_out = ${b.date}, updated_at = now() WHERE id = ${residentId}`)
        const passes = await tx.execute(sql`
          UPDATE passes p SET status = 'revoked', status_reason = ${`迁出：${b.reason}`}, updated_at = now()
          FROM passes old WHERE old.id = p.id AND p.resident_id = ${residentId} AND p.status <> 'revoked'
          RETURNING p.id, old.status AS "from"`)
        await audit(tx, req, { action: 'resident.move_out', targetType: 'resident', targetId: residentId, detail: { date: b.date, reason: b.reason } })
        for (const p of passes.rows as { id: number; from: string }[])
          await audit(tx, req, { action: 'pass.revoke', targetType: 'pass', targetId: p.id, detail: { from: p.from, to: 'revoked', reason: `迁出：${b.reason}` } })
        return r.householdId
      })
      return (await getHousehold(householdId)).members.find((m) => m.id === residentId)!
    },
  }
}
export type HouseholdsService = ReturnType<typeof createHouseholdsService>

const flags = (b: { elderlyAlone?: boolean; noSmartphone?: boolean; disabled?: boolean }) => ({
  elderlyAlone: b.elderlyAlone ?? false,
  noSmartphone: b.noSmartphone ?? false,
  disabled: b.disabled ?? false,
})
