import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, date, doublePrecision, index, integer, jsonb, pgEnum, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { COMPLAINT_STATUSES } from '@cc/shared'
import { createdAt, timestamps } from '../../db/columns.js'
import { roleEnum, users } from '../auth/auth.table.js'
import { orgUnits } from '../org/org.table.js'
import { uploads } from '../uploads/uploads.table.js'

export const complaintStatus = pgEnum('complaint_status', COMPLAINT_STATUSES)
export const ratingEnum = pgEnum('complaint_rating', ['satisfied', 'unsatisfied'])
export const requestKind = pgEnum('complaint_request_kind', ['extension', 'reassign'])

/** Categories and their clocks are data: the district can change them without a release. */
export const categories = pgTable('complaint_categories', {
  id: serial('id').primaryKey(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  signHours: smallint('sign_hours').notNull(),
  rectifyDays: smallint('rectify_days').notNull(),
  active: boolean('active').notNull().default(true),
  sort: smallint('sort').notNull().default(0),
})

export const complaints = pgTable(
  'complaints',
  {
    id: serial('id').primaryKey(),
    trackingCode: text('tracking_code').notNull(),
    reporterId: integer('reporter_id').notNull().references(() => users.id, { onDelete: 'restrict' }),
    /** The client's Idempotency-Key: a retried submit can never create a second report. */
    clientKey: text('client_key').notNull(),
    categoryId: integer('category_id').notNull().references(() => categories.id),
    placeOrgId: integer('place_org_id').references(() => orgUnits.id),
    address: text('address'),
    /** Street the place lies in (for filters and street statistics); null for a free address. */
    streetOrgId: integer('street_org_id').references(() => orgUnits.id),
    description: text('description').notNull(),
    anonymous: boolean('anonymous').notNull(),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    status: complaintStatus('status').notNull().default('submitted'),
    rejectReason: text('reject_reason'),
    mergedIntoId: integer('merged_into_id').references((): any => complaints.id),
    assigneeOrgId: integer('assignee_org_id').references(() => orgUnits.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    signDueAt: timestamp('sign_due_at', { withTimezone: true }),
    rectifyDueAt: timestamp('rectify_due_at', { withTimezone: true }),
    signedAt: timestamp('signed_at', { withTimezone: true }),
    rectifiedAt: timestamp('rectified_at', { withTimezone: true }),
    /** First rectification reported before its deadline: feeds the on-time rate. */
    rectifiedOnTime: boolean('rectified_on_time'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    signReminded: boolean('sign_reminded').notNull().default(false),
    rectifyReminded: boolean('rectify_reminded').notNull().default(false),
    signOverdue: boolean('sign_overdue').notNull().default(false),
    rectifyOverdue: boolean('rectify_overdue').notNull().default(false),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    returns: smallint('returns').notNull().default(0),
    rectifyText: text('rectify_text'),
    pendingRequest: requestKind('pending_request'),
    pendingReason: text('pending_reason'),
    pendingUntil: timestamp('pending_until', { withTimezone: true }),
    pendingAt: timestamp('pending_at', { withTimezone: true }),
    rating: ratingEnum('rating'),
    ratingComment: text('rating_comment'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /**
     * The assignee's org path, copied by a trigger (migration 0007) whenever assignee_org_id changes, so a
     * unit's task list is a range scan on this table alone (org units never move, so it cannot go stale).
     */
    assigneePath: text('assignee_path'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('complaints_tracking_uq').on(t.trackingCode),
    uniqueIndex('complaints_client_key_uq').on(t.reporterId, t.clientKey),
    // Lists page by id (keyset): each filter a list uses has an index that ends in id.
    index('complaints_status_id_idx').on(t.status, t.id),
    index('complaints_status_assignee_path_idx').using('btree', t.status, sql`${t.assigneePath} text_pattern_ops`, t.id),
    index('complaints_overdue_idx')
      .on(t.id)
      .where(sql`(${t.signOverdue} OR ${t.rectifyOverdue}) AND ${t.status} IN ('assigned', 'signed')`),
    index('complaints_pending_idx').on(t.id).where(sql`${t.pendingRequest} IS NOT NULL`),
    index('complaints_assignee_idx').on(t.assigneeOrgId, t.status),
    index('complaints_reporter_idx').on(t.reporterId, t.id),
    index('complaints_place_cat_idx').on(t.placeOrgId, t.categoryId, t.status),
    index('complaints_street_idx').on(t.streetOrgId, t.status, t.id),
    // The public home's 本周堵漏: fixes verified since Monday that still stand.
    index('complaints_plugged_verified_idx').on(t.verifiedAt).where(sql`${t.status} IN ('verified', 'published', 'closed')`),
    // The rare rows behind the district home's 满意率 and 按时率 (不满意, 超时整改), newest first over all time:
    // without these a list with few or no such reports would read the whole table looking for them.
    index('complaints_unsatisfied_created_idx').on(t.createdAt, t.id).where(sql`${t.rating} = 'unsatisfied'`),
    index('complaints_rectified_late_created_idx')
      .on(t.createdAt, t.id)
      .where(sql`${t.rectifiedAt} IS NOT NULL AND ${t.rectifiedOnTime} IS NOT TRUE`),
    check('complaints_place_or_address', sql`${t.placeOrgId} IS NOT NULL OR ${t.address} IS NOT NULL`),
    check('complaints_assigned_has_unit', sql`${t.status} NOT IN ('assigned','signed','rectified') OR ${t.assigneeOrgId} IS NOT NULL`),
    check('complaints_rejected_has_reason', sql`${t.status} <> 'rejected' OR ${t.rejectReason} IS NOT NULL`),
    check('complaints_merged_has_target', sql`${t.status} <> 'merged' OR ${t.mergedIntoId} IS NOT NULL`),
    check('complaints_not_self_merge', sql`${t.mergedIntoId} IS DISTINCT FROM ${t.id}`),
  ],
)
export type ComplaintRowDb = typeof complaints.$inferSelect

/** Every transition and every non-state event (follow, reminder, escalation, request, return). */
export const complaintEvents = pgTable(
  'complaint_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    complaintId: integer('complaint_id').notNull().references(() => complaints.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: integer('actor_user_id').references(() => users.id),
    actorRole: roleEnum('actor_role'),
    /** The org the actor acted for (shown to others instead of the person). */
    actorOrgId: integer('actor_org_id').references(() => orgUnits.id),
    kind: text('kind').notNull(),
    fromStatus: complaintStatus('from_status'),
    toStatus: complaintStatus('to_status'),
    note: text('note'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('complaint_events_complaint_idx').on(t.complaintId, t.id)],
)

/** "我也遇到": one row per person per report, so a person counts once. */
export const complaintFollowers = pgTable(
  'complaint_followers',
  {
    complaintId: integer('complaint_id').notNull().references(() => complaints.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.complaintId, t.userId] }), index('complaint_followers_user_idx').on(t.userId, t.complaintId)],
)

export const photoStage = pgEnum('photo_stage', ['report', 'rectify'])
export const complaintPhotos = pgTable(
  'complaint_photos',
  {
    complaintId: integer('complaint_id').notNull().references(() => complaints.id, { onDelete: 'cascade' }),
    uploadId: uuid('upload_id').notNull().references(() => uploads.id),
    stage: photoStage('stage').notNull(),
    seq: smallint('seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.complaintId, t.uploadId] }), uniqueIndex('complaint_photos_upload_uq').on(t.uploadId)],
)

/**
 * Which open reports /complaints/similar showed to whom, and when: "我也遇到" is only possible on a report
 * the resident was shown, so nobody can follow (and then read) reports by walking sequential ids.
 * Short-lived: rows older than a day are worthless and are deleted when the same resident asks again.
 */
export const complaintSimilarShown = pgTable(
  'complaint_similar_shown',
  {
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    complaintId: integer('complaint_id').notNull().references(() => complaints.id, { onDelete: 'cascade' }),
    shownAt: timestamp('shown_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.complaintId] }), index('complaint_similar_shown_at_idx').on(t.shownAt)],
)

/**
 * The district's home numbers, kept by triggers on complaints (migration 0007) instead of counted over every
 * report at each page load. Rows are deltas (+1 / -1 for the bucket a report leaves and enters), appended and
 * never updated, so concurrent submits never queue on a shared counter row; complaint_counters_compact()
 * folds them into one row per bucket. The numbers are sum(n) per bucket.
 */
export const complaintCounters = pgTable('complaint_counters', {
  status: complaintStatus('status').notNull(),
  /** sign_overdue OR rectify_overdue */
  overdue: boolean('overdue').notNull(),
  pending: boolean('pending').notNull(),
  rating: ratingEnum('rating'),
  onTime: boolean('on_time'),
  n: integer('n').notNull(),
})

/**
 * Per Beijing day, same delta scheme: 'received' = reports filed that day and not (later) rejected or merged;
 * 'accepted' = reports first accepted that day.
 */
export const complaintDailyCounts = pgTable(
  'complaint_daily_counts',
  {
    day: date('day', { mode: 'string' }).notNull(),
    kind: text('kind').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [index('complaint_daily_counts_day_idx').on(t.day, t.kind)],
)
