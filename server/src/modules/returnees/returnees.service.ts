import { sql } from 'drizzle-orm'
import { inScope, type Risk } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import type { Db, Tx } from '../../db/client.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { addressOf, checkIdNumber, idHashOf, sealPerson, type SealedPerson } from '../households/households.people.js'
import { placeOfCommunity, placeOfCompound, returneeView, riskOfTrip, toView, VIEW_SELECT } from './returnees.people.js'
import type { SelfRegisterBody, TripInput, WorkerRegisterBody } from './returnees.schemas.js'

interface Placement {
  communityId: number
  path: string
  streetId: number
  compoundId: number | null
  householdId: number | null
  residentId: number | null
  address: string
}

/** A register member found by ID hash: they are placed where they live, and the gate finds their pass. */
async function registerMember(tx: Tx, idHash: string) {
  const r = await tx.execute(sql`
    SELECT r.id AS "residentId", r.household_id AS "householdId", r.compound_id AS "compoundId", c.name AS "compoundName",
      b.name AS "buildingName", b.units, h.unit, h.room
    FROM residents r JOIN households h ON h.id = r.household_id JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = r.compound_id
    WHERE r.id_hash = ${idHash} AND r.moved_out IS NULL`)
  const m = r.rows[0] as { residentId: number; householdId: number; compoundId: number; compoundName: string; buildingName: string; units: number; unit: number; room: string } | undefined
  return m ? { ...m, address: addressOf(m) } : null
}

