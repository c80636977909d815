import { Type, type Static } from '@sinclair/typebox'
import { Id, TextLine } from '../schemas/common.js'

/**
 * The dashboard's numbers. Complaint numbers are cohorts of the
 * Beijing filing day counted on the report's current state; each one is the row count of
 * GET /dashboard/complaints/list with the same filters and `metric`.
 */
export const COMPLAINT_METRICS = [
  'received',
  'signed',
  'signedOnTime',
  'signedLate',
  'rectified',
  'rectifiedOnTime',
  'rectifiedLate',
  'rated',
  'satisfied',
  'unsatisfied',
  'returned',
  'plugged',
  'overdue',
  'open',
] as const
export type ComplaintMetric = (typeof COMPLAINT_METRICS)[number]

export const COMPLAINT_METRIC_LABELS: Record<ComplaintMetric, string> = {
  received: '受理',
  signed: '已签收',
  signedOnTime: '按时签收',
  signedLate: '超时签收',
  rectified: '已整改',
  rectifiedOnTime: '按时整改',
  rectifiedLate: '超时整改',
  rated: '已评价',
  satisfied: '满意',
  unsatisfied: '不满意',
  returned: '被退回',
  plugged: '已堵漏',
  overdue: '当前超期',
  open: '当前未办结',
}

/** Longest range a dashboard call may ask for (a year and a leap day). */
export const DASH_MAX_DAYS = 366
/** Longest range of the gate-check list (the raw checks are kept 28 days anyway). */
export const DASH_CHECKS_MAX_DAYS = 31

export const DayString = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', maxLength: 10 })
export const DashQuery = Type.Object({
  from: Type.Optional(DayString),
  to: Type.Optional(DayString),
  orgId: Type.Optional(Id),
})
export type DashQuery = Static<typeof DashQuery>

export const DashScope = Type.Object({
  orgId: Type.Integer(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('district'), Type.Literal('street'), Type.Literal('community')]),
})

const N = Type.Integer()
const Rate = Type.Union([Type.Number(), Type.Null()])
export const ComplaintCounts = Type.Object({
  received: N,
  signed: N,
  signedOnTime: N,
  rectified: N,
  rectifiedOnTime: N,
  rated: N,
  satisfied: N,
  returned: N,
  returns: N,
  plugged: N,
  signOnTimeRate: Rate,
  rectifyOnTimeRate: Rate,
  satisfactionRate: Rate,
})
export type ComplaintCounts = Static<typeof ComplaintCounts>
export const COUNT_KEYS = ['received', 'signed', 'signedOnTime', 'rectified', 'rectifiedOnTime', 'rated', 'satisfied', 'returned', 'returns', 'plugged'] as const
export type CountKey = (typeof COUNT_KEYS)[number]

export const ComplaintsDashboard = Type.Object({
  from: Type.String(),
  to: Type.String(),
  scope: DashScope,
  totals: ComplaintCounts,
  byDay: Type.Array(Type.Intersect([Type.Object({ day: Type.String() }), ComplaintCounts])),
  byCategory: Type.Array(Type.Intersect([Type.Object({ categoryId: Type.Integer(), name: Type.String() }), ComplaintCounts])),
  byOrg: Type.Array(Type.Intersect([Type.Object({ orgId: Type.Union([Type.Integer(), Type.Null()]), name: Type.String() }), ComplaintCounts])),
  now: Type.Object({
    overdue: N,
    open: N,
    byOrg: Type.Array(Type.Object({ orgId: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), overdue: N, open: N })),
  }),
})
export type ComplaintsDashboard = Static<typeof ComplaintsDashboard>

