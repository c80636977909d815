import { sql } from 'drizzle-orm'
import { check, index, integer, pgEnum, pgTable, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { users } from '../auth/auth.table.js'
import { complaints } from '../complaints/complaints.table.js'
import { orgUnits } from '../org/org.table.js'

export const bulletinStatus = pgEnum('bulletin_status', ['draft', 'published'])
export const bulletinKind = pgEnum('bulletin_kind', ['regular', 'erratum'])

/** Per-district counter: publishing takes the row lock, so numbers have no gaps and no duplicates. */
export const bulletinCounters = pgTable('bulletin_counters', {
  districtOrgId: integer('district_org_id').primaryKey().references(() => orgUnits.id),
  lastNumber: integer('last_number').notNull().default(0),
})

export const bulletins = pgTable(
  'bulletins',
  {
    id: serial('id').primaryKey(),
    districtOrgId: integer('district_org_id').notNull().references(() => orgUnits.id),
    number: integer('number'),
    kind: bulletinKind('kind').notNull().default('regular'),
    status: bulletinStatus('status').notNull().default('draft'),
    title: text('title').notNull(),
    correctsId: integer('corrects_id').references((): any => bulletins.id),
    erratumText: text('erratum_text'),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('bulletins_number_uq').on(t.districtOrgId, t.kind, t.number),
    uniqueIndex('bulletins_one_draft_uq').on(t.districtOrgId).where(sql`${t.status} = 'draft' AND ${t.kind} = 'regular'`),
    index('bulletins_published_idx').on(t.status, t.publishedAt),
    check('bulletins_published_numbered', sql`${t.status} = 'draft' OR ${t.number} IS NOT NULL`),
    check('bulletins_erratum_links', sql`(${t.kind} = 'erratum') = (${t.correctsId} IS NOT NULL)`),
  ],
)

export const bulletinItems = pgTable(
  'bulletin_items',
  {
    id: serial('id').primaryKey(),
    bulletinId: integer('bulletin_id').notNull().references(() => bulletins.id, { onDelete: 'cascade' }),
    complaintId: integer('complaint_id').notNull().references(() => complaints.id),
    seq: smallint('seq').notNull(),
    problem: text('problem').notNull(),
    place: text('place').notNull(),
    measures: text('measures').notNull(),
  },
  // A reopened report is fixed again and published again in a later bulletin: once per bulletin, not once ever.
  (t) => [
    uniqueIndex('bulletin_items_bulletin_complaint_uq').on(t.bulletinId, t.complaintId),
    index('bulletin_items_complaint_idx').on(t.complaintId),
    index('bulletin_items_bulletin_idx').on(t.bulletinId, t.seq),
  ],
)
