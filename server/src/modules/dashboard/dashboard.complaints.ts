import type pg from 'pg'
import { sql } from 'drizzle-orm'
import { COUNT_KEYS, daysOf, withRates, zeroCounts, type ComplaintCounts, type ComplaintListQuery, type ComplaintMetric, type ComplaintRow, type ComplaintsDashboard, type CountKey } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { badRequest } from '../../errors.js'
import { row } from '../complaints/complaints.core.js'
import { listPage } from '../complaints/complaints.repository.js'
import { childOf, parseRange, rollupWhere, type Range, type Target } from './dashboard.scope.js'

const COLUMNS: Record<CountKey, string> = {
  received: 'received',
  signed: 'signed',
  signedOnTime: 'signed_on_time',
  rectified: 'rectified',
  rectifiedOnTime: 'rectified_on_time',
  rated: 'rated',
  satisfied: 'satisfied',
  returned: 'returned',
  returns: 'returns',
  plugged: 'plugged',
}
const SUMS = COUNT_KEYS.map((k) => `coalesce(sum(${COLUMNS[k]}), 0)::int AS "${k}"`).join(', ')

/**
 * Which reports each number counts, on `complaints c`. These are the predicates of dash_complaint_vec()
 * (migration 0015_dashboard_triggers): the list behind a number is exactly the rows the rollup counted.
 */
export const METRIC_SQL: Record<ComplaintMetric, string> = {
  received: `c.status NOT IN ('rejected', 'merged')`,
  signed: `c.signed_at IS NOT NULL`,
  signedOnTime: `c.signed_at <= c.sign_due_at`,
  signedLate: `c.signed_at IS NOT NULL AND NOT coalesce(c.signed_at <= c.sign_due_at, false)`,
  rectified: `c.rectified_at IS NOT NULL`,
  rectifiedOnTime: `c.rectified_on_time IS TRUE`,
  rectifiedLate: `c.rectified_at IS NOT NULL AND c.rectified_on_time IS NOT TRUE`,
  rated: `c.rating IS NOT NULL`,
  satisfied: `c.rating = 'satisfied'`,
  unsatisfied: `c.rating = 'unsatisfied'`,
  returned: `c.returns > 0`,
  plugged: `c.status IN ('verified', 'published', 'closed')`,
  overdue: `(c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed')`,
  open: `c.status IN ('submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened')`,
}
/** Numbers of "now": the filing day does not matter. */
const NOW_METRICS: readonly ComplaintMetric[] = ['overdue', 'open']

type Counts = Record<CountKey, number>
const counts = (r: Record<string, unknown>): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, Number(r[k] ?? 0)])) as Counts

async function childNames(pool: pg.Pool, t: Target): Promise<{ id: number; name: string }[]> {
  const child = childOf(t)
  if (!child) return []
  const r = await pool.query<{ id: number; name: string }>({
    name: 'dash_children',
    text: `SELECT id, name FROM org_units WHERE parent_id = $1 AND kind = $2::org_kind ORDER BY name, id`,
    values: [t.id, child.kind],
  })
  return r.rows
}

