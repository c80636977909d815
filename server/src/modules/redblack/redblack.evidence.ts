import { sql } from 'drizzle-orm'
import { RB_EVIDENCE_LABELS, type RbEntity } from '@cc/shared'
import type { Db, DbOrTx } from '../../db/client.js'
import { notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { loadEntities } from './redblack.entities.js'

const ints = (xs: number[]) => sql.raw(`ARRAY[${[...new Set(xs)].map(Number).join(',') || 'NULL'}]::int[]`)

export const beijingMinute = (d: Date) =>
  new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false })
    .format(d)
    .replace(/\//g, '-')

export const complaintLabel = (c: { tracking_code: string; overdue: boolean; returns: number }) => {
  const notes = [c.overdue ? '已逾期' : null, c.returns > 0 ? `退回${c.returns}次` : null].filter(Boolean)
  return `${RB_EVIDENCE_LABELS.complaint} ${c.tracking_code}${notes.length ? ` · ${notes.join('，')}` : ''}`
}
export const bulletinItemLabel = (b: { number: number | null; seq: number; problem: string }) =>
  `整改通报第${b.number}期第${b.seq}条：${b.problem.length > 40 ? `${b.problem.slice(0, 40)}…` : b.problem}`
export const gateLabel = (g: { compound: string; gate: string; checked_at: Date }) => `${g.compound} ${g.gate} 禁止通行 · ${beijingMinute(new Date(g.checked_at))}`

/**
 * The org units an entity answers for: where its reports are filed (places), who they are assigned to (units)
 * and which compounds' gates it keeps (compounds). A property company answers through its projects.
 */
async function reach(db: DbOrTx, e: RbEntity) {
  const projects = e.kind === 'property_company'
    ? ((await db.execute(sql`SELECT org_unit_id, compound_org_id FROM redblack_entities WHERE company_id = ${e.id}`)).rows as { org_unit_id: number | null; compound_org_id: number }[])
    : e.kind === 'property_project'
      ? [{ org_unit_id: e.orgUnitId, compound_org_id: e.compoundOrgId! }]
      : []
  if (e.kind === 'community' && e.orgUnitId) {
    const r = await db.execute(sql`
      SELECT o.id, o.kind::text AS kind FROM org_units o, org_units c
      WHERE c.id = ${e.orgUnitId} AND o.path LIKE c.path || '%' AND o.kind IN ('community', 'compound', 'market')`)
    const rows = r.rows as { id: number; kind: string }[]
    return { places: rows.map((x) => x.id), units: [e.orgUnitId], compounds: rows.filter((x) => x.kind === 'compound').map((x) => x.id) }
  }
  if (projects.length) {
    const units = projects.flatMap((p) => (p.org_unit_id ? [p.org_unit_id] : []))
    return { places: [...projects.map((p) => p.compound_org_id), ...units], units, compounds: projects.map((p) => p.compound_org_id) }
  }
  return { places: e.orgUnitId ? [e.orgUnitId] : [], units: e.orgUnitId ? [e.orgUnitId] : [], compounds: [] as number[] }
}

/** What the editor can attach to an entity's entry: its recent reports, published bulletin items, gate denials. */
export function createEvidence(db: Db) {
  return {
    async candidates(auth: AuthContext, entityId: number, q: { days?: number }) {
      const e = (await loadEntities(db, [entityId])).get(entityId)
      if (!e) throw notFound('红黑榜主体')
      const days = q.days ?? 30
      const { places, units, compounds } = await reach(db, e)
      const scope = `${auth.orgPath ?? '/'}%`
      // The newest reports at its places walk the filing-time index backwards and stop at 20; those assigned to
      // it come from the assignee index. Bulletin items are then looked up by those reports' ids.
      const complaints = (await db.execute(sql`
        SELECT c.id, c.tracking_code, (c.sign_overdue OR c.rectify_overdue) AS overdue, c.returns FROM complaints c
        WHERE c.id IN (
          (SELECT id FROM complaints WHERE place_org_id = ANY(${ints(places)}) AND created_at >= now() - make_interval(days => ${days})
             AND status NOT IN ('rejected', 'merged') ORDER BY created_at DESC LIMIT 20)
          UNION
          (SELECT id FROM complaints WHERE assignee_org_id = ANY(${ints(units)}) AND created_at >= now() - make_interval(days => ${days})
             AND status NOT IN ('rejected', 'merged') ORDER BY created_at DESC LIMIT 20))
        ORDER BY c.id DESC LIMIT 20`)).rows as { id: number; tracking_code: string; overdue: boolean; returns: number }[]
      const published = (await db.execute(sql`
        SELECT array_agg(id) AS ids FROM (
          (SELECT id FROM complaints WHERE place_org_id = ANY(${ints(places)}) AND published_at >= now() - make_interval(days => ${days}) ORDER BY published_at DESC LIMIT 50)
          UNION
          (SELECT id FROM complaints WHERE assignee_org_id = ANY(${ints(units)}) AND published_at >= now() - make_interval(days => ${days}) ORDER BY published_at DESC LIMIT 50)) x`)).rows[0] as { ids: number[] | null }
      const items = (await db.execute(sql`
        SELECT i.id, i.seq, i.problem, b.number FROM bulletin_items i
        JOIN bulletins b ON b.id = i.bulletin_id AND b.status = 'published' AND b.kind = 'regular'
        WHERE i.complaint_id = ANY(${ints(published.ids ?? [])}) AND b.published_at >= now() - make_interval(days => ${days})
        ORDER BY i.id DESC LIMIT 20`)).rows as { id: number; seq: number; problem: string; number: number }[]
      const denials = compounds.length
        ? ((await db.execute(sql`
            SELECT g.id, g.checked_at, gate.name AS gate, cp.name AS compound FROM gate_checks g
            JOIN org_units gate ON gate.id = g.gate_id JOIN org_units cp ON cp.id = g.compound_id
            WHERE g.gate_id IN (SELECT o.id FROM org_units o WHERE o.kind = 'gate' AND o.parent_id = ANY(${ints(compounds)}))
              AND g.checked_at >= now() - make_interval(days => ${days}) AND g.verdict = 'deny' AND cp.path LIKE ${scope}
            ORDER BY g.checked_at DESC LIMIT 20`)).rows as { id: string | number; checked_at: Date; gate: string; compound: string }[])
        : []
      return {
        complaints: complaints.map((c) => ({ complaintId: c.id, trackingCode: c.tracking_code, label: complaintLabel(c) })),
        bulletinItems: items.map((i) => ({ bulletinItemId: i.id, label: bulletinItemLabel(i) })),
        gateDenials: denials.map((g) => ({ gateCheckId: Number(g.id), label: gateLabel(g) })),
      }
    },
  }
}
export type Evidence = ReturnType<typeof createEvidence>
