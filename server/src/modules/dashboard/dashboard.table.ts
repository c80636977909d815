import { sql } from 'drizzle-orm'
import { boolean, date, index, integer, pgTable, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { direction, verdict } from '../gate/gate.table.js'

/**
 * The dashboard's rollups. Like complaint_counters they hold deltas: the writer's transaction appends a row (a
 * trigger on complaints / gate_daily, folded = false), never updates a shared one, and dash_rollup_compact() moves
 * the deltas written since the last fold into the one folded row of their key (migration 0022), so a fold costs what
 * was written meanwhile. Every number is sum(column) over the key, folded row and pending deltas alike.
 *
 * Complaints are booked to the Beijing day they were filed (a cohort) and counted on their current state, so
 * "signed on time of the reports filed in November" is one range sum and its rows are one list query.
 *
 * The complaint cohorts per org level (migration 0017): every report is counted three times, for the district,
 * its street and its community (org_id), each row knowing its parent org (parent_id), so a scope reads its
 * own rows (org_id = x) and its children's rows (parent_id = x) — a few thousand rows for a year, whatever
 * the number of reports. A report with only a typed address is booked to org 0 (未定位) under the district.
 * Each row is also written with category_id 0 (all categories), so totals, days and children read one row
 * per org and day instead of one per category.
 */
export const dashComplaintDays = pgTable(
  'dash_complaint_days',
  {
    day: date('day', { mode: 'string' }).notNull(),
    orgId: integer('org_id').notNull(),
    parentId: integer('parent_id').notNull(),
    categoryId: integer('category_id').notNull(),
    received: integer('received').notNull(),
    signed: integer('signed').notNull(),
    signedOnTime: integer('signed_on_time').notNull(),
    rectified: integer('rectified').notNull(),
    rectifiedOnTime: integer('rectified_on_time').notNull(),
    rated: integer('rated').notNull(),
    satisfied: integer('satisfied').notNull(),
    returned: integer('returned').notNull(),
    returns: integer('returns').notNull(),
    plugged: integer('plugged').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    index('dash_complaint_days_org_cat_idx').on(t.orgId, t.categoryId, t.day),
    index('dash_complaint_days_parent_cat_idx').on(t.parentId, t.categoryId, t.day),
    uniqueIndex('dash_complaint_days_folded_uq').on(t.day, t.orgId, t.parentId, t.categoryId).where(sql`folded`),
    index('dash_complaint_days_deltas_idx').on(t.day).where(sql`NOT folded`),
  ],
)

/**
 * Gate checks per org level like dash_complaint_days, in two grains: hour >= 0 rows count an hour of a day
 * (reason ''), hour = -1 rows the whole day with the first reason of a deny / register. Kept from gate_daily
 * by a trigger: one insert of six rows per change.
 */
export const dashGateOrg = pgTable(
  'dash_gate_org',
  {
    day: date('day', { mode: 'string' }).notNull(),
    hour: smallint('hour').notNull(),
    orgId: integer('org_id').notNull(),
    parentId: integer('parent_id').notNull(),
    direction: direction('direction').notNull(),
    verdict: verdict('verdict').notNull(),
    reason: text('reason').notNull(),
    n: integer('n').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [
    index('dash_gate_org_org_idx').on(t.orgId, t.day),
    index('dash_gate_org_parent_idx').on(t.parentId, t.hour, t.day),
    uniqueIndex('dash_gate_org_folded_uq').on(t.day, t.hour, t.orgId, t.parentId, t.direction, t.verdict, t.reason).where(sql`folded`),
    index('dash_gate_org_deltas_idx').on(t.day).where(sql`NOT folded`),
  ],
)

/** What is true now, whatever the filing day: open and overdue reports per place. Same delta scheme. */
export const dashComplaintNow = pgTable(
  'dash_complaint_now',
  {
    streetId: integer('street_id').notNull(),
    communityId: integer('community_id').notNull(),
    categoryId: integer('category_id').notNull(),
    overdue: integer('overdue').notNull(),
    open: integer('open').notNull(),
    folded: boolean('folded').notNull().default(false),
  },
  (t) => [uniqueIndex('dash_complaint_now_folded_uq').on(t.streetId, t.communityId, t.categoryId).where(sql`folded`)],
)

