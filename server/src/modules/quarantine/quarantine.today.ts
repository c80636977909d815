import { sql } from 'drizzle-orm'
import { OPEN_STATUSES, QUARANTINE_STATES, beijingDate, beijingInstant, type QuarantineState } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { slotOverdue, slotPending } from './quarantine.overdue.js'

/** Kinds of the today list, most urgent first: the order is the sort. */
export const TODAY_KINDS = ['alert', 'overdue', 'due_now', 'nat_due', 'release_due', 'new_registration', 'complaint'] as const
export type TodayKind = (typeof TODAY_KINDS)[number]
const URGENCY = Object.fromEntries(TODAY_KINDS.map((k, i) => [k, i])) as Record<TodayKind, number>
const PER_KIND = 200
/** No slot is open longer than this (SLOT_TIMES: 6 h and 10 h): bounds the "due now" range scan to the current slots. */
const SLOT_SPAN = sql`interval '12 hours'`

export interface TodayItem {
  kind: TodayKind
  urgency: number
  /** The deadline (or when it happened, for alerts and registrations). */
  at: string
  title: string
  detail: string
  nameMasked: string | null
  returneeId: number | null
  caseId: number | null
  /** What the one-tap action works on: alert, slot, NAT, case, returnee or complaint id. */
  targetId: number
}

const iso = (d: unknown) => new Date(d as string).toISOString()

/**
 * The community worker's one list. Every part filters on (community_id, …) partial indexes of its own table
 * and is capped, so the page answers the same with 100 k returnees as with 100.
 */
