import { sql } from 'drizzle-orm'
import { index, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core'
import { PASS_STATUSES } from '@cc/shared'
import { createdAt, timestamps } from '../../db/columns.js'
import { bytea, users } from '../auth/auth.table.js'
import { orgUnits } from '../org/org.table.js'
import { residents } from '../households/households.table.js'

export const passStatus = pgEnum('pass_status', PASS_STATUSES)

/** 通行证: one per resident per compound. Suspend / restore / revoke are audited with a reason. */
export const passes = pgTable(
  'passes',
  {
    id: serial('id').primaryKey(),
    residentId: integer('resident_id').notNull().references(() => residents.id, { onDelete: 'restrict' }),
    compoundId: integer('compound_id').notNull().references(() => orgUnits.id, { onDelete: 'restrict' }),
    status: passStatus('status').notNull().default('active'),
    statusReason: text('status_reason'),
    validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
    /** Bumped on every status change: the gate pack's deny list is fetched "since" this. */
    ...timestamps,
  },
  (t) => [
    uniqueIndex('passes_resident_compound_uq').on(t.residentId, t.compoundId),
    index('passes_compound_status_idx').on(t.compoundId, t.status),
  ],
)

/**
 * A resident's phone: a non-extractable P-256 key made in the browser. Registering a new device revokes the
 * previous one (lost phone), so the gate pack's deny list carries revoked device keys until their
 * credentials expire.
 */
export const passDevices = pgTable(
  'pass_devices',
  {
    id: serial('id').primaryKey(),
    passId: integer('pass_id').notNull().references(() => passes.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** Raw uncompressed public key, base64url. */
    publicKey: text('public_key').notNull(),
    credentialExp: timestamp('credential_exp', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('pass_devices_key_uq').on(t.publicKey),
    uniqueIndex('pass_devices_current_uq').on(t.passId).where(sql`${t.revokedAt} IS NULL`),
  ],
)

/** Printed cards for residents without a smartphone: a static signed credential flagged as a card. */
export const passCards = pgTable(
  'pass_cards',
  {
    id: serial('id').primaryKey(),
    passId: integer('pass_id').notNull().references(() => passes.id, { onDelete: 'cascade' }),
    /** Short code printed under the QR for typed entry (10 digits, Luhn-checked). */
    code: text('code').notNull(),
    credentialExp: timestamp('credential_exp', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('pass_cards_code_uq').on(t.code), index('pass_cards_pass_idx').on(t.passId)],
)

/** The server's credential signing keys (P-256). The private key is AES-GCM under the data key. */
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: text('public_jwk').notNull(),
  privateEnc: bytea('private_enc').notNull(),
  createdAt: createdAt(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})
