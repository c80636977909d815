import { sql } from 'drizzle-orm'
import { RB_ENTITY_KIND_LABELS, type RbEntity, type RbEntityBody, type RbEntityKind, type RbEntityRef } from '@cc/shared'
import type { Db, DbOrTx } from '../../db/client.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { rbEntities } from './redblack.table.js'

interface EntityRow {
  id: number
  kind: RbEntityKind
  name: string
  street_org_id: number
  street_name: string
  org_unit_id: number | null
  company_id: number | null
  company_name: string | null
  compound_org_id: number | null
  compound_name: string | null
}

const SELECT_ENTITIES = sql`
  SELECT e.id, e.kind, e.name, e.street_org_id, s.name AS street_name, e.org_unit_id, e.company_id, c.name AS company_name,
         e.compound_org_id, cp.name AS compound_name
  FROM redblack_entities e
  JOIN org_units s ON s.id = e.street_org_id
  LEFT JOIN redblack_entities c ON c.id = e.company_id
  LEFT JOIN org_units cp ON cp.id = e.compound_org_id`

export const toEntity = (r: EntityRow): RbEntity => ({
  id: r.id,
  kind: r.kind,
  kindLabel: RB_ENTITY_KIND_LABELS[r.kind],
  name: r.name,
  streetOrgId: r.street_org_id,
  streetName: r.street_name,
  orgUnitId: r.org_unit_id,
  companyId: r.company_id,
  companyName: r.company_name,
  compoundOrgId: r.compound_org_id,
  compoundName: r.compound_name,
})

export const toRef = (e: RbEntity): RbEntityRef => ({
  id: e.id,
  kind: e.kind,
  kindLabel: e.kindLabel,
  name: e.name,
  streetName: e.streetName,
  companyId: e.companyId,
  companyName: e.companyName,
})

/** Entities by id, with their street and company names (one query). */
export async function loadEntities(db: DbOrTx, ids: number[]): Promise<Map<number, RbEntity>> {
  if (!ids.length) return new Map()
  const r = await db.execute(sql`${SELECT_ENTITIES} WHERE e.id = ANY(${sql.raw(`ARRAY[${[...new Set(ids)].map(Number).join(',')}]::int[]`)})`)
  return new Map((r.rows as unknown as EntityRow[]).map((row) => [row.id, toEntity(row)]))
}

/** The org unit kind (and market kind) an entity of each kind may point at. */
const ORG_FOR_KIND: Partial<Record<RbEntityKind, { kind: string; marketKind?: string }>> = {
  community: { kind: 'community' },
  property_project: { kind: 'market', marketKind: 'property_project' },
  supermarket: { kind: 'market', marketKind: 'supermarket' },
  farmers_market: { kind: 'market', marketKind: 'farmers_market' },
  enterprise: { kind: 'market', marketKind: 'enterprise' },
}

async function orgUnit(db: DbOrTx, id: number) {
  const r = await db.execute(sql`SELECT id, kind::text AS kind, market_kind::text AS market_kind, path, name FROM org_units WHERE id = ${id}`)
  return r.rows[0] as { id: number; kind: string; market_kind: string | null; path: string; name: string } | undefined
}

export function createEntities(db: Db) {
  return {
    async get(id: number): Promise<RbEntity> {
      const e = (await loadEntities(db, [id])).get(id)
      if (!e) throw notFound('红黑榜主体')
      return e
    },

    async list(auth: AuthContext, q: { q?: string; kind?: RbEntityKind; cursor?: string; limit?: number }) {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const like = q.q?.trim() ? `%${q.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
      const r = await db.execute(sql`${SELECT_ENTITIES}
        WHERE s.path LIKE ${`${auth.orgPath ?? '/'}%`}
          ${q.kind ? sql`AND e.kind = ${q.kind}` : sql``}
          ${like ? sql`AND (e.name ILIKE ${like} OR c.name ILIKE ${like})` : sql``}
          ${after ? sql`AND e.id > ${after}` : sql``}
        ORDER BY e.id LIMIT ${limit + 1}`)
      const rows = r.rows as unknown as EntityRow[]
      const page = rows.slice(0, limit)
      return { items: page.map(toEntity), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null }
    },

    /** Adds an entity while drafting. Property projects name their company and the compound they manage. */
    async create(auth: AuthContext, body: RbEntityBody): Promise<RbEntity> {
      const street = await orgUnit(db, body.streetOrgId)
      if (!street || street.kind !== 'street' || !street.path.startsWith(auth.orgPath ?? '/')) throw badRequest('请选择本区的街道')
      const isProject = body.kind === 'property_project'
      if (isProject !== (body.companyId !== undefined)) throw badRequest(isProject ? '物业项目须选择所属物业公司' : '只有物业项目可以选择物业公司')
      if (isProject !== (body.compoundOrgId !== undefined)) throw badRequest(isProject ? '物业项目须选择所管理的小区' : '只有物业项目可以选择小区')
      if (body.companyId !== undefined) {
        const [c] = (await loadEntities(db, [body.companyId])).values()
        if (!c || c.kind !== 'property_company') throw badRequest('所属物业公司不存在')
      }
      if (body.compoundOrgId !== undefined) {
        const cp = await orgUnit(db, body.compoundOrgId)
        if (!cp || cp.kind !== 'compound' || !cp.path.startsWith(street.path)) throw badRequest('所选小区不在该街道')
      }
      if (body.orgUnitId !== undefined) {
        const want = ORG_FOR_KIND[body.kind]
        if (!want) throw badRequest('物业公司不对应组织架构中的单位')
        const o = await orgUnit(db, body.orgUnitId)
        if (!o || o.kind !== want.kind || (want.marketKind && o.market_kind !== want.marketKind)) throw badRequest('所选单位与主体类型不符')
        if (!o.path.startsWith(street.path)) throw badRequest('所选单位不在该街道')
      }
      try {
        const [row] = await db
          .insert(rbEntities)
          .values({
            kind: body.kind,
            name: body.name.trim(),
            streetOrgId: body.streetOrgId,
            orgUnitId: body.orgUnitId ?? null,
            companyId: body.companyId ?? null,
            compoundOrgId: body.compoundOrgId ?? null,
            createdBy: auth.userId,
          })
          .returning({ id: rbEntities.id })
        return this.get(row!.id)
      } catch (e) {
        if ((e as { code?: string }).code === '23505') {
          throw conflict((e as { constraint?: string }).constraint === 'redblack_entities_org_unit_uq' ? '该单位已登记为红黑榜主体' : '同名主体已存在')
        }
        throw e
      }
    },
  }
}
export type Entities = ReturnType<typeof createEntities>