export function createReturneesService(db: Db, config: AppConfig) {
  /**
   * One person, one record; one trip per (person, arrival date). Registering again merges: the person's
   * owners grow, missing trip fields are filled, `registrations` counts. A person with an open case in
   * another community stays there (a worker elsewhere is told so; a resident's submission just merges).
   */
  async function register(
    tx: Tx,
    actor: AuthContext,
    person: SealedPerson & { elderly: boolean; noSmartphone: boolean },
    place: Placement,
    trip: TripInput,
    source: 'self' | 'worker',
    ownerId: number | null,
  ) {
    if (trip.departedOn && trip.departedOn > trip.arrivedOn) throw badRequest('出发日期不能晚于抵达日期')
    // An upload id is a capability: only the caller's own 行程卡 photo may be attached, never someone else's.
    if (trip.travelCardUploadId) {
      const u = (await tx.execute(sql`SELECT owner_id AS "ownerId", purpose FROM uploads WHERE id = ${trip.travelCardUploadId}`)).rows[0] as { ownerId: number; purpose: string } | undefined
      if (!u || u.ownerId !== actor.userId || u.purpose !== 'travel_card') throw badRequest('行程卡照片无效，请重新上传')
    }
    const existing = (
      await tx.execute(sql`
        SELECT id, community_id AS "communityId", org_path AS path, state, ${ownerId ?? 0} = ANY(owner_ids) AS owned,
          phone_hash IS NOT NULL AND phone_hash = (SELECT phone_hash FROM users WHERE id = ${ownerId ?? 0}) AS "samePhone"
        FROM returnees WHERE id_hash = ${person.idHash} FOR UPDATE`)
    ).rows[0] as { id: number; communityId: number; path: string; state: string; owned: boolean; samePhone: boolean } | undefined
    // Typing someone's ID number must not hand over their record: a resident joins an existing one only as
    // its owner already, or as the person (same phone). Family of someone the community registered ask the worker.
    if (existing && source === 'self' && !existing.owned && !existing.samePhone) throw conflict('此人已由社区或其他家属登记，如需代为填报体温请联系社区网格员')
    const open = existing && ['registered', 'home', 'centralised', 'monitoring'].includes(existing.state)
    if (existing && open && existing.communityId !== place.communityId && source === 'worker' && !(actor.orgPath && inScope(actor.orgPath, existing.path)))
      throw conflict('此人已由其他社区登记并正在管控中，请联系该社区')
    const moveHere = !existing || !open
    const owners = ownerId ? sql`ARRAY[${ownerId}]::integer[]` : sql`'{}'::integer[]`
    const ret = await tx.execute(sql`
      INSERT INTO returnees (community_id, org_path, street_id, compound_id, household_id, resident_id, address, name, name_masked, id_enc, id_hash, id_masked,
        phone_enc, phone_hash, phone_last4, elderly, no_smartphone, owner_ids)
      VALUES (${place.communityId}, ${place.path}, ${place.streetId}, ${place.compoundId}, ${place.householdId}, ${place.residentId}, ${place.address},
        ${person.name}, ${person.nameMasked}, ${person.idEnc}, ${person.idHash}, ${person.idMasked}, ${person.phoneEnc}, ${person.phoneHash}, ${person.phoneLast4},
        ${person.elderly}, ${person.noSmartphone}, ${owners})
      ON CONFLICT (id_hash) DO UPDATE SET
        owner_ids = ARRAY(SELECT DISTINCT unnest(returnees.owner_ids || EXCLUDED.owner_ids)),
        phone_enc = coalesce(EXCLUDED.phone_enc, returnees.phone_enc), phone_hash = coalesce(EXCLUDED.phone_hash, returnees.phone_hash),
        phone_last4 = coalesce(EXCLUDED.phone_last4, returnees.phone_last4),
        elderly = returnees.elderly OR EXCLUDED.elderly, no_smartphone = returnees.no_smartphone OR EXCLUDED.no_smartphone,
        resident_id = coalesce(EXCLUDED.resident_id, returnees.resident_id),
        ${moveHere
          ? sql`community_id = EXCLUDED.community_id, org_path = EXCLUDED.org_path, street_id = EXCLUDED.street_id, compound_id = EXCLUDED.compound_id,
                household_id = EXCLUDED.household_id, address = EXCLUDED.address,`
          : sql``}
        updated_at = now()
      RETURNING id, community_id AS "communityId", org_path AS path, (xmax = 0) AS created`)
    const r = ret.rows[0] as { id: number; communityId: number; path: string; created: boolean }
    const risk: Risk = await riskOfTrip(tx, trip)
    const t = await tx.execute(sql`
      INSERT INTO returnee_trips (returnee_id, community_id, province_code, city_code, district_code, origin_name, route, departed_on, arrived_on,
        transport, transport_no, key_contact, health_color, travel_card_upload_id, risk, source, registered_by, reviewed_at)
      VALUES (${r.id}, ${r.communityId}, ${trip.provinceCode}, ${trip.cityCode ?? null}, ${trip.districtCode ?? null}, ${trip.originName}, ${trip.route ?? ''},
        ${trip.departedOn ?? null}, ${trip.arrivedOn}, ${trip.transport}, ${trip.transportNo ?? ''}, ${trip.keyContact}, ${trip.healthColor ?? null},
        ${trip.travelCardUploadId ?? null}, ${risk}, ${source}, ${actor.userId}, ${source === 'worker' ? sql`now()` : null})
      ON CONFLICT (returnee_id, arrived_on) DO UPDATE SET
        registrations = returnee_trips.registrations + 1,
        route = CASE WHEN returnee_trips.route = '' THEN EXCLUDED.route ELSE returnee_trips.route END,
        departed_on = coalesce(returnee_trips.departed_on, EXCLUDED.departed_on),
        transport_no = CASE WHEN returnee_trips.transport_no = '' THEN EXCLUDED.transport_no ELSE returnee_trips.transport_no END,
        key_contact = returnee_trips.key_contact OR EXCLUDED.key_contact,
        health_color = coalesce(EXCLUDED.health_color, returnee_trips.health_color),
        travel_card_upload_id = coalesce(returnee_trips.travel_card_upload_id, EXCLUDED.travel_card_upload_id),
        reviewed_at = coalesce(returnee_trips.reviewed_at, EXCLUDED.reviewed_at),
        updated_at = now()
      RETURNING id, (xmax = 0) AS created`)
    const trow = t.rows[0] as { id: number; created: boolean }
    // A new trip of someone without an open case opens one, waiting for the worker's decision.
    if (!open) {
      const c = await tx.execute(sql`
        INSERT INTO quarantine_cases (returnee_id, trip_id, community_id, org_path, resident_id, compound_id, state)
        SELECT id, ${trow.id}, community_id, org_path, resident_id, compound_id, 'registered' FROM returnees WHERE id = ${r.id}
        RETURNING id`)
      const caseId = (c.rows[0] as { id: number }).id
      await tx.execute(sql`INSERT INTO quarantine_events (case_id, community_id, actor_id, action, from_state, to_state, reason)
        VALUES (${caseId}, ${r.communityId}, ${actor.userId}, 'open', NULL, 'registered', ${source === 'self' ? '本人或家属返崇登记' : '社区登记'})`)
      await tx.execute(sql`UPDATE returnees SET state = 'registered', current_case_id = ${caseId} WHERE id = ${r.id}`)
    }
    return { returnee: await returneeView(tx, r.id), tripId: trow.id, merged: !trow.created, created: r.created }
  }

  return {
    /** 返崇登记 by a resident, for themself or a family member. Submitting the same trip again merges. */
    async registerSelf(auth: AuthContext, b: SelfRegisterBody) {
      const id = checkIdNumber(b.idNumber)
      const person = { ...sealPerson(config, b.name, id, b.phone || null), elderly: b.elderly ?? false, noSmartphone: b.noSmartphone ?? false }
      return db.transaction(async (tx) => {
        const member = await registerMember(tx, person.idHash)
        const compound = await placeOfCompound(tx, member?.compoundId ?? b.compoundId)
        const place: Placement = {
          communityId: compound.communityId,
          path: compound.path,
          streetId: compound.streetId,
          compoundId: compound.compoundId,
          householdId: member?.householdId ?? null,
          residentId: member?.residentId ?? null,
          address: member?.address ?? `${compound.compoundName}${b.address}`,
        }
        return register(tx, auth, person, place, b.trip, 'self', auth.userId)
      })
    },

    /** A worker registers someone (desk or 扫楼): a register member by id, or a person typed in. */
    async registerByWorker(auth: AuthContext, b: WorkerRegisterBody) {
      return db.transaction(async (tx) => {
        const community = await placeOfCommunity(tx, b.communityId)
        let person: SealedPerson
        let member: Awaited<ReturnType<typeof registerMember>> = null
        if (b.residentId) {
          const r = (await tx.execute(sql`SELECT name, id_enc AS "idEnc", id_hash AS "idHash", id_masked AS "idMasked", name_masked AS "nameMasked",
              phone_enc AS "phoneEnc", phone_hash AS "phoneHash", phone_last4 AS "phoneLast4" FROM residents WHERE id = ${b.residentId} AND moved_out IS NULL`))
            .rows[0] as unknown as SealedPerson | undefined
          if (!r) throw notFound('住户成员')
          person = r
          member = await registerMember(tx, r.idHash)
        } else {
          if (!b.name || !b.idNumber) throw badRequest('请填写姓名和身份证号，或从住户名册中选择')
          person = sealPerson(config, b.name, checkIdNumber(b.idNumber), b.phone || null)
          member = await registerMember(tx, idHashOf(config, checkIdNumber(b.idNumber)))
        }
        let household = member ? { id: member.householdId, compoundId: member.compoundId, address: member.address } : null
        if (!household && b.householdId) {
          const h = (await tx.execute(sql`SELECT h.id, h.compound_id AS "compoundId", c.name AS "compoundName", b.name AS "buildingName", b.units, h.unit, h.room
              FROM households h JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = h.compound_id WHERE h.id = ${b.householdId}`)).rows[0] as
            | { id: number; compoundId: number; compoundName: string; buildingName: string; units: number; unit: number; room: string }
            | undefined
          if (!h) throw notFound('住户')
          household = { id: h.id, compoundId: h.compoundId, address: addressOf(h) }
        }
        if (household) {
          const p = await placeOfCompound(tx, household.compoundId)
          if (!inScope(community.path, `${p.path}`) || p.communityId !== community.communityId) throw badRequest('该住户不在所选社区')
        } else if (!b.address) throw badRequest('请填写住址')
        const place: Placement = {
          ...community,
          compoundId: household?.compoundId ?? null,
          householdId: household?.id ?? null,
          residentId: member?.residentId ?? null,
          address: household?.address ?? b.address!,
        }
        const sealed = { ...person, elderly: b.elderly ?? false, noSmartphone: b.noSmartphone ?? false }
        const result = await register(tx, auth, sealed, place, b.trip, 'worker', null)
        // Registering someone of a room on a sweep marks the room 已登记 (the sweep's progress follows).
        if (household)
          await tx.execute(sql`
            INSERT INTO sweep_marks (household_id, compound_id, building_id, mark, marked_by)
            SELECT h.id, h.compound_id, h.building_id, 'registered', ${auth.userId} FROM households h WHERE h.id = ${household.id}
            ON CONFLICT (household_id) DO UPDATE SET mark = 'registered', marked_by = EXCLUDED.marked_by, marked_at = now()`)
        return result
      })
    },

    /** People the resident registered (themself, family): what the H5 shows under 我的返崇登记. */
    async mine(auth: AuthContext) {
      const r = await db.execute(sql`SELECT ${VIEW_SELECT} WHERE ${auth.userId} = ANY(r.owner_ids) ORDER BY r.id DESC LIMIT 50`)
      return { items: r.rows.map((x) => toView(x as Record<string, unknown>)) }
    },

    async list(auth: AuthContext, q: { communityId?: number; state?: string; q?: string; unreviewed?: boolean; cursor?: string; limit?: number }) {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const path = q.communityId ? (await placeOfCommunity(db, q.communityId)).path : (auth.orgPath ?? '/')
      const term = q.q?.trim()
      const r = await db.execute(sql`
        SELECT ${VIEW_SELECT}
        WHERE r.org_path LIKE ${`${path}%`}
          ${q.state ? sql`AND r.state = ${q.state}` : sql``}
          ${after ? sql`AND r.id < ${after}` : sql``}
          ${term ? (/^\d{4}$/.test(term) ? sql`AND r.phone_last4 = ${term}` : sql`AND (r.name LIKE ${`%${term.replace(/[\\%_]/g, '')}%`} OR r.name_masked = ${term})`) : sql``}
          ${q.unreviewed ? sql`AND EXISTS (SELECT 1 FROM returnee_trips t WHERE t.returnee_id = r.id AND t.reviewed_at IS NULL)` : sql``}
        ORDER BY r.id DESC LIMIT ${limit + 1}`)
      const rows = r.rows.map((x) => toView(x as Record<string, unknown>))
      const more = rows.length > limit
      const page = rows.slice(0, limit)
      return { items: page, nextCursor: more ? encodeCursor(page.at(-1)!.id) : null }
    },

    get: (id: number) => returneeView(db, id),

    /** The worker has looked at the self-registrations of this person: they leave the today list. */
    async review(auth: AuthContext, id: number) {
      await db.execute(sql`UPDATE returnee_trips SET reviewed_at = now(), updated_at = now() WHERE returnee_id = ${id} AND reviewed_at IS NULL`)
      return returneeView(db, id)
    },

  }
}
export type ReturneesService = ReturneeServiceT
type ReturneeServiceT = ReturnType<typeof createReturneesService>
