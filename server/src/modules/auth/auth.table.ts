import { sql } from 'drizzle-orm'
import { bigserial, boolean, check, customType, index, integer, pgEnum, pgTable, serial, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { ROLES } from '@cc/shared'
import { createdAt, timestamps } from '../../db/columns.js'
import { orgUnits } from '../org/org.table.js'

export const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })
export const roleEnum = pgEnum('role', ROLES)

export const users = pgTable(
  'users',
  {
    id: serial('id').primaryKey(),
    displayName: text('display_name').notNull(),
    /** Staff login name; residents have none. */
    username: text('username'),
    passwordHash: text('password_hash'),
    /** AES-256-GCM ciphertext of the phone number; `phoneHash` (HMAC) is what we look up by. */
    phoneEnc: bytea('phone_enc'),
    phoneHash: text('phone_hash'),
    wechatOpenid: text('wechat_openid'),
    wechatUnionid: text('wechat_unionid'),
    disabled: boolean('disabled').notNull().default(false),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
    uniqueIndex('users_phone_hash_uq').on(t.phoneHash),
    uniqueIndex('users_openid_uq').on(t.wechatOpenid),
    check('users_has_identity', sql`${t.username} IS NOT NULL OR ${t.phoneHash} IS NOT NULL OR ${t.wechatOpenid} IS NOT NULL`),
    check('users_password_with_username', sql`${t.passwordHash} IS NULL OR ${t.username} IS NOT NULL`),
  ],
)
export type UserRow = typeof users.$inferSelect

/** A user may hold several roles, each bound to one org scope (residents: none). */
export const roleGrants = pgTable(
  'role_grants',
  {
    id: serial('id').primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: roleEnum('role').notNull(),
    orgId: integer('org_id').references(() => orgUnits.id, { onDelete: 'restrict' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('role_grants_uq').on(t.userId, t.role, sql`coalesce(${t.orgId}, 0)`),
    index('role_grants_org_idx').on(t.orgId),
    check('role_grants_scope', sql`(${t.role} = 'resident') = (${t.orgId} IS NULL)`),
  ],
)
export type RoleGrantRow = typeof roleGrants.$inferSelect

/** Rotating refresh tokens: only a SHA-256 of the token is stored; a family shares one login. */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    grantId: integer('grant_id').notNull().references(() => roleGrants.id, { onDelete: 'cascade' }),
    familyId: uuid('family_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_uq').on(t.tokenHash), index('refresh_tokens_family_idx').on(t.familyId)],
)

export const smsCodes = pgTable(
  'sms_codes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    phoneHash: text('phone_hash').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('sms_codes_phone_idx').on(t.phoneHash, t.createdAt), check('sms_codes_attempts', sql`${t.attempts} >= 0`)],
)

export { timestamps }
