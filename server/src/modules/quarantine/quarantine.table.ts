import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { QUARANTINE_ACTIONS, SLOTS } from '@cc/shared'
import { createdAt, timestamps } from '../../db/columns.js'
import { users } from '../auth/auth.table.js'
import { orgUnits } from '../org/org.table.js'
import { quarantineState, returnees, trips } from '../returnees/returnees.table.js'

export const quarantineAction = pgEnum('quarantine_action', [...QUARANTINE_ACTIONS, 'open'])
export const followupSlot = pgEnum('followup_slot', SLOTS)
export const natResult = pgEnum('nat_result', ['negative', 'positive'])
export const alertKind = pgEnum('quarantine_alert_kind', ['fever', 'symptom', 'gate', 'risk_up', 'nat_positive'])

/**
 * 集中隔离点. `occupancy` is maintained by the placement statements (a guarded UPDATE … WHERE occupancy <
 * capacity), and the CHECK makes an over-full site impossible even for a writer that forgets.
 */
export const quarantineSites = pgTable(
  'quarantine_sites',
  {
    id: serial('id').primaryKey(),
    /** The street or district that runs the site: its staff edit it. */
    orgId: integer('org_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    address: text('address').notNull(),
    rooms: integer('rooms').notNull(),
    capacity: integer('capacity').notNull(),
    occupancy: integer('occupancy').notNull().default(0),
    active: boolean('active').notNull().default(true),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('quarantine_sites_name_uq').on(t.name),
    check('quarantine_sites_capacity', sql`${t.capacity} >= 0 AND ${t.rooms} >= 0 AND ${t.occupancy} BETWEEN 0 AND ${t.capacity}`),
  ],
)

/** One quarantine case per trip: registered → measure → … → a final state. */
export const quarantineCases = pgTable(
  'quarantine_cases',
  {
    id: serial('id').primaryKey(),
    returneeId: integer('returnee_id').notNull().references(() => returnees.id, { onDelete: 'cascade' }),
    tripId: integer('trip_id').references(() => trips.id, { onDelete: 'set null' }),
    communityId: integer('community_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    orgPath: text('org_path').notNull(),
    /** Denormalised from the returnee so the gate's deny list is one indexed lookup. */
    residentId: integer('resident_id'),
    compoundId: integer('compound_id'),
    state: quarantineState('state').notNull().default('registered'),
    siteId: integer('site_id').references(() => quarantineSites.id, { onDelete: 'restrict' }),
    room: text('room'),
    startOn: date('start_on', { mode: 'string' }),
    endOn: date('end_on', { mode: 'string' }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** Set by the release-proposal job when the conditions hold; cleared when they stop holding. */
    releaseProposedAt: timestamp('release_proposed_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('quarantine_cases_open_uq').on(t.returneeId).where(sql`${t.state} IN ('registered','home','centralised','monitoring')`),
    index('quarantine_cases_community_state_idx').on(t.communityId, t.state),
    index('quarantine_cases_home_compound_idx').on(t.compoundId).where(sql`${t.state} = 'home'`),
    index('quarantine_cases_home_resident_idx').on(t.residentId).where(sql`${t.state} = 'home'`),
    uniqueIndex('quarantine_cases_site_room_uq').on(t.siteId, t.room).where(sql`${t.state} = 'centralised' AND ${t.room} IS NOT NULL`),
    check('quarantine_cases_site', sql`(${t.state} = 'centralised') = (${t.siteId} IS NOT NULL)`),
  ],
)

/** Every change of a case, with who, when and why. Never updated. */
export const quarantineEvents = pgTable(
  'quarantine_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: integer('case_id').notNull().references(() => quarantineCases.id, { onDelete: 'cascade' }),
    communityId: integer('community_id').notNull(),
    actorId: integer('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: quarantineAction('action').notNull(),
    fromState: quarantineState('from_state'),
    toState: quarantineState('to_state').notNull(),
    reason: text('reason').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quarantine_events_case_idx').on(t.caseId, t.id), index('quarantine_events_day_idx').on(t.communityId, t.at, t.toState)],
)

/**
 * 随访: two slots a day per case, created for the whole period at placement (≈ 28 per case, 3 M rows
 * for 100 k cases). The today list reads open slots of a community by deadline through a partial index.
 */
export const followupSlots = pgTable(
  'followup_slots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    caseId: integer('case_id').notNull().references(() => quarantineCases.id, { onDelete: 'cascade' }),
    communityId: integer('community_id').notNull(),
    slotDate: date('slot_date', { mode: 'string' }).notNull(),
    slot: followupSlot('slot').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    temperature: numeric('temperature', { precision: 3, scale: 1 }),
    symptoms: text('symptoms').array().notNull().default(sql`'{}'::text[]`),
    abnormal: boolean('abnormal').notNull().default(false),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    /** worker | self | family */
    recorderKind: text('recorder_kind'),
    overdue: boolean('overdue').notNull().default(false),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('followup_slots_case_slot_uq').on(t.caseId, t.slotDate, t.slot),
    index('followup_slots_open_idx').on(t.communityId, t.dueAt).where(sql`${t.recordedAt} IS NULL`),
    index('followup_slots_pending_due_idx').on(t.dueAt).where(sql`${t.recordedAt} IS NULL AND NOT ${t.overdue}`),
    check('followup_slots_temperature', sql`${t.temperature} IS NULL OR ${t.temperature} BETWEEN 34 AND 43`),
  ],
)

/** 核酸: scheduled on the rule's days at placement; a result is recorded once. */
export const natTests = pgTable(
  'nat_tests',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id').notNull().references(() => quarantineCases.id, { onDelete: 'cascade' }),
    communityId: integer('community_id').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    result: natResult('result'),
    sampledOn: date('sampled_on', { mode: 'string' }),
    recordedBy: integer('recorded_by').references(() => users.id, { onDelete: 'set null' }),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('nat_tests_case_due_uq').on(t.caseId, t.dueOn), index('nat_tests_open_idx').on(t.communityId, t.dueOn).where(sql`${t.result} IS NULL`)],
)

/** Alerts a worker must act on: fever, symptoms, a quarantined person at the gate, risk raised, positive NAT. */
export const quarantineAlerts = pgTable(
  'quarantine_alerts',
  {
    id: serial('id').primaryKey(),
    caseId: integer('case_id').references(() => quarantineCases.id, { onDelete: 'cascade' }),
    returneeId: integer('returnee_id').notNull().references(() => returnees.id, { onDelete: 'cascade' }),
    communityId: integer('community_id').notNull(),
    kind: alertKind('kind').notNull(),
    text: text('text').notNull(),
    followupId: integer('followup_id'),
    createdAt: createdAt(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: integer('handled_by').references(() => users.id, { onDelete: 'set null' }),
    handledNote: text('handled_note'),
  },
  (t) => [index('quarantine_alerts_open_idx').on(t.communityId, t.createdAt).where(sql`${t.handledAt} IS NULL`)],
)

/** 日报: the day's snapshot per community, written by the job (and by the counts call for today). */
export const quarantineDaily = pgTable(
  'quarantine_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    communityId: integer('community_id').notNull().references(() => orgUnits.id, { onDelete: 'cascade' }),
    streetId: integer('street_id').notNull(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.day, t.communityId] }), index('quarantine_daily_street_idx').on(t.streetId, t.day)],
)
