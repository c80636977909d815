import { createHash } from 'node:crypto'
import { sql, type SQL } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
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
    b.bulletin_id AS "bulletinId", b.title AS "bulletinTitle"
  FROM complaints c
  JOIN complaint_categories cat ON cat.id = c.category_id
  LEFT JOIN org_units p ON p.id = c.place_org_id
  LEFT JOIN org_units st ON st.id = c.street_org_id
  LEFT JOIN org_units a ON a.id = c.assignee_org_id
  LEFT JOIN complaints m ON m.id = c.merged_into_id
  LEFT JOIN LATERAL (
    -- A reopened report can be in several bulletins: the latest published one is the one to show.
    SELECT bi.bulletin_id, b.title FROM bulletin_items bi JOIN bulletins b ON b.id = bi.bulletin_id AND b.status = 'published'
    WHERE bi.complaint_id = c.id ORDER BY b.published_at DESC, b.id DESC LIMIT 1
  ) b ON TRUE`

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

const EVENT_LABEL_SQL = sql`CASE WHEN e.actor_role IS NULL THEN '系统' ELSE ${ROLE_LABEL_SQL} END`

/** Event history with actors shown as a unit label, never a person. */
export async function eventsOf(db: DbOrTx, complaintId: number): Promise<EventView[]> {
  const r = await db.execute(sql`
    SELECT e.at, e.kind, e.from_status AS "fromStatus", e.to_status AS "toStatus", e.note, ${EVENT_LABEL_SQL} AS "actorLabel"
    FROM complaint_events e LEFT JOIN org_units o ON o.id = e.actor_org_id
    WHERE e.complaint_id = ${complaintId} ORDER BY e.id`)
  return (r.rows as (Omit<EventView, 'at'> & { at: unknown })[]).map((e) => ({ ...e, at: toDate(e.at)!.toISOString() }))
}

export async function followerIds(db: DbOrTx, complaintId: number): Promise<number[]> {
  const r = await db.execute(sql`SELECT user_id FROM complaint_followers WHERE complaint_id = ${complaintId}`)
  return (r.rows as { user_id: number }[]).map((x) => x.user_id)
}

export interface SuggestedUnit {
  id: number
  kind: 'community' | 'street' | 'market'
  name: string
  label: string
}

/**
 * The unit a report at this place would normally be assigned to: the market entity itself, else the nearest
 * community (or street) at or above the place — a compound's community, a community itself.
 */
export async function suggestedUnitOf(db: DbOrTx, placeOrgId: number | null): Promise<SuggestedUnit | null> {
  if (!placeOrgId) return null
  const r = await db.execute(sql`
    SELECT u.id, u.kind, u.name, s.name AS "streetName"
    FROM org_units p
    JOIN org_units u ON p.path LIKE u.path || '%' AND u.kind IN ('market', 'community', 'street')
    LEFT JOIN org_units s ON s.kind = 'street' AND u.path LIKE s.path || '%' AND s.id <> u.id
    WHERE p.id = ${placeOrgId}
    ORDER BY length(u.path) DESC LIMIT 1`)
  const u = r.rows[0] as { id: number; kind: SuggestedUnit['kind']; name: string; streetName: string | null } | undefined
  if (!u) return null
  return { id: u.id, kind: u.kind, name: u.name, label: u.kind === 'community' && u.streetName ? `${u.streetName} / ${u.name}` : u.name }
}

const dialect = new PgDialect()
const statementNames = new Map<string, string>()

/**
 * Runs `query` as a named prepared statement: PostgreSQL parses and plans it once per connection instead of
 * at every call (planning the list joins cost several times more than running them). The name comes from
 * the text, so a different filter combination is another statement, never a clash. Values must be
 * parameters (never sql.raw), or every call would be a new statement. Timestamps come back as text (toDate).
 */
export async function prepared<T = Record<string, unknown>>(db: DbOrTx, query: SQL): Promise<T[]> {
  const q = dialect.sqlToQuery(query)
  let name = statementNames.get(q.sql)
  if (!name) statementNames.set(q.sql, (name = `cc_${createHash('sha1').update(q.sql).digest('hex').slice(0, 24)}`))
  const r = (await db._.session.prepareQuery(q, undefined, name, false).execute()) as unknown as { rows: T[] }
  return r.rows
}

/** What a list row (ComplaintRow) is built from. */
export type ComplaintListRow = Pick<
  ComplaintJoined,
  'id' | 'trackingCode' | 'categoryName' | 'placeName' | 'description' | 'status' | 'followers' | 'createdAt' | 'assigneeName' | 'signDueAt' | 'rectifyDueAt' | 'signOverdue' | 'rectifyOverdue' | 'escalatedAt' | 'pendingRequest'
>

/**
 * One page of a list in one statement: `page` picks the ids from complaints alone (indexed filters, keyset
 * order, limit) and only those rows are joined for their names. `page` must select `id`.
 */
export async function listPage(db: DbOrTx, page: SQL, order: 'asc' | 'desc'): Promise<ComplaintListRow[]> {
  const rows = await prepared(
    db,
    sql`
    WITH page AS MATERIALIZED (${page})
    SELECT c.id, c.tracking_code AS "trackingCode", cat.name AS "categoryName", COALESCE(org_place_name(p.path), c.address) AS "placeName",
      c.description, c.status, c.created_at AS "createdAt", a.name AS "assigneeName", c.sign_due_at AS "signDueAt",
      c.rectify_due_at AS "rectifyDueAt", c.sign_overdue AS "signOverdue", c.rectify_overdue AS "rectifyOverdue",
      c.escalated_at AS "escalatedAt", c.pending_request AS "pendingRequest",
      (SELECT count(*)::int FROM complaint_followers f WHERE f.complaint_id = c.id) AS followers
    FROM page
    JOIN complaints c ON c.id = page.id
    JOIN complaint_categories cat ON cat.id = c.category_id
    LEFT JOIN org_units p ON p.id = c.place_org_id
    LEFT JOIN org_units a ON a.id = c.assignee_org_id
    ORDER BY c.id ${order === 'asc' ? sql`ASC` : sql`DESC`}`,
  )
  for (const r of rows) for (const f of ['createdAt', 'signDueAt', 'rectifyDueAt', 'escalatedAt']) r[f] = toDate(r[f])
  return rows as unknown as ComplaintListRow[]
}

/** A report with its photos and events, as the views build it. */
export interface ComplaintLoaded {
  c: ComplaintJoined
  photos: { report: Photo[]; rectify: Photo[] }
  events: EventView[]
}

/**
 * A resident's reports and the ones they joined (我也遇到), newest first, with photos and events, in one
 * statement: each side is its own index range (reporter_id, id) / (user_id, complaint_id), merged by UNION,
 * instead of `reporter_id = x OR EXISTS (…)`, which no index can serve.
 */
export async function residentPage(db: DbOrTx, userId: number, before: number | null, limit: number): Promise<ComplaintLoaded[]> {
  const b = before ?? 2147483647
  const rows = await prepared(
    db,
    sql`
    WITH mine AS (
      (SELECT id FROM complaints WHERE reporter_id = ${userId} AND id < ${b} ORDER BY id DESC LIMIT ${limit})
      UNION
      (SELECT complaint_id FROM complaint_followers WHERE user_id = ${userId} AND complaint_id < ${b} ORDER BY complaint_id DESC LIMIT ${limit})
    ), page AS MATERIALIZED (SELECT id FROM mine ORDER BY id DESC LIMIT ${limit})
    SELECT j.*,
      (SELECT json_agg(json_build_object('id', ph.upload_id, 'stage', ph.stage) ORDER BY ph.stage, ph.seq)
        FROM complaint_photos ph WHERE ph.complaint_id = j.id) AS "photosJson",
      (SELECT json_agg(json_build_object('at', e.at, 'kind', e.kind, 'fromStatus', e.from_status, 'toStatus', e.to_status,
          'note', e.note, 'actorLabel', ${EVENT_LABEL_SQL}) ORDER BY e.id)
        FROM complaint_events e LEFT JOIN org_units o ON o.id = e.actor_org_id WHERE e.complaint_id = j.id) AS "eventsJson"
    FROM (${SELECT} WHERE c.id IN (SELECT id FROM page)) j
    ORDER BY j.id DESC`,
  )
  return rows.map((row) => {
    for (const f of DATE_FIELDS) row[f] = toDate(row[f])
    const photos = { report: [] as Photo[], rectify: [] as Photo[] }
    for (const p of (row.photosJson ?? []) as { id: string; stage: 'report' | 'rectify' }[]) photos[p.stage].push({ id: p.id, url: photoUrl(p.id), thumbUrl: photoUrl(p.id, true) })
    const events = ((row.eventsJson ?? []) as (Omit<EventView, 'at'> & { at: string })[]).map((e) => ({ ...e, at: toDate(e.at)!.toISOString() }))
    delete row.photosJson
    delete row.eventsJson
    return { c: row as unknown as ComplaintJoined, photos, events }
  })
}