export const ComplaintListQuery = Type.Object({
  from: Type.Optional(DayString),
  to: Type.Optional(DayString),
  day: Type.Optional(DayString),
  orgId: Type.Optional(Id),
  unplaced: Type.Optional(Type.Boolean()),
  /** Every report ever filed, whatever the range (the district home's 已堵漏洞, 按时率 and 满意率 are all-time). */
  allTime: Type.Optional(Type.Boolean()),
  metric: Type.Optional(Type.Union(COMPLAINT_METRICS.map((m) => Type.Literal(m)))),
  categoryId: Type.Optional(Id),
  cursor: Type.Optional(TextLine({ maxLength: 60 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
export type ComplaintListQuery = Static<typeof ComplaintListQuery>

const GateCounts = { total: N, pass: N, deny: N, register: N }
export const GateDashboard = Type.Object({
  from: Type.String(),
  to: Type.String(),
  scope: DashScope,
  totals: Type.Object({ ...GateCounts, in: N, out: N }),
  byHour: Type.Array(Type.Object({ hour: N, ...GateCounts })),
  byDay: Type.Array(Type.Object({ day: Type.String(), ...GateCounts })),
  denials: Type.Array(Type.Object({ reason: Type.String(), text: Type.String(), n: N })),
  byOrg: Type.Array(Type.Object({ orgId: Type.Integer(), name: Type.String(), ...GateCounts })),
})
export type GateDashboard = Static<typeof GateDashboard>

export const GateCheckListQuery = Type.Object({
  from: Type.Optional(DayString),
  to: Type.Optional(DayString),
  day: Type.Optional(DayString),
  orgId: Type.Optional(Id),
  gateId: Type.Optional(Id),
  hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
  /** 'all' is every check (核验人次); 'pass' the passes (放行). */
  verdict: Type.Optional(Type.Union([Type.Literal('deny'), Type.Literal('register'), Type.Literal('pass'), Type.Literal('all')])),
  reason: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
  cursor: Type.Optional(TextLine({ maxLength: 60 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
export type GateCheckListQuery = Static<typeof GateCheckListQuery>

export const GateCheckItem = Type.Object({
  id: Type.Integer(),
  checkedAt: Type.String(),
  gateId: Type.Integer(),
  gateName: Type.String(),
  compoundName: Type.String(),
  direction: Type.String(),
  verdict: Type.String(),
  reasons: Type.Array(Type.String()),
  reasonText: Type.String(),
  subjectKind: Type.String(),
  offline: Type.Boolean(),
})

export const QUARANTINE_DAY_KEYS = ['registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost', 'total', 'newToday', 'releasedToday', 'transferredToday'] as const
const QuarantineDayCounts = Object.fromEntries(QUARANTINE_DAY_KEYS.map((k) => [k, N])) as Record<(typeof QUARANTINE_DAY_KEYS)[number], typeof N>
export const QuarantineDashboard = Type.Object({
  from: Type.String(),
  to: Type.String(),
  scope: DashScope,
  items: Type.Array(Type.Object({ day: Type.String(), snapshot: Type.Boolean(), ...QuarantineDayCounts })),
})
export const QuarantineByOrg = Type.Object({
  day: Type.String(),
  scope: DashScope,
  items: Type.Array(Type.Object({ orgId: Type.Integer(), name: Type.String(), ...QuarantineDayCounts })),
})

/** a / b, or null when nothing was counted (a rate of nothing is unknown, not 0 or 100 %). */
export function rate(a: number, b: number): number | null {
  return b > 0 ? Math.round((a / b) * 10000) / 10000 : null
}

export function withRates<T extends Record<CountKey, number>>(c: T): T & Pick<ComplaintCounts, 'signOnTimeRate' | 'rectifyOnTimeRate' | 'satisfactionRate'> {
  return { ...c, signOnTimeRate: rate(c.signedOnTime, c.signed), rectifyOnTimeRate: rate(c.rectifiedOnTime, c.rectified), satisfactionRate: rate(c.satisfied, c.rated) }
}

export const zeroCounts = (): Record<CountKey, number> => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as Record<CountKey, number>

/** Every Beijing day from `from` to `to` inclusive (YYYY-MM-DD strings). */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86400_000) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

/** A real calendar day? (the pattern lets 2026-02-31 through.) */
export function isDay(s: string): boolean {
  const t = Date.parse(`${s}T00:00:00Z`)
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s
}
