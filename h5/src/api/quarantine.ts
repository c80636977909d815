import type { Measure } from '@cc/shared'
import { api, apiWithRetry } from './client'
import type { CursorPage } from './complaints'
import type { CaseDetail as BaseCaseDetail, FollowupResult, RegisterResult, ReturneeView, TripInput } from './returnees'

/**
 * The community worker's quarantine calls (server/src/modules/quarantine/quarantine.routes.ts and
 * returnees.routes.ts are the contract). The street, district and public calls live further down.
 */

export type TodayKind = 'alert' | 'overdue' | 'due_now' | 'nat_due' | 'release_due' | 'new_registration' | 'complaint'
export interface TodayItem {
  kind: TodayKind
  urgency: number
  /** The deadline, or when it happened (alerts, registrations). */
  at: string
  title: string
  detail: string
  nameMasked: string | null
  returneeId: number | null
  caseId: number | null
  /** What the one-tap action works on: alert, slot, NAT, case, returnee or complaint id. */
  targetId: number
}
export interface Today {
  communityId: number
  generatedAt: string
  counts: Record<TodayKind, number>
  items: TodayItem[]
}

export type CaseDetail = BaseCaseDetail & {
  idMasked: string
  phoneLast4: string | null
  noSmartphone: boolean
  elderly: boolean
  events: (BaseCaseDetail['events'][number] & { data: Record<string, unknown> })[]
  alerts: (BaseCaseDetail['alerts'][number] & { handledNote: string | null })[]
}

export interface Site {
  id: number
  orgId: number
  orgName: string
  name: string
  address: string
  rooms: number
  capacity: number
  occupancy: number
  free: number
  full: boolean
  active: boolean
}

export interface DecideBody {
  measure: Measure
  reason: string
  startOn?: string
  days?: number
  siteId?: number
  room?: string
}
export interface MoveBody {
  to: 'home' | 'centralised'
  reason: string
  days?: number
  siteId?: number
  room?: string
}

export interface FollowupInput {
  temperature: number | null
  symptoms: string[]
  note?: string
}

export interface ReturneesQuery {
  state?: string
  q?: string
  unreviewed?: boolean
  cursor?: string | null
  limit?: number
}

export interface SweepBuilding {
  id: number
  name: string
  rooms: number
  marked: number
  noAnswer: number
  registered: number
  none: number
  returnees: number
}
export type SweepMark = 'no_answer' | 'registered' | 'none'
export interface SweepRoom {
  householdId: number
  unit: number
  room: string
  mark: SweepMark | null
  markedAt: string | null
  members: { residentId: number; nameMasked: string; noSmartphone: boolean; elderlyAlone: boolean; returneeId: number | null; state: string | null }[]
}

export interface WorkerRegisterBody {
  communityId: number
  residentId?: number
  householdId?: number
  name?: string
  idNumber?: string
  phone?: string | null
  elderly?: boolean
  noSmartphone?: boolean
  address?: string
  trip: TripInput
}

const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body })

/** 今日待办, cases, follow-ups, NATs, alerts and sites (community worker). */
export const quarantineApi = {
  today: () => api<Today>('/quarantine/today'),
  case: (id: number) => api<CaseDetail>(`/quarantine/cases/${id}`),
  decide: (id: number, b: DecideBody) => post<CaseDetail>(`/quarantine/cases/${id}/decide`, b),
  extend: (id: number, b: { days: number; reason: string }) => post<CaseDetail>(`/quarantine/cases/${id}/extend`, b),
  move: (id: number, b: MoveBody) => post<CaseDetail>(`/quarantine/cases/${id}/move`, b),
  transfer: (id: number, b: { reason: string; hospital: string }) => post<CaseDetail>(`/quarantine/cases/${id}/transfer`, b),
  lost: (id: number, b: { reason: string }) => post<CaseDetail>(`/quarantine/cases/${id}/lost`, b),
  release: (id: number, b: { reason?: string } = {}) => post<CaseDetail>(`/quarantine/cases/${id}/release`, b),
  followup: (slotId: number, b: FollowupInput) => post<FollowupResult>(`/quarantine/followups/${slotId}`, b),
  nat: (natId: number, b: { result: 'negative' | 'positive'; sampledOn?: string }) => post<{ id: number; caseId: number; dueOn: string; result: string }>(`/quarantine/nats/${natId}`, b),
  handleAlert: (alertId: number, note: string) => post<{ id: number; handledAt: string }>(`/quarantine/alerts/${alertId}/handle`, { note }),
  sites: () => api<{ items: Site[] }>('/quarantine/sites'),
}

/** Returnees of the worker's community: the list, review of self-registrations, desk and sweep registration. */
export const workerReturneesApi = {
  list: (q: ReturneesQuery = {}) => api<CursorPage<ReturneeView>>('/returnees', { query: { ...q } }),
  get: (id: number) => api<ReturneeView>(`/returnees/${id}`),
  review: (id: number) => post<ReturneeView>(`/returnees/${id}/review`),
  /** One Idempotency-Key per filled form: a retry on a weak network on the stairwell never registers twice. */
  register: (b: WorkerRegisterBody, idempotencyKey: string, onRetry?: (n: number) => void) =>
    apiWithRetry<RegisterResult>('/returnees', { method: 'POST', body: b, idempotencyKey }, 4, onRetry),
}

/** 扫楼 (door-to-door sweep). */
export const sweepApi = {
  buildings: (compoundId: number) => api<{ compoundId: number; items: SweepBuilding[] }>('/returnees/sweep/buildings', { query: { compoundId } }),
  rooms: (compoundId: number, buildingId: number) => api<{ items: SweepRoom[] }>('/returnees/sweep/rooms', { query: { compoundId, buildingId } }),
  mark: (householdId: number, mark: SweepMark, note?: string) =>
    post<{ householdId: number; buildingId: number; mark: SweepMark; markedAt: string }>('/returnees/sweep/marks', { householdId, mark, ...(note ? { note } : {}) }),
}
