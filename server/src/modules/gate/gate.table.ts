import { sql } from 'drizzle-orm'
import { bigint, bigserial, boolean, date, index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, serial, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { DIRECTIONS, HEALTH_COLORS, VERDICTS, type RuleSet } from '@cc/shared'
import { createdAt } from '../../db/columns.js'
import { bytea, users } from '../auth/auth.table.js'
import { orgUnits } from '../org/org.table.js'
import { households } from '../households/households.table.js'


export const ruleSetStatus = pgEnum('rule_set_status', ['draft', 'active', 'retired'])

/** Admission rule sets: data published by the district, versioned, with a validity window; history kept. */
export const admissionRuleSets = pgTable(
  'admission_rule_sets',
  {
    id: serial('id').primaryKey(),
    version: integer('version').notNull(),
    rules: jsonb('rules').$type<Omit<RuleSet, 'version'>>().notNull(),
    note: text('note').notNull().default(''),
    status: ruleSetStatus('status').notNull().default('draft'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    activatedBy: integer('activated_by').references(() => users.id, { onDelete: 'set null' }),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('admission_rule_sets_version_uq').on(t.version), uniqueIndex('admission_rule_sets_one_active_uq').on(t.status).where(sql`${t.status} = 'active'`)],
)

export const direction = pgEnum('gate_direction', DIRECTIONS)
export const verdict = pgEnum('gate_verdict', VERDICTS)
export const healthColor = pgEnum('health_color', HEALTH_COLORS)
export const subjectKind = pgEnum('gate_subject_kind', ['pass', 'card', 'visitor', 'none'])

/**
 * Every check at a gate. Range-partitioned by month on `checked_at` (migration 0008 turns the drizzle
 * table into a partitioned one, adds a BRIN index and the partition maintenance function). The primary key
 * includes the partition key; exactly-once on `client_id` is enforced by `gate_check_keys`.
 */
export const gateChecks = pgTable(
  'gate_checks',
  {
    id: bigserial('id', { mode: 'number' }).notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
    clientId: uuid('client_id').notNull(),
    clientTime: timestamp('client_time', { withTimezone: true }).notNull(),
    gateId: integer('gate_id').notNull(),
    compoundId: integer('compound_id').notNull(),
    gatekeeperId: integer('gatekeeper_id').notNull(),
    direction: direction('direction').notNull(),
    subjectKind: subjectKind('subject_kind').notNull(),
    passId: integer('pass_id'),
    visitorId: integer('visitor_id'),
    temperature: numeric('temperature', { precision: 3, scale: 1 }),
    mask: boolean('mask'),
    color: healthColor('color'),
    natAt: timestamp('nat_at', { withTimezone: true }),
    verdict: verdict('verdict').notNull(),
    reasons: text('reasons').array().notNull().default(sql`'{}'::text[]`),
    /** What the gate decided (offline, or shown online); differs from `verdict` → the worker is alerted. */
    gateVerdict: verdict('gate_verdict'),
    ruleVersion: integer('rule_version').notNull(),
    offline: boolean('offline').notNull().default(false),
    /** Linked to a case (e.g. a red code) → kept past the 28-day purge. */
    caseHold: boolean('case_hold').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.id, t.checkedAt] }),
    index('gate_checks_gate_time_idx').on(t.gateId, t.checkedAt),
    index('gate_checks_pass_idx').on(t.passId, t.checkedAt),
  ],
)

/** Exactly-once for gate checks across partitions: a check is stored only if its client id is new. */
export const gateCheckKeys = pgTable('gate_check_keys', {
  clientId: uuid('client_id').primaryKey(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  checkId: bigint('check_id', { mode: 'number' }).notNull(),
  verdict: verdict('verdict').notNull(),
  reasons: text('reasons').array().notNull(),
})

/**
 * Rollup of checks per gate per Beijing day (and hour): what the gate's "today" and a community's last 7 days
 * read, maintained by a trigger on gate_checks so nothing scans the raw table.
 */
export const gateDaily = pgTable(
  'gate_daily',
  {
    gateId: integer('gate_id').notNull(),
    compoundId: integer('compound_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    hour: smallint('hour').notNull(),
    direction: direction('direction').notNull(),
    verdict: verdict('verdict').notNull(),
    /** First reason of a deny/register, '' for a pass. */
    reason: text('reason').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.gateId, t.day, t.hour, t.direction, t.verdict, t.reason] }), index('gate_daily_compound_day_idx').on(t.compoundId, t.day)],
)

/** 外来人员: couriers, relatives, workers. Who is still inside is `outAt IS NULL`. */
export const visitors = pgTable(
  'visitors',
  {
    id: serial('id').primaryKey(),
    clientId: uuid('client_id').notNull(),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    gateId: integer('gate_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    nameMasked: text('name_masked').notNull(),
    phoneEnc: bytea('phone_enc').notNull(),
    phoneHash: text('phone_hash').notNull(),
    phoneLast4: text('phone_last4').notNull(),
    purpose: text('purpose').notNull(),
    hostHouseholdId: integer('host_household_id').references(() => households.id, { onDelete: 'set null' }),
    hostNote: text('host_note'),
    origin: text('origin').notNull(),
    inAt: timestamp('in_at', { withTimezone: true }).notNull().defaultNow(),
    outAt: timestamp('out_at', { withTimezone: true }),
    outGateId: integer('out_gate_id').references(() => orgUnits.id, { onDelete: 'restrict' }),
    createdBy: integer('created_by').notNull().references(() => users.id, { onDelete: 'restrict' }),
  },
  (t) => [
    uniqueIndex('visitors_client_uq').on(t.clientId),
    index('visitors_inside_idx').on(t.compoundId).where(sql`${t.outAt} IS NULL`),
    index('visitors_in_at_idx').on(t.inAt),
  ],
)