export async function todayList(db: Db, communityId: number, now = new Date()) {
  const t = now.toISOString()
  const today = beijingDate(now)
  const q = async (s: ReturnType<typeof sql>) => (await db.execute(s)).rows as Record<string, unknown>[]
  const [alerts, overdue, dueNow, nats, releases, regs, complaints] = await Promise.all([
    q(sql`SELECT a.id, a.kind, a.text, a.created_at AS at, a.case_id AS "caseId", a.returnee_id AS "returneeId", r.name_masked AS n
      FROM quarantine_alerts a JOIN returnees r ON r.id = a.returnee_id
      WHERE a.community_id = ${communityId} AND a.handled_at IS NULL ORDER BY a.created_at LIMIT ${PER_KIND}`),
    q(sql`SELECT f.id, f.slot_date AS d, f.slot, f.due_at AS at, f.case_id AS "caseId", qc.returnee_id AS "returneeId", r.name_masked AS n, r.no_smartphone AS ns
      FROM followup_slots f JOIN quarantine_cases qc ON qc.id = f.case_id JOIN returnees r ON r.id = qc.returnee_id
      WHERE f.community_id = ${communityId} AND ${slotOverdue(t, sql`f.due_at`, sql`f.recorded_at`)} AND qc.state IN ('home','centralised','monitoring')
      ORDER BY f.due_at LIMIT ${PER_KIND}`),
    q(sql`SELECT f.id, f.slot_date AS d, f.slot, f.due_at AS at, f.case_id AS "caseId", qc.returnee_id AS "returneeId", r.name_masked AS n, r.no_smartphone AS ns
      FROM followup_slots f JOIN quarantine_cases qc ON qc.id = f.case_id JOIN returnees r ON r.id = qc.returnee_id
      WHERE f.community_id = ${communityId} AND ${slotPending(t, sql`f.due_at`, sql`f.recorded_at`)} AND f.due_at <= ${t}::timestamptz + ${SLOT_SPAN}
        AND f.opens_at <= ${t}::timestamptz
      ORDER BY f.due_at LIMIT ${PER_KIND}`),
    q(sql`SELECT n.id, n.due_on AS d, n.case_id AS "caseId", qc.returnee_id AS "returneeId", r.name_masked AS n
      FROM nat_tests n JOIN quarantine_cases qc ON qc.id = n.case_id JOIN returnees r ON r.id = qc.returnee_id
      WHERE n.community_id = ${communityId} AND n.result IS NULL AND n.due_on <= ${today}::date AND qc.state IN ('home','centralised','monitoring')
      ORDER BY n.due_on LIMIT ${PER_KIND}`),
    q(sql`SELECT qc.id, qc.end_on AS d, qc.state, qc.returnee_id AS "returneeId", r.name_masked AS n, qc.release_proposed_at IS NOT NULL AS proposed
      FROM quarantine_cases qc JOIN returnees r ON r.id = qc.returnee_id
      WHERE qc.community_id = ${communityId} AND qc.state IN ('home','centralised','monitoring') AND qc.end_on <= ${today}::date
      ORDER BY qc.end_on LIMIT ${PER_KIND}`),
    q(sql`SELECT t.id, t.created_at AS at, t.origin_name AS o, t.arrived_on AS d, t.risk, t.returnee_id AS "returneeId", r.current_case_id AS "caseId", r.name_masked AS n
      FROM returnee_trips t JOIN returnees r ON r.id = t.returnee_id
      WHERE t.community_id = ${communityId} AND t.reviewed_at IS NULL ORDER BY t.created_at LIMIT ${PER_KIND}`),
    q(sql`SELECT c.id, c.tracking_code AS code, c.status, CASE WHEN c.status IN ('assigned','reopened') THEN c.sign_due_at ELSE c.rectify_due_at END AS at, left(c.description, 40) AS text
      FROM complaints c WHERE c.assignee_org_id = ${communityId} AND c.status IN (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})
      ORDER BY 4 NULLS LAST LIMIT ${PER_KIND}`),
  ])
  const items: TodayItem[] = []
  const push = (kind: TodayKind, x: Record<string, unknown>, at: unknown, title: string, detail: string, targetId: number) =>
    items.push({ kind, urgency: URGENCY[kind], at: at ? iso(at) : t, title, detail, nameMasked: (x.n as string) ?? null, returneeId: (x.returneeId as number) ?? null, caseId: (x.caseId as number) ?? null, targetId })
  const slotName = (x: Record<string, unknown>) => `${x.d}${x.slot === 'am' ? '上午' : '下午'}`
  for (const x of alerts) push('alert', x, x.at, x.kind === 'gate' ? '卡口预警' : x.kind === 'nat_positive' ? '核酸阳性' : x.kind === 'risk_up' ? '风险升高' : '随访异常', x.text as string, x.id as number)
  for (const x of overdue) push('overdue', x, x.at, '随访逾期', `${slotName(x)}体温未报${x.ns ? '（无智能手机，请上门）' : ''}`, x.id as number)
  for (const x of dueNow) push('due_now', x, x.at, '待随访', `${slotName(x)}体温${x.ns ? '（无智能手机，请上门）' : ''}`, x.id as number)
  for (const x of nats) push('nat_due', x, beijingInstant(x.d as string, '24:00'), '核酸待检', `${x.d} 应检`, x.id as number)
  for (const x of releases) push('release_due', { ...x, caseId: x.id }, beijingInstant(x.d as string, '24:00'), '可解除', `${x.d} 期满${x.proposed ? '，条件已满足' : '，请核对解除条件'}`, x.id as number)
  for (const x of regs) push('new_registration', x, x.at, '新返崇登记', `${x.o} ${x.d} 抵崇`, x.returneeId as number)
  for (const x of complaints) push('complaint', {}, x.at, `投诉 ${x.code}`, x.text as string, x.id as number)
  items.sort((a, b) => a.urgency - b.urgency || a.at.localeCompare(b.at))
  const counts = Object.fromEntries(TODAY_KINDS.map((k) => [k, items.filter((i) => i.kind === k).length])) as Record<TodayKind, number>
  return { communityId, generatedAt: t, counts, items }
}

