import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { ScopeResolver } from '../../types.js'

/**
 * Returnee resources belong to the person's community (its path is on the row): staff above it may act;
 * residents only on people they registered (themselves or family), through the /me routes.
 */
const viaCase =
  (from: string): ScopeResolver =>
  async (db: Db, id: number) => {
    const r = await db.execute(sql`SELECT qc.org_path AS path, rt.owner_ids AS "ownerIds" FROM ${sql.raw(from)} WHERE x.id = ${id}`)
    const row = r.rows[0] as { path: string; ownerIds: number[] } | undefined
    return row ? { paths: [row.path], ownerIds: row.ownerIds } : null
  }

export const QUARANTINE_SCOPES: Record<string, ScopeResolver> = {
  returnee: async (db, id) => {
    const r = await db.execute(sql`SELECT org_path AS path, owner_ids AS "ownerIds" FROM returnees WHERE id = ${id}`)
    const row = r.rows[0] as { path: string; ownerIds: number[] } | undefined
    return row ? { paths: [row.path], ownerIds: row.ownerIds } : null
  },
  quarantineCase: viaCase('quarantine_cases x JOIN quarantine_cases qc ON qc.id = x.id JOIN returnees rt ON rt.id = qc.returnee_id'),
  followup: viaCase('followup_slots x JOIN quarantine_cases qc ON qc.id = x.case_id JOIN returnees rt ON rt.id = qc.returnee_id'),
  nat: viaCase('nat_tests x JOIN quarantine_cases qc ON qc.id = x.case_id JOIN returnees rt ON rt.id = qc.returnee_id'),
  quarantineAlert: async (db, id) => {
    const r = await db.execute(sql`SELECT o.path FROM quarantine_alerts a JOIN org_units o ON o.id = a.community_id WHERE a.id = ${id}`)
    const row = r.rows[0] as { path: string } | undefined
    return row ? { paths: [row.path], ownerIds: [] } : null
  },
  /** A site belongs to the street (or the district) that runs it. */
  quarantineSite: async (db, id) => {
    const r = await db.execute(sql`SELECT o.path FROM quarantine_sites s JOIN org_units o ON o.id = s.org_id WHERE s.id = ${id}`)
    const row = r.rows[0] as { path: string } | undefined
    return row ? { paths: [row.path], ownerIds: [] } : null
  },
}
