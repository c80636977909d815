import { sql } from 'drizzle-orm'
import type { ScopeResolver } from '../../types.js'

/**
 * Who may act on a report: staff whose scope covers the unit it is assigned to; residents who filed it
 * or joined it ("我也遇到"). The district's scope covers everything.
 */
export const complaintScope: ScopeResolver = async (db, id) => {
  const r = await db.execute(sql`
    SELECT c.reporter_id AS "reporterId", a.path AS "assigneePath",
      ARRAY(SELECT f.user_id FROM complaint_followers f WHERE f.complaint_id = c.id) AS followers
    FROM complaints c LEFT JOIN org_units a ON a.id = c.assignee_org_id WHERE c.id = ${id}`)
  const row = r.rows[0] as { reporterId: number; assigneePath: string | null; followers: number[] } | undefined
  if (!row) return null
  return { paths: row.assigneePath ? [row.assigneePath] : [], ownerIds: [row.reporterId, ...row.followers] }
}
