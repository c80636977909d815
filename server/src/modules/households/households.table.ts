import { sql } from 'drizzle-orm'
import { boolean, check, date, index, integer, jsonb, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, timestamps } from '../../db/columns.js'
import { bytea, users } from '../auth/auth.table.js'
import { orgUnits } from '../org/org.table.js'

/** Buildings of a compound (幢/栋). An import names them; an unknown building is a row error. */
export const buildings = pgTable(
  'buildings',
  {
    id: serial('id').primaryKey(),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** Number of 单元 (entrances); 1 for old compounds without units. */
    units: integer('units').notNull().default(1),
    floors: integer('floors'),
    ...timestamps,
  },
  (t) => [uniqueIndex('buildings_compound_name_uq').on(t.compoundId, t.name), check('buildings_units_pos', sql`${t.units} between 1 and 20`)],
)

/** 户: compound → building → unit → room. */
export const households = pgTable(
  'households',
  {
    id: serial('id').primaryKey(),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    buildingId: integer('building_id').notNull().references(() => buildings.id, { onDelete: 'restrict' }),
    unit: integer('unit').notNull().default(1),
    room: text('room').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('households_room_uq').on(t.buildingId, t.unit, t.room),
    index('households_compound_idx').on(t.compoundId),
    check('households_room_not_blank', sql`length(btrim(${t.room})) > 0`),
  ],
)

export const RESIDENT_RELATIONS = ['户主', '配偶', '子女', '父母', '祖父母', '孙子女', '兄弟姐妹', '租户', '其他'] as const

/**
 * 住户: a member of a household. The ID number and phone are AES-GCM ciphertext (`*Enc`), looked up by
 * HMAC (`*Hash`); what the screens show is kept masked alongside (`idMasked`, `phoneLast4`) so a list never
 * decrypts. One person lives in one household at a time (unique ID hash among residents not moved out).
 */
export const residents = pgTable(
  'residents',
  {
    id: serial('id').primaryKey(),
    householdId: integer('household_id').notNull().references(() => households.id, { onDelete: 'restrict' }),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    /** 王*明 — what gates and lists show. */
    nameMasked: text('name_masked').notNull(),
    idEnc: bytea('id_enc').notNull(),
    idHash: text('id_hash').notNull(),
    /** 320602********1234 */
    idMasked: text('id_masked').notNull(),
    phoneEnc: bytea('phone_enc'),
    phoneHash: text('phone_hash'),
    phoneLast4: text('phone_last4'),
    relation: text('relation').notNull().default('其他'),
    elderlyAlone: boolean('elderly_alone').notNull().default(false),
    noSmartphone: boolean('no_smartphone').notNull().default(false),
    disabled: boolean('disabled').notNull().default(false),
    movedIn: date('moved_in', { mode: 'string' }),
    movedOut: date('moved_out', { mode: 'string' }),
    /** The resident's own account, once they claimed the household or logged in with the registered phone. */
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('residents_id_hash_current_uq').on(t.idHash).where(sql`${t.movedOut} IS NULL`),
    index('residents_household_idx').on(t.householdId),
    index('residents_compound_idx').on(t.compoundId, t.id),
    index('residents_phone_hash_idx').on(t.phoneHash),
    index('residents_user_idx').on(t.userId),
    check('residents_name_not_blank', sql`length(btrim(${t.name})) > 0`),
  ],
)
export type ResidentRow = typeof residents.$inferSelect

export const claimStatus = pgEnum('claim_status', ['pending', 'approved', 'refused'])

/** A resident asking from the H5 to be recognised as a member of a household; a worker decides. */
export const householdClaims = pgTable(
  'household_claims',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    buildingId: integer('building_id').notNull().references(() => buildings.id, { onDelete: 'restrict' }),
    unit: integer('unit').notNull().default(1),
    room: text('room').notNull(),
    name: text('name').notNull(),
    idEnc: bytea('id_enc').notNull(),
    idHash: text('id_hash').notNull(),
    idMasked: text('id_masked').notNull(),
    relation: text('relation').notNull().default('其他'),
    status: claimStatus('status').notNull().default('pending'),
    decidedBy: integer('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    reason: text('reason'),
    residentId: integer('resident_id').references(() => residents.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('household_claims_pending_uq').on(t.userId).where(sql`${t.status} = 'pending'`),
    index('household_claims_compound_idx').on(t.compoundId, t.status),
  ],
)

/** One imported row as the preview validated it: ID number and phone only as ciphertext (base64) + HMAC. */
export interface ImportRow {
  row: number
  buildingId: number
  unit: number
  room: string
  name: string
  nameMasked: string
  idEnc: string
  idHash: string
  idMasked: string
  phoneEnc: string | null
  phoneHash: string | null
  phoneLast4: string | null
  relation: string
  elderlyAlone: boolean
  noSmartphone: boolean
  disabled: boolean
}

/**
 * A spreadsheet import between preview and commit. The parsed rows wait here (not in the client) so the
 * commit writes exactly what was previewed; `result` makes a second commit answer the same without
 * writing again. Rows are emptied once committed and the whole preview expires after a day.
 */
export const registerImports = pgTable(
  'register_imports',
  {
    id: serial('id').primaryKey(),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'cascade' }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    fileName: text('file_name').notNull(),
    total: integer('total').notNull(),
    valid: integer('valid').notNull(),
    errorCount: integer('error_count').notNull(),
    rows: jsonb('rows').$type<ImportRow[]>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
    result: jsonb('result').$type<{ households: number; residents: number; passes: number }>(),
    createdAt: createdAt(),
  },
  (t) => [index('register_imports_expires_idx').on(t.expiresAt)],
)
