import { and, asc, eq, sql } from 'drizzle-orm'
import type { Role } from '@cc/shared'
import type { DbOrTx } from '../../db/client.js'
import { orgUnits } from '../org/org.table.js'
import { roleGrants, users } from './auth.table.js'

export interface GrantWithOrg {
  id: number
  userId: number
  role: Role
  orgId: number | null
  orgName: string | null
  orgPath: string | null
}

export async function grantsOf(db: DbOrTx, userId: number): Promise<GrantWithOrg[]> {
  return db
    .select({
      id: roleGrants.id,
      userId: roleGrants.userId,
      role: roleGrants.role,
      orgId: roleGrants.orgId,
      orgName: orgUnits.name,
      orgPath: orgUnits.path,
    })
    .from(roleGrants)
    .leftJoin(orgUnits, eq(orgUnits.id, roleGrants.orgId))
    .where(eq(roleGrants.userId, userId))
    .orderBy(asc(roleGrants.id))
}

export async function findUserByUsername(db: DbOrTx, username: string) {
  const [u] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`)
  return u ?? null
}

export async function findUserById(db: DbOrTx, id: number) {
  const [u] = await db.select().from(users).where(eq(users.id, id))
  return u ?? null
}

/** Makes sure the user holds the resident role and returns that grant's id. */
export async function ensureResidentGrant(db: DbOrTx, userId: number): Promise<number> {
  await db.insert(roleGrants).values({ userId, role: 'resident', orgId: null }).onConflictDoNothing()
  const [g] = await db
    .select({ id: roleGrants.id })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, userId), eq(roleGrants.role, 'resident')))
  return g!.id
}
