import { and, asc, eq, ilike, inArray, or, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { OrgKind } from '@cc/shared'
import type { DbOrTx } from '../../db/client.js'
import { orgUnits } from './org.table.js'

const cols = {
  id: orgUnits.id,
  parentId: orgUnits.parentId,
  kind: orgUnits.kind,
  name: orgUnits.name,
  path: orgUnits.path,
  marketKind: orgUnits.marketKind,
  staffed: orgUnits.staffed,
  hasProperty: orgUnits.hasProperty,
}

export function listByKinds(db: DbOrTx, kinds: OrgKind[]) {
  return db.select(cols).from(orgUnits).where(inArray(orgUnits.kind, kinds)).orderBy(asc(orgUnits.id))
}

/** Market entities by their name or, for a property project, its company's name ("乾坤物业"), with their community. */
export function searchMarkets(db: DbOrTx, q: string, limit: number) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  // An explicit alias: a correlated sub-query on the same table compared the community with itself.
  const community = alias(orgUnits, 'community')
  const company = sql<string | null>`${orgUnits.attrs}->>'propertyCompany'`
  return db
    .select({ ...cols, communityName: sql<string>`coalesce(${community.name}, '')`, propertyCompany: company })
    .from(orgUnits)
    .leftJoin(community, eq(community.id, orgUnits.parentId))
    .where(and(eq(orgUnits.kind, 'market'), or(ilike(orgUnits.name, pattern), ilike(company, pattern))))
    .orderBy(asc(orgUnits.name))
    .limit(limit)
}

export async function getUnit(db: DbOrTx, id: number) {
  const [u] = await db.select(cols).from(orgUnits).where(eq(orgUnits.id, id))
  return u ?? null
}

export function childrenOf(db: DbOrTx, id: number) {
  return db.select(cols).from(orgUnits).where(eq(orgUnits.parentId, id)).orderBy(asc(orgUnits.id))
}

/** Names of the unit and its ancestors, e.g. "任港街道 大庆社区 任港路新村". */
export async function placeName(db: DbOrTx, path: string): Promise<string> {
  const ids = path.split('/').filter(Boolean).map(Number)
  const rows = await db.select({ id: orgUnits.id, kind: orgUnits.kind, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, ids))
  return ids
    .map((id) => rows.find((r) => r.id === id))
    .filter((r) => r && r.kind !== 'district' && r.kind !== 'grid')
    .map((r) => r!.name)
    .join(' ')
}
