import { sql } from 'drizzle-orm'
import type { RbEntityKind, RbEntityRef, RbSuggestions } from '@cc/shared'
import type { Db } from '../../db/client.js'
import type { AuthContext } from '../../types.js'
import { loadEntities, toRef } from './redblack.entities.js'

type Item = RbSuggestions['black'][number]
interface Group {
  org: number
  name: string
  n: number
  ok?: number
  ids: number[] | null
  codes: string[] | null
}

/** The evidence a suggestion carries: at most ten reports, oldest first. */
const EVIDENCE = sql`(array_agg(c.id ORDER BY c.id))[1:10] AS ids, (array_agg(c.tracking_code ORDER BY c.id))[1:10] AS codes`
/**
 * What the editor might list, each with its evidence; the editor decides. Every query starts from a partial or
 * time index on complaints (overdue, returned-and-open, filed in the window, fixed in the window), so a district
 * with a million reports reads only the few rows that matter.
 */
export function createSuggestions(db: Db) {
  return {
    async get(auth: AuthContext, q: { days?: number }): Promise<RbSuggestions> {
      const days = q.days ?? 14
      const scope = `${auth.orgPath ?? '/'}%`
      const overdue = db.execute(sql`
        SELECT g.*, o.name FROM (
          SELECT c.assignee_org_id AS org, count(*)::int AS n, ${EVIDENCE}
          FROM complaints c
          WHERE (c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed') AND c.assignee_path LIKE ${scope}
          GROUP BY c.assignee_org_id ORDER BY n DESC, org LIMIT 10) g
        JOIN org_units o ON o.id = g.org ORDER BY g.n DESC, g.org`)
      const returned = db.execute(sql`
        SELECT g.*, o.name FROM (
          SELECT c.assignee_org_id AS org, count(*)::int AS n, ${EVIDENCE}
          FROM complaints c
          WHERE c.returns > 0 AND c.status IN ('assigned', 'signed') AND c.assignee_path LIKE ${scope}
          GROUP BY c.assignee_org_id ORDER BY n DESC, org LIMIT 10) g
        JOIN org_units o ON o.id = g.org ORDER BY g.n DESC, g.org`)
      // One index-only pass over the window's (created_at, place, status, id); tracking codes by primary key for the
      // hundred ids kept. A per-place lookup ordered by id would walk the primary key of a busy table instead.
      const rebound = db.execute(sql`
        WITH g AS (
          SELECT c.place_org_id AS org, count(*)::int AS n, (array_agg(c.id ORDER BY c.id))[1:10] AS ids
          FROM complaints c
          WHERE c.created_at >= now() - make_interval(days => ${days}) AND c.place_org_id IS NOT NULL
            AND c.status NOT IN ('rejected', 'merged')
          GROUP BY c.place_org_id HAVING count(*) >= 2 ORDER BY n DESC, org LIMIT 10)
        SELECT g.org, g.n, o.name, g.ids,
               ARRAY(SELECT c.tracking_code FROM unnest(g.ids) WITH ORDINALITY u(id, k) JOIN complaints c ON c.id = u.id ORDER BY u.k) AS codes
        FROM g JOIN org_units o ON o.id = g.org AND o.path LIKE ${scope}
        ORDER BY g.n DESC, g.org`)
      const onTime = db.execute(sql`
        SELECT g.*, o.name FROM (
          SELECT c.assignee_org_id AS org, count(*)::int AS n, count(*) FILTER (WHERE c.rectified_on_time)::int AS ok
          FROM complaints c
          WHERE c.rectified_at >= now() - make_interval(days => ${days}) AND c.rectified_at IS NOT NULL AND c.assignee_org_id IS NOT NULL
          GROUP BY c.assignee_org_id HAVING count(*) >= 3
          ORDER BY count(*) FILTER (WHERE c.rectified_on_time)::float / count(*) DESC, n DESC, org LIMIT 10) g
        JOIN org_units o ON o.id = g.org AND o.path LIKE ${scope} ORDER BY g.ok::float / g.n DESC, g.n DESC, g.org`)
      const [a, b, c, d] = (await Promise.all([overdue, returned, rebound, onTime])).map((r) => r.rows as unknown as Group[]) as [Group[], Group[], Group[], Group[]]
      const units = await unitsFor(db, [...a, ...b, ...c, ...d].map((g) => g.org))
      const item = (g: Group, reason: Item['reason'], reasonLabel: string): Item => {
        const u = units.get(g.org)!
        return {
          entity: u.entity,
          orgUnitId: u.orgUnitId,
          kind: u.kind,
          streetOrgId: u.streetOrgId,
          name: u.name,
          reason,
          reasonLabel: u.place ? `${u.place}：${reasonLabel}` : reasonLabel,
          count: g.n,
          complaints: (g.ids ?? []).map((id, i) => ({ id, trackingCode: g.codes?.[i] ?? '' })),
        }
      }
      return {
        black: [
          ...a.map((g) => item(g, 'overdue', `逾期未办结 ${g.n} 件`)),
          ...b.map((g) => item(g, 'returned', `整改被退回仍未办结 ${g.n} 件`)),
          ...c.map((g) => item(g, 'rebound', `${days}天内同一地点反映 ${g.n} 次`)),
        ],
        red: d.map((g) => ({
          ...item(g, 'on_time', `按时办结率 ${Math.round((g.ok! / g.n) * 100)}%（${g.ok}/${g.n}）`),
          onTimeRate: g.ok! / g.n,
        })),
      }
    },
  }
}
export type Suggestions = ReturnType<typeof createSuggestions>