export async function complaintsDashboard(pool: pg.Pool, t: Target, range: Range): Promise<ComplaintsDashboard> {
  const child = childOf(t)
  // A community has no level below it; for the others the children's rows are their own (parent_id = scope).
  const go = child ? 'GROUPING(street_id) AS go, street_id AS child' : '1 AS go, NULL::int AS child'
  const now_ = rollupWhere(t, 1)
  // Category 0 rows hold all categories (migration 0020): totals, days and children read one row per org and day.
  const [own, perCat, kidsAgg, now, cats, kids] = await Promise.all([
    pool.query(
      `SELECT GROUPING(day) AS gd, day::text AS day, ${SUMS}
       FROM dash_complaint_days WHERE org_id = $3 AND category_id = 0 AND day BETWEEN $1::date AND $2::date
       GROUP BY GROUPING SETS ((), (day))`,
      [range.from, range.to, t.id],
    ),
    pool.query(
      `SELECT category_id AS "categoryId", ${SUMS} FROM dash_complaint_days WHERE org_id = $3 AND category_id > 0 AND day BETWEEN $1::date AND $2::date GROUP BY 1`,
      [range.from, range.to, t.id],
    ),
    child
      ? pool.query(`SELECT org_id AS child, ${SUMS} FROM dash_complaint_days WHERE parent_id = $3 AND category_id = 0 AND day BETWEEN $1::date AND $2::date GROUP BY org_id`, [range.from, range.to, t.id])
      : Promise.resolve({ rows: [] }),
    pool.query<{ go: number; child: number | null; overdue: number; open: number }>(
      `SELECT ${child ? go.replaceAll('street_id', child.column) : go}, coalesce(sum(overdue), 0)::int AS overdue, coalesce(sum(open), 0)::int AS open
       FROM dash_complaint_now WHERE true${now_.text}
       GROUP BY GROUPING SETS (()${child ? `, (${child.column})` : ''})`,
      now_.values,
    ),
    pool.query<{ id: number; name: string; active: boolean }>({ name: 'dash_categories', text: 'SELECT id, name, active FROM complaint_categories ORDER BY sort, id' }),
    childNames(pool, t),
  ])
  let totals: Counts = zeroCounts()
  const byDay = new Map<string, Counts>(daysOf(range.from, range.to).map((d) => [d, zeroCounts()]))
  const byCat = new Map<number, Counts>()
  const byOrg = new Map<number, Counts>()
  for (const r of own.rows as Record<string, unknown>[]) {
    if (Number(r.gd) === 0) byDay.set(String(r.day), counts(r))
    else totals = counts(r)
  }
  for (const r of perCat.rows as Record<string, unknown>[]) byCat.set(Number(r.categoryId), counts(r))
  for (const r of kidsAgg.rows as Record<string, unknown>[]) byOrg.set(Number(r.child), counts(r))
  const nowByOrg = new Map<number, { overdue: number; open: number }>()
  let nowTotal = { overdue: 0, open: 0 }
  for (const r of now.rows) {
    if (Number(r.go) === 0) nowByOrg.set(Number(r.child), { overdue: r.overdue, open: r.open })
    else nowTotal = { overdue: r.overdue, open: r.open }
  }
  // Reports with only a typed address (street 0) belong to the district alone.
  const orgRows = kids.map((k) => ({ orgId: k.id as number | null, name: k.name, id: k.id }))
  if (t.kind === 'district' && (byOrg.has(0) || nowByOrg.has(0))) orgRows.push({ orgId: null, name: '未定位地点', id: 0 })
  return {
    from: range.from,
    to: range.to,
    scope: { orgId: t.id, name: t.name, kind: t.kind as 'district' },
    totals: withRates(totals),
    byDay: [...byDay].map(([day, c]) => ({ day, ...withRates(c) })),
    byCategory: cats.rows.filter((c) => c.active || byCat.has(c.id)).map((c) => ({ categoryId: c.id, name: c.name, ...withRates(byCat.get(c.id) ?? zeroCounts()) })),
    byOrg: orgRows.map((o) => ({ orgId: o.orgId, name: o.name, ...withRates(byOrg.get(o.id) ?? zeroCounts()) })),
    now: { ...nowTotal, byOrg: orgRows.map((o) => ({ orgId: o.orgId, name: o.name, ...(nowByOrg.get(o.id) ?? { overdue: 0, open: 0 }) })) },
  }
}

const EPOCH_CURSOR = /^(\d{1,17})\.(\d{1,10})$/

/**
 * The rows behind a number: reports filed in the range (Beijing days, or ever with `allTime`), in the target's place, meeting the
 * metric; newest first, keyset on (created_at, id) — the complaints_created_idx range, so any day of any
 * year is one short index scan.
 */
export async function complaintList(pool: pg.Pool, db: Db, t: Target, q: ComplaintListQuery): Promise<{ items: ComplaintRow[]; nextCursor: string | null }> {
  const metric = q.metric ?? 'received'
  const limit = q.limit ?? 20
  const values: unknown[] = []
  const p = (v: unknown) => {
    values.push(v)
    return `$${values.length}`
  }
  const where: string[] = [METRIC_SQL[metric]]
  if (!NOW_METRICS.includes(metric) && !q.allTime) {
    const range = parseRange(q)
    where.push(`c.created_at >= (${p(range.from)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`)
    where.push(`c.created_at < ((${p(range.to)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`)
  }
  if (q.unplaced) {
    if (t.kind !== 'district') throw badRequest('只有全区统计有“未定位地点”')
    where.push('c.street_org_id IS NULL')
  } else if (t.kind === 'street') where.push(`c.street_org_id = ${p(t.id)}`)
  else if (t.kind === 'community') where.push(`c.place_org_id IN (SELECT id FROM org_units WHERE path LIKE ${p(`${t.path}%`)})`)
  if (q.categoryId) where.push(`c.category_id = ${p(q.categoryId)}`)
  if (q.cursor) {
    const m = EPOCH_CURSOR.exec(q.cursor)
    if (!m) throw badRequest('翻页参数不正确')
    where.push(`(c.created_at, c.id) < (timestamptz 'epoch' + ${p(m[1])}::bigint * interval '1 microsecond', ${p(Number(m[2]))}::int)`)
  }
  const r = await pool.query<{ id: number; k: string }>(
    `SELECT c.id, (extract(epoch FROM c.created_at) * 1000000)::bigint::text AS k FROM complaints c
     WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT ${p(limit + 1)}`,
    values,
  )
  const page = r.rows.slice(0, limit)
  const loaded = page.length ? await listPage(db, sql`SELECT unnest(${`{${page.map((x) => x.id).join(',')}}`}::int[]) AS id`, 'desc') : []
  const byId = new Map(loaded.map((c) => [c.id, c]))
  const last = page[page.length - 1]
  return { items: page.map((x) => row(byId.get(x.id)!)), nextCursor: r.rows.length > limit && last ? `${last.k}.${last.id}` : null }
}

export type { ComplaintCounts }
