import type pg from 'pg'
import { DASH_CHECKS_MAX_DAYS, daysOf, inScope, type GateCheckListQuery, type GateDashboard } from '@cc/shared'
import { AppError, badRequest, notFound } from '../../errors.js'
import { REASON_TEXTS } from '../gate/gate.service.js'
import { childOf, parseRange, type Range, type Target } from './dashboard.scope.js'

const reasonText = (code: string) => (REASON_TEXTS as Record<string, string>)[code] ?? (code || '未注明')
type V = { total: number; pass: number; deny: number; register: number }
const zero = (): V => ({ total: 0, pass: 0, deny: 0, register: 0 })

/** Gate checks of a scope from dash_gate_hourly (gate_daily rolled up to community and hour by a trigger). */
export async function gateDashboard(pool: pg.Pool, t: Target, range: Range): Promise<GateDashboard> {
  const child = childOf(t)
  const [hours, days, kidsAgg] = await Promise.all([
    pool.query<{ hour: number; verdict: string; n: number }>(
      `SELECT hour, verdict::text, sum(n)::int AS n FROM dash_gate_org WHERE org_id = $3 AND day BETWEEN $1::date AND $2::date AND hour >= 0 GROUP BY 1, 2`,
      [range.from, range.to, t.id],
    ),
    pool.query<{ gd: number; gr: number; day: string; verdict: string; reason: string; direction: string; n: number }>(
      `SELECT GROUPING(day) AS gd, GROUPING(reason) AS gr, day::text AS day, verdict::text, reason, direction::text, sum(n)::int AS n
       FROM dash_gate_org WHERE org_id = $3 AND day BETWEEN $1::date AND $2::date AND hour = -1
       GROUP BY GROUPING SETS ((day, verdict), (verdict, reason), (direction, verdict))`,
      [range.from, range.to, t.id],
    ),
    child
      ? pool.query<{ child: number; verdict: string; n: number }>(
          `SELECT org_id AS child, verdict::text, sum(n)::int AS n FROM dash_gate_org WHERE parent_id = $3 AND hour = -1 AND day BETWEEN $1::date AND $2::date GROUP BY 1, 2`,
          [range.from, range.to, t.id],
        )
      : Promise.resolve({ rows: [] as { child: number; verdict: string; n: number }[] }),
  ])
  const totals = { ...zero(), in: 0, out: 0 }
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, ...zero() }))
  const byDay = new Map(daysOf(range.from, range.to).map((d) => [d, zero()]))
  const denials = new Map<string, number>()
  const byOrg = new Map<number, V>()
  const add = (v: V, verdict: string, n: number) => {
    v.total += n
    if (verdict === 'pass' || verdict === 'deny' || verdict === 'register') v[verdict] += n
  }
  for (const x of hours.rows) add(byHour[x.hour]!, x.verdict, x.n)
  for (const x of days.rows) {
    if (x.n === 0) continue
    if (Number(x.gd) === 0) add(byDay.get(x.day) ?? zero(), x.verdict, x.n)
    else if (Number(x.gr) === 0) {
      if (x.verdict === 'deny') denials.set(x.reason, (denials.get(x.reason) ?? 0) + x.n)
    } else {
      add(totals, x.verdict, x.n)
      if (x.direction === 'in' || x.direction === 'out') totals[x.direction] += x.n
    }
  }
  for (const x of kidsAgg.rows) {
    const v = byOrg.get(x.child) ?? zero()
    add(v, x.verdict, x.n)
    byOrg.set(x.child, v)
  }
  const kids = child
    ? (await pool.query<{ id: number; name: string }>({ name: 'dash_children', text: `SELECT id, name FROM org_units WHERE parent_id = $1 AND kind = $2::org_kind ORDER BY name, id`, values: [t.id, child.kind] })).rows
    : []
  return {
    from: range.from,
    to: range.to,
    scope: { orgId: t.id, name: t.name, kind: t.kind as 'district' },
    totals,
    byHour,
    byDay: [...byDay].map(([day, v]) => ({ day, ...v })),
    denials: [...denials].map(([reason, n]) => ({ reason, text: reasonText(reason), n })).sort((a, b) => b.n - a.n || a.reason.localeCompare(b.reason)),
    byOrg: kids.map((k) => ({ orgId: k.id, name: k.name, ...(byOrg.get(k.id) ?? zero()) })),
  }
}

const CURSOR = /^(\d{1,17})\.(\d{1,15})$/

/**
 * The checks behind a number. Always bounded by time (≤ 31 days): gate_checks is partitioned by month.
 * - 劝返 / 登记: the partial index on flagged checks (verdict <> 'pass') serves the newest-first order without
 *   touching the passes; below the district, one LATERAL per compound on (compound_id, checked_at).
 * - 放行 / 核验人次 (most of the rows): one LATERAL per gate on (gate_id, checked_at), each an index scan that
 *   stops after a page, merged — never a sort of a month of checks.
 */
