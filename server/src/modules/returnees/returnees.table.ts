import { sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { AREA_LEVELS, QUARANTINE_STATES, RISK_LEVELS } from '@cc/shared'
import { createdAt, timestamps } from '../../db/columns.js'
import { bytea, users } from '../auth/auth.table.js'
import { healthColor } from '../gate/gate.table.js'
import { households, residents } from '../households/households.table.js'
import { orgUnits } from '../org/org.table.js'
import { uploads } from '../uploads/uploads.table.js'

export const areaLevel = pgEnum('area_level', AREA_LEVELS)
export const riskLevel = pgEnum('risk_level', [...RISK_LEVELS, 'none'])
export const quarantineState = pgEnum('quarantine_state', QUARANTINE_STATES)
export const transportKind = pgEnum('transport_kind', ['train', 'flight', 'car', 'bus', 'ship', 'other'])
export const sweepMark = pgEnum('sweep_mark', ['no_answer', 'registered', 'none'])

/**
 * 重点疫区: the district's key-area list. A change never updates a row: it retires it (`retiredAt`) and
 * inserts the new version, so the history of the list is the table itself.
 */
export const keyAreas = pgTable(
  'key_areas',
  {
    id: serial('id').primaryKey(),
    level: areaLevel('level').notNull(),
    /** @vant/area-data code at its level: 420000 province, 420100 city, 420102 district. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    risk: riskLevel('risk').notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }),
    note: text('note'),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredBy: integer('retired_by').references(() => users.id, { onDelete: 'set null' }),
    replacedBy: integer('replaced_by'),
  },
  (t) => [
    index('key_areas_current_idx').on(t.code).where(sql`${t.retiredAt} IS NULL`),
    check('key_areas_code', sql`${t.code} ~ '^[0-9]{6}$'`),
    check('key_areas_risk_listed', sql`${t.risk} <> 'none'`),
    check('key_areas_window', sql`${t.validUntil} IS NULL OR ${t.validUntil} >= ${t.validFrom}`),
  ],
)

/**
 * 返乡人员: one row per person (unique ID-number HMAC), whoever registered them and however often. The
 * community (and its path) is kept on the row so every list filters on an indexed column of this table.
 * `state` mirrors the current case so the daily counts put each person in exactly one state.
 */
export const returnees = pgTable(
  'returnees',
  {
    id: serial('id').primaryKey(),
    communityId: integer('community_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    /** The community's path ("/1/4/17/"): scope checks are a prefix match. */
    orgPath: text('org_path').notNull(),
    streetId: integer('street_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    compoundId: integer('compound_id').references(() => orgUnits.id, { onDelete: 'restrict' }),
    householdId: integer('household_id').references(() => households.id, { onDelete: 'set null' }),
    /** Linked when the person is on the household register: the gate finds their pass through it. */
    residentId: integer('resident_id').references(() => residents.id, { onDelete: 'set null' }),
    address: text('address').notNull(),
    name: text('name').notNull(),
    nameMasked: text('name_masked').notNull(),
    idEnc: bytea('id_enc').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    phoneEnc: bytea('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneLast4: text('phone_last4'),
    elderly: boolean('elderly').notNull().default(false),
    noSmartphone: boolean('no_smartphone').notNull().default(false),
    /** Resident accounts that may see and self-report for this person (themselves, family who registered them). */
    ownerIds: integer('owner_ids').array().notNull().default(sql`'{}'::integer[]`),
    state: quarantineState('state').notNull().default('registered'),
    currentCaseId: integer('current_case_id'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('returnees_id_hash_uq').on(t.idHash),
    index('returnees_community_state_idx').on(t.communityId, t.state),
    index('returnees_path_idx').using('btree', sql`${t.orgPath} text_pattern_ops`, t.state),
    index('returnees_resident_idx').on(t.residentId).where(sql`${t.residentId} IS NOT NULL`),
    index('returnees_owner_idx').using('gin', t.ownerIds),
    check('returnees_name_not_blank', sql`length(btrim(${t.name})) > 0`),
  ],
)
export type ReturneeRow = typeof returnees.$inferSelect

/** 行程: one journey home. The same person arriving the same day is the same trip (a second registration merges). */
export const trips = pgTable(
  'returnee_trips',
  {
    id: serial('id').primaryKey(),
    returneeId: integer('returnee_id').notNull().references(() => returnees.id, { onDelete: 'cascade' }),
    communityId: integer('community_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    provinceCode: text('province_code').notNull(),
    cityCode: text('city_code'),
    districtCode: text('district_code'),
    originName: text('origin_name').notNull(),
    route: text('route').notNull().default(''),
    departedOn: date('departed_on', { mode: 'string' }),
    arrivedOn: date('arrived_on', { mode: 'string' }).notNull(),
    transport: transportKind('transport').notNull(),
    transportNo: text('transport_no').notNull().default(''),
    keyContact: boolean('key_contact').notNull().default(false),
    healthColor: healthColor('health_color'),
    travelCardUploadId: uuid('travel_card_upload_id').references(() => uploads.id, { onDelete: 'set null' }),
    risk: riskLevel('risk').notNull().default('none'),
    /** self: the resident's own 返崇登记; worker: entered on a sweep or at the desk. */
    source: text('source').notNull(),
    registeredBy: integer('registered_by').references(() => users.id, { onDelete: 'set null' }),
    /** Set when a worker has looked at a self-registration (the today list shows the others). */
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    registrations: integer('registrations').notNull().default(1),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('returnee_trips_same_trip_uq').on(t.returneeId, t.arrivedOn),
    index('returnee_trips_unreviewed_idx').on(t.communityId, t.createdAt).where(sql`${t.reviewedAt} IS NULL`),
    check('returnee_trips_codes', sql`${t.provinceCode} ~ '^[0-9]{6}$' AND (${t.cityCode} IS NULL OR ${t.cityCode} ~ '^[0-9]{6}$') AND (${t.districtCode} IS NULL OR ${t.districtCode} ~ '^[0-9]{6}$')`),
  ],
)

/** 扫楼: the latest mark of each room on a door-to-door sweep. */
export const sweepMarks = pgTable(
  'sweep_marks',
  {
    householdId: integer('household_id').primaryKey().references(() => households.id, { onDelete: 'cascade' }),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    buildingId: integer('building_id').notNull(),
    mark: sweepMark('mark').notNull(),
    note: text('note'),
    markedBy: integer('marked_by').references(() => users.id, { onDelete: 'set null' }),
    markedAt: timestamp('marked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sweep_marks_building_idx').on(t.buildingId, t.mark)],
)
