import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'

/**
 * 扫楼: building by building, room by room. A room is marked 无人应答 / 已登记 / 无返乡人员; progress per
 * building is the share of its rooms marked. The register pre-fills each room's members.
 */
export function createSweep(db: Db) {
  return {
    async buildings(compoundId: number) {
      const r = await db.execute(sql`
        SELECT b.id, b.name,
          (SELECT count(*) FROM households h WHERE h.building_id = b.id)::int AS rooms,
          (SELECT count(*) FROM sweep_marks m WHERE m.building_id = b.id)::int AS marked,
          (SELECT count(*) FROM sweep_marks m WHERE m.building_id = b.id AND m.mark = 'no_answer')::int AS "noAnswer",
          (SELECT count(*) FROM sweep_marks m WHERE m.building_id = b.id AND m.mark = 'registered')::int AS registered,
          (SELECT count(*) FROM sweep_marks m WHERE m.building_id = b.id AND m.mark = 'none')::int AS none,
          (SELECT count(*) FROM returnees rt JOIN households h ON h.id = rt.household_id WHERE h.building_id = b.id)::int AS returnees
        FROM buildings b WHERE b.compound_id = ${compoundId} ORDER BY length(b.name), b.name`)
      return { compoundId, items: r.rows as Record<string, number | string>[] }
    },

    async rooms(compoundId: number, buildingId: number) {
      const r = await db.execute(sql`
        SELECT h.id AS "householdId", h.unit, h.room, m.mark, m.marked_at AS "markedAt",
          coalesce((SELECT json_agg(json_build_object('residentId', p.id, 'nameMasked', p.name_masked, 'noSmartphone', p.no_smartphone,
                      'elderlyAlone', p.elderly_alone, 'returneeId', rt.id, 'state', rt.state) ORDER BY p.id)
                    FROM residents p LEFT JOIN returnees rt ON rt.resident_id = p.id WHERE p.household_id = h.id AND p.moved_out IS NULL), '[]') AS members
        FROM households h LEFT JOIN sweep_marks m ON m.household_id = h.id
        WHERE h.compound_id = ${compoundId} AND h.building_id = ${buildingId}
        ORDER BY h.unit, length(h.room), h.room`)
      return { items: r.rows.map((x) => ({ ...(x as Record<string, unknown>), markedAt: (x as { markedAt: unknown }).markedAt ? new Date((x as { markedAt: string }).markedAt).toISOString() : null })) }
    },

    /** Marking a room again replaces its mark (a second visit finds someone home). */
    async mark(userId: number, b: { householdId: number; mark: 'no_answer' | 'registered' | 'none'; note?: string }) {
      const r = await db.execute(sql`
        INSERT INTO sweep_marks (household_id, compound_id, building_id, mark, note, marked_by)
        SELECT h.id, h.compound_id, h.building_id, ${b.mark}, ${b.note ?? null}, ${userId} FROM households h WHERE h.id = ${b.householdId}
        ON CONFLICT (household_id) DO UPDATE SET mark = EXCLUDED.mark, note = EXCLUDED.note, marked_by = EXCLUDED.marked_by, marked_at = now()
        RETURNING household_id AS "householdId", building_id AS "buildingId", mark, marked_at AS "markedAt"`)
      const row = r.rows[0] as { householdId: number; buildingId: number; mark: string; markedAt: Date } | undefined
      if (!row) throw notFound('住户')
      return { ...row, markedAt: new Date(row.markedAt).toISOString() }
    },
  }
}
export type Sweep = ReturnType<typeof createSweep>
