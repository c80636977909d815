import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { conflict, notFound } from '../../errors.js'

export interface SiteInput {
  name: string
  address: string
  rooms: number
  capacity: number
  active?: boolean
}

const COLS = sql`s.id, s.org_id AS "orgId", o.name AS "orgName", s.name, s.address, s.rooms, s.capacity, s.occupancy, s.active,
  (s.capacity - s.occupancy) AS free, s.occupancy >= s.capacity AS full`
const FROM = sql`FROM quarantine_sites s JOIN org_units o ON o.id = s.org_id`

const pgCode = (e: unknown) => (e as { code?: string }).code

/** 集中隔离点: run by a street or the district; every staff member may read them (to place people). */
export function createSites(db: Db) {
  async function get(id: number) {
    const r = await db.execute(sql`SELECT ${COLS} ${FROM} WHERE s.id = ${id}`)
    if (!r.rows[0]) throw notFound('隔离点')
    return r.rows[0] as Record<string, unknown>
  }
  return {
    get,
    async list(activeOnly: boolean) {
      const r = await db.execute(sql`SELECT ${COLS} ${FROM} ${activeOnly ? sql`WHERE s.active` : sql``} ORDER BY s.active DESC, (s.capacity - s.occupancy) DESC, s.id`)
      return { items: r.rows as Record<string, unknown>[] }
    },
    async create(orgId: number, b: SiteInput) {
      try {
        const r = await db.execute(sql`INSERT INTO quarantine_sites (org_id, name, address, rooms, capacity, active)
          VALUES (${orgId}, ${b.name.trim()}, ${b.address.trim()}, ${b.rooms}, ${b.capacity}, ${b.active ?? true}) RETURNING id`)
        return get((r.rows[0] as { id: number }).id)
      } catch (e) {
        if (pgCode(e) === '23505') throw conflict('已有同名的隔离点')
        throw e
      }
    },
    /** Capacity may not drop below the people placed there now (the CHECK refuses; we say why). */
    async update(id: number, b: Partial<SiteInput>) {
      try {
        const r = await db.execute(sql`UPDATE quarantine_sites SET
            name = coalesce(${b.name?.trim() ?? null}, name), address = coalesce(${b.address?.trim() ?? null}, address),
            rooms = coalesce(${b.rooms ?? null}::int, rooms), capacity = coalesce(${b.capacity ?? null}::int, capacity),
            active = coalesce(${b.active ?? null}::boolean, active), updated_at = now()
          WHERE id = ${id} RETURNING id`)
        if (!r.rows[0]) throw notFound('隔离点')
      } catch (e) {
        if (pgCode(e) === '23514') throw conflict('容量不能少于当前在住人数')
        if (pgCode(e) === '23505') throw conflict('已有同名的隔离点')
        throw e
      }
      return get(id)
    },
  }
}
export type Sites = ReturnType<typeof createSites>
