import { sql } from 'drizzle-orm'
import type { Db } from '../../db/client.js'
import type { ScopeResolver } from '../../types.js'

/**
 * Register resources belong to their compound: staff whose scope covers its path (the community or grid
 * above it, the street, the district) may act on them. Residents reach their own rows through /me routes only.
 */
const byCompound =
  (table: string): ScopeResolver =>
  async (db: Db, id: number) => {
    const r = await db.execute(sql`SELECT c.path FROM ${sql.identifier(table)} x JOIN org_units c ON c.id = x.compound_id WHERE x.id = ${id}`)
    const row = r.rows[0] as { path: string } | undefined
    return row ? { paths: [row.path], ownerIds: [] } : null
  }

export const REGISTER_SCOPES: Record<string, ScopeResolver> = {
  household: byCompound('households'),
  resident: byCompound('residents'),
  householdClaim: byCompound('household_claims'),
  registerImport: byCompound('register_imports'),
  pass: byCompound('passes'),
}
