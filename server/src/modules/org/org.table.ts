import { sql } from 'drizzle-orm'
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, serial, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { MARKET_KINDS, ORG_KINDS } from '@cc/shared'
import { timestamps } from '../../db/columns.js'

export const orgKind = pgEnum('org_kind', ORG_KINDS)
export const marketKind = pgEnum('market_kind', MARKET_KINDS)

/**
 * One table for the whole hierarchy district → street → community → grid → compound → gate, plus market
 * entities under a community. `path` is the materialised id path ("/1/4/17/") so a scope check is a prefix
 * match on an indexed column. A trigger (migration 0001) fills `path` and refuses a parent of the wrong kind.
 */
export const orgUnits = pgTable(
  'org_units',
  {
    id: serial('id').primaryKey(),
    kind: orgKind('kind').notNull(),
    parentId: integer('parent_id').references((): any => orgUnits.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    path: text('path').notNull().default(''),
    /** Gate: staffed around the clock. */
    staffed: boolean('staffed'),
    /** Compound: has a property company (物业); old compounds (老旧小区) do not. */
    hasProperty: boolean('has_property'),
    marketKind: marketKind('market_kind'),
    attrs: jsonb('attrs').$type<Record<string, unknown>>().notNull().default({}),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('org_units_parent_name_uq').on(t.parentId, t.kind, t.name),
    index('org_units_path_idx').using('btree', sql`${t.path} text_pattern_ops`),
    index('org_units_kind_name_idx').on(t.kind, t.name),
    check('org_units_root_is_district', sql`(${t.kind} = 'district') = (${t.parentId} IS NULL)`),
    check('org_units_market_kind', sql`(${t.kind} = 'market') = (${t.marketKind} IS NOT NULL)`),
    check('org_units_name_not_blank', sql`length(btrim(${t.name})) > 0`),
  ],
)
export type OrgUnitRow = typeof orgUnits.$inferSelect
