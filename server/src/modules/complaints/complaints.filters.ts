import { sql, type SQL } from 'drizzle-orm'
import type { ComplaintStatus } from '@cc/shared'

/** The district's list filters (AdminListQuery without paging), shared by the lists and their .xlsx export. */
export interface ListFilters {
  status?: ComplaintStatus
  statuses?: string
  pending?: boolean
  code?: string
  categoryId?: number
  streetId?: number
  overdue?: boolean
}

/** Conditions on `complaints c` alone, each served by an index ending in id, so keyset order stays cheap. */
export function listFilters(q: ListFilters): SQL[] {
  const conds: SQL[] = []
  if (q.status) conds.push(sql`c.status = ${q.status}`)
  else if (q.statuses) conds.push(sql`c.status IN (${sql.join(q.statuses.split(',').map((st) => sql`${st}`), sql`, `)})`)
  if (q.pending) conds.push(sql`c.pending_request IS NOT NULL`)
  if (q.code) conds.push(sql`c.tracking_code = ${q.code.trim().toUpperCase()}`)
  if (q.categoryId) conds.push(sql`c.category_id = ${q.categoryId}`)
  if (q.streetId) conds.push(sql`c.street_org_id = ${q.streetId}`)
  if (q.overdue) conds.push(sql`(c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed')`)
  return conds
}