export async function gateCheckList(pool: pg.Pool, t: Target, q: GateCheckListQuery) {
  const range = parseRange(q, DASH_CHECKS_MAX_DAYS)
  const limit = q.limit ?? 20
  const verdict = q.verdict ?? 'deny'
  const flagged = verdict === 'deny' || verdict === 'register'
  const values: unknown[] = []
  const p = (v: unknown) => {
    values.push(v)
    return `$${values.length}`
  }
  const where = [
    `g.checked_at >= (${p(range.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`,
    `g.checked_at < ((${p(range.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`,
  ]
  if (flagged) where.unshift(`g.verdict <> 'pass'`, `g.verdict = ${p(verdict)}::gate_verdict`)
  else if (verdict === 'pass') where.unshift(`g.verdict = 'pass'`)
  if (q.reason && verdict !== 'deny') throw badRequest('只有劝返记录可以按原因查看')
  // The units each LATERAL walks: compounds for flagged checks below the district, gates for passes and all.
  let units: { column: 'compound_id' | 'gate_id'; ids: number[] } | null = null
  if (q.gateId) {
    const gate = await pool.query<{ path: string }>({ name: 'dash_gate_path', text: `SELECT path FROM org_units WHERE id = $1 AND kind = 'gate'`, values: [q.gateId] })
    if (!gate.rows[0]) throw notFound('卡口')
    if (!inScope(t.path, gate.rows[0].path)) throw new AppError('OUT_OF_SCOPE')
    units = { column: 'gate_id', ids: [q.gateId] }
  } else if (!flagged) {
    const r = await pool.query<{ id: number }>({ name: 'dash_gates_under', text: `SELECT id FROM org_units WHERE kind = 'gate' AND path LIKE $1`, values: [`${t.path}%`] })
    units = { column: 'gate_id', ids: r.rows.map((x) => x.id) }
  } else if (t.kind === 'compound') units = { column: 'compound_id', ids: [t.id] }
  else if (t.kind !== 'district') {
    const r = await pool.query<{ id: number }>({ name: 'dash_compounds_under', text: `SELECT id FROM org_units WHERE kind = 'compound' AND path LIKE $1`, values: [`${t.path}%`] })
    units = { column: 'compound_id', ids: r.rows.map((x) => x.id) }
  }
  if (q.hour !== undefined) where.push(`extract(hour FROM g.checked_at AT TIME ZONE 'Asia/Shanghai') = ${p(q.hour)}`)
  if (q.reason) where.push(`coalesce(g.reasons[1], '') = ${p(q.reason)}`)
  if (q.cursor) {
    const m = CURSOR.exec(q.cursor)
    if (!m) throw badRequest('翻页参数不正确')
    where.push(`(g.checked_at, g.id) < (timestamptz 'epoch' + ${p(m[1])}::bigint * interval '1 microsecond', ${p(m[2])}::bigint)`)
  }
  const r = await pool.query<{ id: string; k: string; checkedAt: Date; gateId: number; gateName: string; compoundName: string; direction: string; verdict: string; reasons: string[]; subjectKind: string; offline: boolean }>(
    `SELECT g.id::text AS id, (extract(epoch FROM g.checked_at) * 1000000)::bigint::text AS k, g.checked_at AS "checkedAt", g.gate_id AS "gateId",
       gu.name AS "gateName", cp.name AS "compoundName", g.direction::text AS direction, g.verdict::text AS verdict, g.reasons,
       g.subject_kind::text AS "subjectKind", g.offline
     FROM ${
       units
         ? `unnest(${p(units.ids)}::int[]) AS uid CROSS JOIN LATERAL (SELECT * FROM gate_checks g WHERE g.${units.column} = uid AND ${where.join(' AND ')}
              ORDER BY g.checked_at DESC, g.id DESC LIMIT ${p(limit + 1)}) g`
         : `gate_checks g`
     } JOIN org_units gu ON gu.id = g.gate_id JOIN org_units cp ON cp.id = g.compound_id
     ${units ? '' : `WHERE ${where.join(' AND ')}`}
     ORDER BY g.checked_at DESC, g.id DESC LIMIT ${p(limit + 1)}`,
    values,
  )
  const page = r.rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    items: page.map(({ k: _k, ...x }) => ({ ...x, id: Number(x.id), checkedAt: new Date(x.checkedAt).toISOString(), reasons: x.reasons ?? [], reasonText: x.verdict === 'pass' ? '' : (x.reasons ?? []).map(reasonText).join('、') || '未注明' })),
    nextCursor: r.rows.length > limit && last ? `${last.k}.${last.id}` : null,
  }
}
