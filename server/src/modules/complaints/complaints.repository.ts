import { sql, type SQL } from 'drizzle-orm'
import type { ComplaintStatus, EventView, Photo } from '@cc/shared'
import type { DbOrTx } from '../../db/client.js'
import { photoUrl } from '../uploads/uploads.service.js'

/** One row as every view needs it, joined once. Reporter identity is NOT part of it. */
export interface ComplaintJoined {
  id: number
  trackingCode: string
  reporterId: number
  categoryId: number
  categoryName: string
  placeOrgId: number | null
  placeName: string
  streetName: string | null
  description: string
  anonymous: boolean
  status: ComplaintStatus
  createdAt: Date
  rejectReason: string | null
  mergedIntoId: number | null
  mergedIntoCode: string | null
  assigneeOrgId: number | null
  assigneeName: string | null
  assignedAt: Date | null
  signDueAt: Date | null
  rectifyDueAt: Date | null
  signedAt: Date | null
  rectifiedAt: Date | null
  signOverdue: boolean
  rectifyOverdue: boolean
  escalatedAt: Date | null
  returns: number
  rectifyText: string | null
  pendingRequest: 'extension' | 'reassign' | null
  pendingReason: string | null
  pendingUntil: Date | null
  pendingAt: Date | null
  rating: 'satisfied' | 'unsatisfied' | null
  publishedAt: Date | null
  followers: number
  bulletinId: number | null
  bulletinTitle: string | null
}

const SELECT = sql`
  SELECT c.id, c.tracking_code AS "trackingCode", c.reporter_id AS "reporterId", c.category_id AS "categoryId", cat.name AS "categoryName",
    c.place_org_id AS "placeOrgId", COALESCE(org_place_name(p.path), c.address) AS "placeName", st.name AS "streetName",
    c.description, c.anonymous, c.status, c.created_at AS "createdAt", c.reject_reason AS "rejectReason",
    c.merged_into_id AS "mergedIntoId", m.tracking_code AS "mergedIntoCode",
    c.assignee_org_id AS "assigneeOrgId", a.name AS "assigneeName", c.assigned_at AS "assignedAt", c.sign_due_at AS "signDueAt",
    c.rectify_due_at AS "rectifyDueAt", c.signed_at AS "signedAt", c.rectified_at AS "rectifiedAt",
    c.sign_overdue AS "signOverdue", c.rectify_overdue AS "rectifyOverdue", c.escalated_at AS "escalatedAt", c.returns,
    c.rectify_text AS "rectifyText", c.pending_request AS "pendingRequest", c.pending_reason AS "pendingReason",
    c.pending_until AS "pendingUntil", c.pending_at AS "pendingAt", c.rating, c.published_at AS "publishedAt",
    (SELECT count(*)::int FROM complaint_followers f WHERE f.complaint_id = c.id) AS followers,
    bi.bulletin_id AS "bulletinId", b.title AS "bulletinTitle"
  FROM complaints c
  JOIN complaint_categories cat ON cat.id = c.category_id
  LEFT JOIN org_units p ON p.id = c.place_org_id
  LEFT JOIN org_units st ON st.id = c.street_org_id
  LEFT JOIN org_units a ON a.id = c.assignee_org_id
  LEFT JOIN complaints m ON m.id = c.merged_into_id
  LEFT JOIN bulletin_items bi ON bi.complaint_id = c.id
  LEFT JOIN bulletins b ON b.id = bi.bulletin_id AND b.status = 'published'`

const DATE_FIELDS = ['createdAt', 'assignedAt', 'signDueAt', 'rectifyDueAt', 'signedAt', 'rectifiedAt', 'escalatedAt', 'pendingUntil', 'pendingAt', 'publishedAt'] as const

/** Raw drizzle `execute` hands timestamps back as text; the views want Dates. */
export function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null
  return v instanceof Date ? v : new Date(String(v).replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
}

export async function loadComplaints(db: DbOrTx, where: SQL, order: SQL = sql`c.id DESC`, limit = 50): Promise<ComplaintJoined[]> {
  const r = await db.execute(sql`${SELECT} WHERE ${where} ORDER BY ${order} LIMIT ${limit}`)
  const rows = r.rows as Record<string, unknown>[]
  for (const row of rows) for (const f of DATE_FIELDS) row[f] = toDate(row[f])
  return rows as unknown as ComplaintJoined[]
}

export async function loadComplaint(db: DbOrTx, id: number): Promise<ComplaintJoined | null> {
  return (await loadComplaints(db, sql`c.id = ${id}`, sql`c.id`, 1))[0] ?? null
}

export async function photosOf(db: DbOrTx, complaintId: number): Promise<{ report: Photo[]; rectify: Photo[] }> {
  const r = await db.execute(sql`SELECT upload_id AS id, stage FROM complaint_photos WHERE complaint_id = ${complaintId} ORDER BY stage, seq`)
  const out = { report: [] as Photo[], rectify: [] as Photo[] }
  for (const row of r.rows as { id: string; stage: 'report' | 'rectify' }[]) out[row.stage].push({ id: row.id, url: photoUrl(row.id), thumbUrl: photoUrl(row.id, true) })
  return out
}

const ROLE_LABEL_SQL = sql`CASE e.actor_role
  WHEN 'resident' THEN '网友'
  WHEN 'district_admin' THEN '区指挥部'
  ELSE COALESCE(o.name, '责任单位') END`

/** Event history with actors shown as a unit label, never a person. */
export async function eventsOf(db: DbOrTx, complaintId: number): Promise<EventView[]> {
  const r = await db.execute(sql`
    SELECT e.at, e.kind, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.note,
      CASE WHEN e.actor_role IS NULL THEN '系统' ELSE ${ROLE_LABEL_SQL} END AS "actorLabel"
    FROM complaint_events e LEFT JOIN org_units o ON o.id = e.actor_org_id
    WHERE e.complaint_id = ${complaintId} ORDER BY e.id`)
  return (r.rows as (Omit<EventView, 'at'> & { at: unknown })[]).map((e) => ({ ...e, at: toDate(e.at)!.toISOString() }))
}

export async function followerIds(db: DbOrTx, complaintId: number): Promise<number[]> {
  const r = await db.execute(sql`SELECT user_id FROM complaint_followers WHERE complaint_id = ${complaintId}`)
  return (r.rows as { user_id: number }[]).map((x) => x.user_id)
}