/** The street's overview: the same counts per community under an org, each kind one grouped scan. */
export async function todaySummary(db: Db, orgPath: string, now = new Date()) {
  const t = now.toISOString()
  const today = beijingDate(now)
  const active = sql`('home','centralised','monitoring')`
  const r = await db.execute(sql`
    WITH cm AS (SELECT id, name FROM org_units WHERE kind = 'community' AND path LIKE ${`${orgPath}%`}),
    a AS (SELECT community_id AS id, count(*)::int AS n FROM quarantine_alerts WHERE handled_at IS NULL AND community_id IN (SELECT id FROM cm) GROUP BY 1),
    o AS (SELECT f.community_id AS id, count(*)::int AS n FROM followup_slots f JOIN quarantine_cases qc ON qc.id = f.case_id
          WHERE ${slotOverdue(t, sql`f.due_at`, sql`f.recorded_at`)} AND qc.state IN ${active} AND f.community_id IN (SELECT id FROM cm) GROUP BY 1),
    d AS (SELECT community_id AS id, count(*)::int AS n FROM followup_slots
          WHERE ${slotPending(t)} AND due_at <= ${t}::timestamptz + ${SLOT_SPAN} AND opens_at <= ${t}::timestamptz
            AND community_id IN (SELECT id FROM cm) GROUP BY 1),
    n AS (SELECT n.community_id AS id, count(*)::int AS n FROM nat_tests n JOIN quarantine_cases qc ON qc.id = n.case_id
          WHERE n.result IS NULL AND n.due_on <= ${today}::date AND qc.state IN ${active} AND n.community_id IN (SELECT id FROM cm) GROUP BY 1),
    rl AS (SELECT community_id AS id, count(*)::int AS n FROM quarantine_cases WHERE state IN ${active} AND end_on <= ${today}::date AND community_id IN (SELECT id FROM cm) GROUP BY 1),
    tr AS (SELECT community_id AS id, count(*)::int AS n FROM returnee_trips WHERE reviewed_at IS NULL AND community_id IN (SELECT id FROM cm) GROUP BY 1),
    c AS (SELECT assignee_org_id AS id, count(*)::int AS n FROM complaints
          WHERE status IN (${sql.join(OPEN_STATUSES.map((x) => sql`${x}`), sql`, `)}) AND assignee_org_id IN (SELECT id FROM cm) GROUP BY 1)
    SELECT cm.id AS "communityId", cm.name AS "communityName", coalesce(a.n, 0) AS alert, coalesce(o.n, 0) AS overdue, coalesce(d.n, 0) AS due_now,
      coalesce(n.n, 0) AS nat_due, coalesce(rl.n, 0) AS release_due, coalesce(tr.n, 0) AS new_registration, coalesce(c.n, 0) AS complaint
    FROM cm LEFT JOIN a USING (id) LEFT JOIN o USING (id) LEFT JOIN d USING (id) LEFT JOIN n USING (id) LEFT JOIN rl USING (id) LEFT JOIN tr USING (id) LEFT JOIN c USING (id)
    ORDER BY cm.name`)
  return { generatedAt: t, items: r.rows as Record<string, number | string>[] }
}

/**
 * Daily counts per community: how many people are in each state now (from the mirrored state on the
 * person — so each person is counted exactly once), and what happened today (from the events).
 */
