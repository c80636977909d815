import type { ComplaintRow } from '@cc/shared'
import { api } from './client'

/**
 * The dashboard calls (server/src/modules/dashboard). Complaint numbers are
 * cohorts of the filing day: "of the reports filed on D in this scope, how many …", each one the row count
 * of `complaintList` with the same filter and metric.
 */

export interface DashScope {
  orgId: number
  name: string
  kind: 'district' | 'street' | 'community'
}
export interface DashFilter {
  /** Beijing days, inclusive. */
  from?: string
  to?: string
  /** A street or community inside the caller's scope; the caller's own when absent. */
  orgId?: number
}

export interface ComplaintNumbers {
  received: number
  signed: number
  signedOnTime: number
  rectified: number
  rectifiedOnTime: number
  rated: number
  satisfied: number
  returned: number
  returns: number
  plugged: number
  signOnTimeRate: number | null
  rectifyOnTimeRate: number | null
  satisfactionRate: number | null
}
export interface ComplaintDash {
  from: string
  to: string
  scope: DashScope
  totals: ComplaintNumbers
  byDay: (ComplaintNumbers & { day: string })[]
  byCategory: (ComplaintNumbers & { categoryId: number; name: string })[]
  /** Children one level down; `orgId: null` = reports with only a typed address (未定位地点). */
  byOrg: (ComplaintNumbers & { orgId: number | null; name: string })[]
  now: { overdue: number; open: number; byOrg: { orgId: number | null; name: string; overdue: number; open: number }[] }
}

export type ComplaintMetric =
  | 'received'
  | 'signed'
  | 'signedOnTime'
  | 'signedLate'
  | 'rectified'
  | 'rectifiedOnTime'
  | 'rectifiedLate'
  | 'rated'
  | 'satisfied'
  | 'unsatisfied'
  | 'returned'
  | 'plugged'
  | 'overdue'
  | 'open'

export interface ComplaintListQuery extends DashFilter {
  metric?: ComplaintMetric
  day?: string
  categoryId?: number
  unplaced?: boolean
  allTime?: boolean
  cursor?: string
  limit?: number
}

export interface GateNumbers {
  total: number
  pass: number
  deny: number
  register: number
}
export interface GateDash {
  from: string
  to: string
  scope: DashScope
  totals: GateNumbers & { in: number; out: number }
  byHour: (GateNumbers & { hour: number })[]
  byDay: (GateNumbers & { day: string })[]
  denials: { reason: string; text: string; n: number }[]
  byOrg: (GateNumbers & { orgId: number | null; name: string })[]
}
export interface GateCheckRow {
  id: number
  checkedAt: string
  gateId: number
  gateName: string
  compoundName: string
  direction: 'in' | 'out'
  verdict: 'pass' | 'deny' | 'register'
  reasons: string[]
  reasonText: string
  subjectKind: string
  offline: boolean
}
/** 核验人次 (all), 放行, 劝返, 登记. */
export type GateVerdictFilter = 'all' | 'pass' | 'deny' | 'register'
export interface GateListQuery extends DashFilter {
  day?: string
  gateId?: number
  hour?: number
  verdict?: GateVerdictFilter
  reason?: string
  cursor?: string
  limit?: number
}

export interface QuarantineDayNumbers {
  registered: number
  home: number
  centralised: number
  monitoring: number
  released: number
  cleared: number
  transferred: number
  lost: number
  total: number
  newToday: number
  releasedToday: number
  transferredToday: number
}
export interface QuarantineDash {
  from: string
  to: string
  scope: DashScope
  items: (QuarantineDayNumbers & { day: string; snapshot: boolean })[]
}
export interface QuarantineByOrg {
  day: string
  items: (QuarantineDayNumbers & { orgId: number | null; name: string })[]
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

type Query = Record<string, string | number | boolean | undefined | null>
const q = (o: object) => o as Query

export const dashboardApi = {
  complaints: (f: DashFilter) => api<ComplaintDash>('/dashboard/complaints', { query: q(f) }),
  complaintList: (f: ComplaintListQuery) => api<Page<ComplaintRow>>('/dashboard/complaints/list', { query: q(f) }),
  gate: (f: DashFilter) => api<GateDash>('/dashboard/gate', { query: q(f) }),
  gateChecks: (f: GateListQuery) => api<Page<GateCheckRow>>('/dashboard/gate/checks', { query: q(f) }),
  quarantine: (f: DashFilter) => api<QuarantineDash>('/dashboard/quarantine', { query: q(f) }),
  quarantineByOrg: (f: { day: string; orgId?: number }) => api<QuarantineByOrg>('/dashboard/quarantine/by-org', { query: q(f) }),
  /** The red/black trend is public: red and black entries per published period. */
  redblackTrend: () =>
    api<{ items: { periodId: number; number: number; title: string; publishedAt: string; red: number; black: number }[] }>('/redblack/trend', { auth: false }),
  exportUrl: (f: DashFilter) => {
    const s = new URLSearchParams(Object.entries(f).filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [k, String(v)]))
    return `/api/v1/dashboard/export.xlsx${s.size ? `?${s}` : ''}`
  },
}
