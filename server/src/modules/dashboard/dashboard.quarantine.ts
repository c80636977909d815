import type pg from 'pg'
import { QUARANTINE_DAY_KEYS, QUARANTINE_STATES, daysOf } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { dailyCounts } from '../quarantine/quarantine.today.js'
import { beijingDay, childOf, rollupWhere, type Range, type Target } from './dashboard.scope.js'

type DayCounts = Record<(typeof QUARANTINE_DAY_KEYS)[number], number>
const zero = (): DayCounts => Object.fromEntries(QUARANTINE_DAY_KEYS.map((k) => [k, 0])) as DayCounts

/** One community's live row (quarantine dailyCounts) in the snapshot's shape. */
function liveRow(x: { states: Record<string, number>; total: number; newToday: number; releasedToday: number; transferredToday: number }): DayCounts {
  const c = zero()
  for (const s of QUARANTINE_STATES) c[s] += x.states[s] ?? 0
  c.total += x.total
  c.newToday += x.newToday
  c.releasedToday += x.releasedToday
  c.transferredToday += x.transferredToday
  return c
}
const addInto = (a: DayCounts, b: DayCounts) => {
  for (const k of QUARANTINE_DAY_KEYS) a[k] += b[k]
}

/**
 * Quarantine counts per day: the 23:55 snapshots (quarantine_daily, one row per community and day, reused
 * from the quarantine module) summed over the scope, today computed live as /quarantine/counts does.
 */
export async function quarantineDashboard(pool: pg.Pool, db: Db, t: Target, range: Range, now = new Date()) {
  const w = rollupWhere(t, 3)
  const r = await pool.query<{ day: string; k: string; n: number }>(
    `SELECT q.day::text AS day, e.key AS k, sum(e.value::int)::int AS n
     FROM quarantine_daily q, jsonb_each_text(q.counts) e
     WHERE q.day BETWEEN $1::date AND $2::date${w.text}
     GROUP BY 1, 2`,
    [range.from, range.to, ...w.values],
  )
  const days = new Map(daysOf(range.from, range.to).map((d) => [d, { counts: zero(), snapshot: false }]))
  for (const x of r.rows) {
    const d = days.get(x.day)
    if (!d || !(QUARANTINE_DAY_KEYS as readonly string[]).includes(x.k)) continue
    d.counts[x.k as keyof DayCounts] += x.n
    d.snapshot = true
  }
  const today = beijingDay(now)
  if (days.has(today)) {
    const live = await dailyCounts(db, t.path, now)
    const c = zero()
    for (const row of live.rows) addInto(c, liveRow(row))
    days.set(today, { counts: c, snapshot: false })
  }
  return {
    from: range.from,
    to: range.to,
    scope: { orgId: t.id, name: t.name, kind: t.kind as 'district' },
    items: [...days].map(([day, d]) => ({ day, snapshot: d.snapshot, ...d.counts })),
  }
}

/** One day per child org (streets of the district, communities of a street): the rows behind a day's bar. */
export async function quarantineByOrg(pool: pg.Pool, db: Db, t: Target, day: string, now = new Date()) {
  const child = childOf(t)
  const key = child?.kind === 'street' ? 'street_id' : 'community_id'
  const kids = child
    ? (await pool.query<{ id: number; name: string }>({ name: 'dash_children', text: `SELECT id, name FROM org_units WHERE parent_id = $1 AND kind = $2::org_kind ORDER BY name, id`, values: [t.id, child.kind] })).rows
    : [{ id: t.id, name: t.name }]
  const by = new Map(kids.map((k) => [k.id, zero()]))
  if (day === beijingDay(now)) {
    const live = await dailyCounts(db, t.path, now)
    for (const row of live.rows) {
      const c = by.get(key === 'street_id' ? row.streetId : row.communityId)
      if (c) addInto(c, liveRow(row))
    }
  } else {
    const w = rollupWhere(t, 2)
    const r = await pool.query<{ org: number; k: string; n: number }>(
      `SELECT q.${key} AS org, e.key AS k, sum(e.value::int)::int AS n
       FROM quarantine_daily q, jsonb_each_text(q.counts) e
       WHERE q.day = $1::date${w.text}
       GROUP BY 1, 2`,
      [day, ...w.values],
    )
    for (const x of r.rows) {
      const c = by.get(x.org)
      if (c && (QUARANTINE_DAY_KEYS as readonly string[]).includes(x.k)) c[x.k as keyof DayCounts] += x.n
    }
  }
  return { day, scope: { orgId: t.id, name: t.name, kind: t.kind as 'district' }, items: kids.map((k) => ({ orgId: k.id, name: k.name, ...by.get(k.id)! })) }
}