export async function dailyCounts(db: Db, orgPath: string, now = new Date()) {
  const day = beijingDate(now)
  const from = beijingInstant(day, '00:00').toISOString()
  const r = await db.execute(sql`
    WITH cm AS (SELECT c.id, c.name, c.parent_id AS street_id, s.name AS street_name FROM org_units c JOIN org_units s ON s.id = c.parent_id
                WHERE c.kind = 'community' AND c.path LIKE ${`${orgPath}%`}),
    st AS (SELECT community_id, state, count(*)::int AS n FROM returnees WHERE community_id IN (SELECT id FROM cm) GROUP BY 1, 2),
    ev AS (SELECT community_id,
             count(*) FILTER (WHERE action = 'open')::int AS new_today,
             count(*) FILTER (WHERE action = 'release')::int AS released_today,
             count(*) FILTER (WHERE action = 'transfer')::int AS transferred_today
           FROM quarantine_events WHERE community_id IN (SELECT id FROM cm) AND at >= ${from}::timestamptz GROUP BY 1)
    SELECT cm.id AS "communityId", cm.name AS "communityName", cm.street_id AS "streetId", cm.street_name AS "streetName",
      coalesce((SELECT jsonb_object_agg(state, n) FROM st WHERE st.community_id = cm.id), '{}') AS states,
      coalesce((SELECT sum(n) FROM st WHERE st.community_id = cm.id), 0)::int AS people,
      (SELECT count(*) FROM returnees r WHERE r.community_id = cm.id)::int AS total,
      coalesce(ev.new_today, 0) AS "newToday", coalesce(ev.released_today, 0) AS "releasedToday", coalesce(ev.transferred_today, 0) AS "transferredToday"
    FROM cm LEFT JOIN ev ON ev.community_id = cm.id ORDER BY cm.street_name, cm.name`)
  const rows = (r.rows as Record<string, unknown>[]).map((x) => {
    const states = Object.fromEntries(QUARANTINE_STATES.map((s) => [s, Number((x.states as Record<string, number>)[s] ?? 0)])) as Record<QuarantineState, number>
    return { ...(x as { communityId: number; communityName: string; streetId: number; streetName: string; total: number; newToday: number; releasedToday: number; transferredToday: number }), states }
  })
  const totals = Object.fromEntries(QUARANTINE_STATES.map((s) => [s, rows.reduce((a, x) => a + x.states[s], 0)])) as Record<QuarantineState, number>
  const people = rows.reduce((a, x) => a + x.total, 0)
  const sum = Object.values(totals).reduce((a, n) => a + n, 0)
  return {
    day,
    rows,
    totals: { ...totals, people, newToday: rows.reduce((a, x) => a + x.newToday, 0), releasedToday: rows.reduce((a, x) => a + x.releasedToday, 0), transferredToday: rows.reduce((a, x) => a + x.transferredToday, 0) },
    /** Every person in exactly one state: the states add up to the people, per community and in total. */
    reconciled: sum === people && rows.every((x) => Object.values(x.states).reduce((a, n) => a + n, 0) === x.total),
  }
}

/** Writes (or rewrites) the day's snapshot of every community: the table the district's history chart reads. */
export async function snapshotDaily(db: Db, now = new Date()) {
  const c = await dailyCounts(db, '/', now)
  if (c.rows.length === 0) return { day: c.day, rows: 0 }
  await db.execute(sql`
    INSERT INTO quarantine_daily (day, community_id, street_id, counts)
    SELECT ${c.day}::date, x.community_id, x.street_id, x.counts
    FROM jsonb_to_recordset(${JSON.stringify(c.rows.map((x) => ({ community_id: x.communityId, street_id: x.streetId, counts: { ...x.states, total: x.total, newToday: x.newToday, releasedToday: x.releasedToday, transferredToday: x.transferredToday } })))}::jsonb)
      AS x(community_id int, street_id int, counts jsonb)
    ON CONFLICT (day, community_id) DO UPDATE SET counts = EXCLUDED.counts, updated_at = now()`)
  return { day: c.day, rows: c.rows.length }
}

/** Per-day totals under an org for the chart: the snapshots, with today computed live. */
export async function dailyHistory(db: Db, orgPath: string, days: number, now = new Date()) {
  const today = beijingDate(now)
  const r = await db.execute(sql`
    SELECT d.day::text AS day, jsonb_object_agg(k, v) AS counts FROM (
      SELECT q.day, e.key AS k, sum(e.value::int)::int AS v
      FROM quarantine_daily q JOIN org_units o ON o.id = q.community_id, jsonb_each_text(q.counts) e
      WHERE o.path LIKE ${`${orgPath}%`} AND q.day >= ${today}::date - ${days - 1}::int AND q.day < ${today}::date
      GROUP BY q.day, e.key) d
    GROUP BY d.day ORDER BY d.day`)
  const live = await dailyCounts(db, orgPath, now)
  const { people, ...rest } = live.totals
  return { items: [...(r.rows as { day: string; counts: Record<string, number> }[]), { day: today, counts: { ...rest, total: people } }] }
}

/** The public page's district totals: counts only, nothing about anyone. */
export async function publicTotals(db: Db, now = new Date()) {
  const c = await dailyCounts(db, '/', now)
  return { day: c.day, home: c.totals.home, centralised: c.totals.centralised, monitoring: c.totals.monitoring, releasedToday: c.totals.releasedToday, releasedTotal: c.totals.released, newToday: c.totals.newToday }
}