const ENTITY_KIND_OF_MARKET: Record<string, RbEntityKind> = {
  property_project: 'property_project',
  supermarket: 'supermarket',
  farmers_market: 'farmers_market',
  enterprise: 'enterprise',
}

/**
 * Who a suggestion is about. A unit that answers for reports (community, market entity) is itself the one; a
 * compound is its property project if one is registered, else its community. `kind` and `streetOrgId` let the
 * editor register a missing entity in one step.
 */
async function unitsFor(db: Db, orgIds: number[]) {
  const out = new Map<number, { entity: RbEntityRef | null; orgUnitId: number; kind: RbEntityKind | null; streetOrgId: number | null; name: string; place: string | null }>()
  if (!orgIds.length) return out
  const arr = sql.raw(`ARRAY[${[...new Set(orgIds)].map(Number).join(',')}]::int[]`)
  const r = await db.execute(sql`
    SELECT o.id, o.kind::text AS kind, o.market_kind::text AS market_kind, o.name, nullif(split_part(o.path, '/', 3), '')::int AS street_id,
           comm.id AS comm_id, comm.name AS comm_name,
           (SELECT e.id FROM redblack_entities e WHERE e.compound_org_id = o.id ORDER BY e.id LIMIT 1) AS project_id,
           (SELECT e.id FROM redblack_entities e WHERE e.org_unit_id = coalesce(comm.id, o.id)) AS entity_id
    FROM org_units o
    LEFT JOIN org_units comm ON o.kind = 'compound' AND comm.id = nullif(split_part(o.path, '/', 4), '')::int
    WHERE o.id = ANY(${arr})`)
  const rows = r.rows as { id: number; kind: string; market_kind: string | null; name: string; street_id: number | null; comm_id: number | null; comm_name: string | null; project_id: number | null; entity_id: number | null }[]
  const entities = await loadEntities(db, rows.flatMap((x) => [x.project_id, x.entity_id].filter((v): v is number => v !== null)))
  for (const x of rows) {
    const ent = entities.get(x.project_id ?? x.entity_id ?? 0)
    const isCompound = x.kind === 'compound' && x.comm_id !== null
    const kind: RbEntityKind | null = isCompound || x.kind === 'community' ? 'community' : x.kind === 'market' ? (ENTITY_KIND_OF_MARKET[x.market_kind ?? ''] ?? null) : null
    out.set(x.id, {
      entity: ent ? toRef(ent) : null,
      orgUnitId: isCompound ? x.comm_id! : x.id,
      kind,
      streetOrgId: x.kind === 'street' ? x.id : x.street_id,
      name: isCompound ? x.comm_name! : x.name,
      place: isCompound ? x.name : null,
    })
  }
  return out
}
