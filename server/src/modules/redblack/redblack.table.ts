import { sql } from 'drizzle-orm'
import { bigint, check, index, integer, jsonb, pgEnum, pgTable, serial, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { RB_ENTITY_KINDS, RB_EVIDENCE_KINDS, RB_LISTS, type RbFlag } from '@cc/shared'
import { timestamps } from '../../db/columns.js'
import { users } from '../auth/auth.table.js'
import { bulletinItems } from '../bulletins/bulletins.table.js'
import { complaints } from '../complaints/complaints.table.js'
import { orgUnits } from '../org/org.table.js'

export const rbEntityKind = pgEnum('rb_entity_kind', RB_ENTITY_KINDS)
export const rbList = pgEnum('rb_list', RB_LISTS)
export const rbEvidenceKind = pgEnum('rb_evidence_kind', RB_EVIDENCE_KINDS)
export const rbPeriodStatus = pgEnum('rb_period_status', ['draft', 'published'])
export const rbPeriodKind = pgEnum('rb_period_kind', ['regular', 'erratum'])

/** The rules as data: every change is a new version; a published period records the version it was judged by. */
export const rbRules = pgTable('redblack_rules', {
  version: integer('version').primaryKey(),
  windowDays: smallint('window_days').notNull(),
  awardMinReds: smallint('award_min_reds').notNull(),
  sanctions: jsonb('sanctions').$type<Record<string, string>>().notNull(),
  awards: jsonb('awards').$type<Record<string, string>>().notNull(),
  createdBy: integer('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/**
 * What a listing names. Communities, supermarkets, markets and enterprises that are in the org tree point at
 * their org unit; property companies and projects exist only here (a project belongs to a company and manages a
 * compound). Every entity has a street, so scope checks and the public page can say where it is.
 */
export const rbEntities = pgTable(
  'redblack_entities',
  {
    id: serial('id').primaryKey(),
    kind: rbEntityKind('kind').notNull(),
    name: text('name').notNull(),
    streetOrgId: integer('street_org_id').notNull().references(() => orgUnits.id),
    orgUnitId: integer('org_unit_id').references(() => orgUnits.id),
    companyId: integer('company_id').references((): any => rbEntities.id),
    compoundOrgId: integer('compound_org_id').references(() => orgUnits.id),
    createdBy: integer('created_by').references(() => users.id),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('redblack_entities_kind_street_name_uq').on(t.kind, t.streetOrgId, t.name),
    uniqueIndex('redblack_entities_org_unit_uq').on(t.orgUnitId),
    index('redblack_entities_company_idx').on(t.companyId),
    index('redblack_entities_compound_idx').on(t.compoundOrgId),
    check('redblack_entities_project_links', sql`(${t.kind} = 'property_project') = (${t.companyId} IS NOT NULL AND ${t.compoundOrgId} IS NOT NULL)`),
    check('redblack_entities_company_no_org', sql`${t.kind} <> 'property_company' OR ${t.orgUnitId} IS NULL`),
    check('redblack_entities_name_not_blank', sql`length(btrim(${t.name})) > 0`),
  ],
)

/** Per-district counter: publishing takes the row lock, so numbers have no gaps and no duplicates. */
export const rbCounters = pgTable('redblack_counters', {
  districtOrgId: integer('district_org_id').primaryKey().references(() => orgUnits.id),
  lastNumber: integer('last_number').notNull().default(0),
})

export const rbPeriods = pgTable(
  'redblack_periods',
  {
    id: serial('id').primaryKey(),
    districtOrgId: integer('district_org_id').notNull().references(() => orgUnits.id),
    number: integer('number'),
    kind: rbPeriodKind('kind').notNull().default('regular'),
    status: rbPeriodStatus('status').notNull().default('draft'),
    title: text('title').notNull(),
    correctsId: integer('corrects_id').references((): any => rbPeriods.id),
    erratumText: text('erratum_text'),
    /** The rules the stored flags were computed with (set at publish). */
    rulesVersion: integer('rules_version').references(() => rbRules.version),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('redblack_periods_number_uq').on(t.districtOrgId, t.kind, t.number),
    index('redblack_periods_published_idx').on(t.status, t.id),
    index('redblack_periods_corrects_idx').on(t.correctsId),
    check('redblack_periods_published_numbered', sql`${t.status} = 'draft' OR (${t.number} IS NOT NULL AND ${t.publishedAt} IS NOT NULL)`),
    check('redblack_periods_erratum_links', sql`(${t.kind} = 'erratum') = (${t.correctsId} IS NOT NULL)`),
  ],
)

export const rbEntries = pgTable(
  'redblack_entries',
  {
    id: serial('id').primaryKey(),
    periodId: integer('period_id').notNull().references(() => rbPeriods.id, { onDelete: 'cascade' }),
    entityId: integer('entity_id').notNull().references(() => rbEntities.id),
    list: rbList('list').notNull(),
    seq: smallint('seq').notNull(),
    reason: text('reason').notNull(),
    /** Flags as they stood when the period was published (null while drafting: computed live). */
    flags: jsonb('flags').$type<RbFlag[]>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('redblack_entries_period_entity_uq').on(t.periodId, t.entityId),
    index('redblack_entries_entity_idx').on(t.entityId, t.periodId),
    index('redblack_entries_period_idx').on(t.periodId, t.list, t.seq),
  ],
)

/**
 * Why an entity is listed. A gate check is kept as a snapshot (`label`): checks are purged after 28 days, the
 * list is for ever. Photos are upload ids (the uploads module serves them).
 */
export const rbEvidence = pgTable(
  'redblack_evidence',
  {
    id: serial('id').primaryKey(),
    entryId: integer('entry_id').notNull().references(() => rbEntries.id, { onDelete: 'cascade' }),
    kind: rbEvidenceKind('kind').notNull(),
    complaintId: integer('complaint_id').references(() => complaints.id),
    bulletinItemId: integer('bulletin_item_id').references(() => bulletinItems.id),
    gateCheckId: bigint('gate_check_id', { mode: 'number' }),
    note: text('note'),
    photoIds: jsonb('photo_ids').$type<string[]>().notNull().default([]),
    label: text('label').notNull(),
  },
  (t) => [
    index('redblack_evidence_entry_idx').on(t.entryId),
    index('redblack_evidence_complaint_idx').on(t.complaintId),
    // The uploads pruner keeps every photo named here (`photo_ids ? upload id`).
    index('redblack_evidence_photos_idx').using('gin', t.photoIds),
    check(
      'redblack_evidence_ref',
      sql`(${t.kind} = 'complaint') = (${t.complaintId} IS NOT NULL) AND (${t.kind} = 'bulletin_item') = (${t.bulletinItemId} IS NOT NULL)
        AND (${t.kind} = 'gate_check') = (${t.gateCheckId} IS NOT NULL) AND (${t.kind} = 'inspection') = (${t.note} IS NOT NULL)`,
    ),
  ],
)
