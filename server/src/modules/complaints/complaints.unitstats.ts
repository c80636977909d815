import { sql } from 'drizzle-orm'
import type { TaskStats } from '@cc/shared'
import type { AuthContext } from '../../types.js'
import type { ComplaintCore } from './complaints.core.js'

/**
 * A unit's queue numbers for its overview page (street 概览): the same rows as GET /tasks — assigned to the
 * caller's org or any unit below it — counted by where they stand.
 */
export function createUnitStats({ db }: ComplaintCore) {
  return {
    async unitStats(auth: AuthContext): Promise<TaskStats> {
      const r = await db.execute(sql`
        SELECT
          count(*) FILTER (WHERE c.status = 'assigned')::int AS assigned,
          count(*) FILTER (WHERE c.status = 'signed')::int AS signed,
          count(*) FILTER (WHERE c.status = 'rectified')::int AS rectified,
          count(*) FILTER (WHERE c.status = 'verified')::int AS verified,
          count(*) FILTER (WHERE c.status IN ('assigned', 'signed') AND (c.sign_overdue OR c.rectify_overdue))::int AS overdue,
          count(*) FILTER (WHERE c.pending_request IS NOT NULL)::int AS "pendingRequests",
          count(*) FILTER (WHERE c.status = 'signed' AND c.returns > 0)::int AS returned
        FROM complaints c JOIN org_units a ON a.id = c.assignee_org_id
        WHERE a.path LIKE ${`${auth.orgPath}%`} AND c.status IN ('assigned', 'signed', 'rectified', 'verified')`)
      return r.rows[0] as unknown as TaskStats
    },
  }
}
