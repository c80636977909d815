import type { HealthColor, Slot } from '@cc/shared'
import { api, apiWithRetry, ApiError, currentAccessToken } from './client'

/** The shapes of server/src/modules/returnees/returnees.schemas.ts and quarantine.schemas.ts (the contract). */
export type Transport = 'train' | 'flight' | 'car' | 'bus' | 'ship' | 'other'
export const TRANSPORT_LABELS: Record<Transport, string> = { train: '火车', flight: '飞机', car: '自驾', bus: '大巴', ship: '轮船', other: '其他' }

export interface TripInput {
  provinceCode: string
  cityCode?: string | null
  districtCode?: string | null
  originName: string
  route?: string
  departedOn?: string | null
  arrivedOn: string
  transport: Transport
  transportNo?: string
  keyContact: boolean
  healthColor?: HealthColor | null
  travelCardUploadId?: string | null
}

export interface SelfRegisterBody {
  forSelf: boolean
  name: string
  idNumber: string
  phone?: string | null
  elderly?: boolean
  noSmartphone?: boolean
  compoundId: number
  address: string
  trip: TripInput
}

export interface TripView {
  id: number
  originName: string
  provinceCode: string
  cityCode: string | null
  districtCode: string | null
  route: string
  departedOn: string | null
  arrivedOn: string
  transport: string
  transportNo: string
  keyContact: boolean
  healthColor: string | null
  hasTravelCard: boolean
  travelCardUrl?: string | null
  travelCardThumbUrl?: string | null
  risk: string
  source: string
  reviewed: boolean
  registrations: number
  createdAt: string
}

export interface ReturneeView {
  id: number
  communityId: number
  communityName: string
  nameMasked: string
  idMasked: string
  phoneLast4: string | null
  address: string
  elderly: boolean
  noSmartphone: boolean
  residentId: number | null
  state: string
  stateLabel: string
  caseId: number | null
  risk: string
  endOn: string | null
  lastTrip: TripView | null
}

export interface RegisterResult {
  returnee: ReturneeView
  tripId: number
  merged: boolean
  created: boolean
}

export interface CaseFollowup {
  id: number
  slotDate: string
  slot: Slot
  opensAt: string
  dueAt: string
  temperature: number | null
  symptoms: string[]
  abnormal: boolean
  recordedAt: string | null
  recorderKind: string | null
  overdue: boolean
  late: boolean
}

export interface CaseDetail {
  id: number
  returneeId: number
  communityId: number
  state: string
  stateLabel: string
  siteId: number | null
  siteName: string | null
  room: string | null
  startOn: string | null
  endOn: string | null
  startedAt: string | null
  closedAt: string | null
  releaseProposedAt: string | null
  nameMasked: string
  address: string
  travelCardUrl?: string | null
  travelCardThumbUrl?: string | null
  release: { ready: boolean; met: string[]; unmet: { code: string; text: string }[] } | null
  events: { id: number; action: string; fromState: string | null; toState: string; reason: string; at: string; actor: string | null }[]
  followups: CaseFollowup[]
  nats: { id: number; dueOn: string; result: string | null; sampledOn: string | null; recordedAt: string | null }[]
  alerts: { id: number; kind: string; text: string; createdAt: string; handledAt: string | null }[]
}

export interface FollowupResult {
  id: number
  caseId: number
  slotDate: string
  slot: string
  temperature: number | null
  symptoms: string[]
  abnormal: boolean
  alertId: number | null
  recorderKind: string
}

/** 返崇登记 and 我的隔离 (resident). */
export const meReturneesApi = {
  /** One Idempotency-Key per filled form: a retried submit on a weak network never registers twice. */
  register: (body: SelfRegisterBody, idempotencyKey: string, onRetry?: (n: number) => void) =>
    apiWithRetry<RegisterResult>('/me/returnees', { method: 'POST', body, idempotencyKey }, 4, onRetry),
  mine: () => api<{ items: ReturneeView[] }>('/me/returnees'),
  get: (id: number) => api<ReturneeView>(`/me/returnees/${id}`),
  case: (id: number) => api<CaseDetail | null>(`/me/returnees/${id}/case`),
  report: (id: number, body: { temperature: number | null; symptoms: string[]; slotDate?: string; slot?: Slot }, idempotencyKey: string) =>
    apiWithRetry<FollowupResult>(`/me/returnees/${id}/followups`, { method: 'POST', body, idempotencyKey }),
}

export type KeyAreaLevel = 'province' | 'city' | 'district'
export interface KeyAreaBody {
  level: KeyAreaLevel
  code: string
  name: string
  risk: 'high' | 'medium' | 'low'
  validFrom: string
  validUntil?: string | null
  note?: string
}
export interface KeyArea {
  id: number
  level: KeyAreaLevel
  code: string
  name: string
  risk: string
  validFrom: string
  validUntil: string | null
  note: string | null
  createdAt: string
  retiredAt: string | null
  replacedBy: number | null
}
type Changed = { area: KeyArea; recomputed: { changed: number; raised: number } }

/** 重点疫区 (district). */
export const keyAreasApi = {
  list: (history = false) => api<{ items: KeyArea[] }>('/key-areas', { query: { history: history || undefined } }),
  create: (b: KeyAreaBody) => api<Changed>('/key-areas', { method: 'POST', body: b }),
  replace: (id: number, b: KeyAreaBody) => api<Changed>(`/key-areas/${id}/replace`, { method: 'POST', body: b }),
  retire: (id: number) => api<Changed>(`/key-areas/${id}/retire`, { method: 'POST', body: {} }),
}

export interface CountStates {
  registered: number
  home: number
  centralised: number
  monitoring: number
  released: number
  cleared: number
  transferred: number
  lost: number
}
export interface CountRow {
  communityId: number
  communityName: string
  streetId: number
  streetName: string
  total: number
  newToday: number
  releasedToday: number
  transferredToday: number
  states: CountStates
}
export interface Counts {
  day: string
  rows: CountRow[]
  totals: CountStates & { people: number; newToday: number; releasedToday: number; transferredToday: number }
  reconciled: boolean
}
export interface PublicTotals {
  day: string
  home: number
  centralised: number
  monitoring: number
  releasedToday: number
  releasedTotal: number
  newToday: number
}

/** Daily counts (street, district) and the public totals. */
export const countsApi = {
  counts: (orgId?: number) => api<Counts>('/quarantine/counts', { query: { orgId } }),
  daily: (days = 14, orgId?: number) => api<{ items: { day: string; counts: Record<string, number> }[] }>('/quarantine/daily', { query: { days, orgId } }),
  publicTotals: () => api<PublicTotals>('/quarantine/public/totals', { auth: false }),
}

/** An .xlsx behind the bearer token: fetched, then handed to the browser as a file. */
export async function downloadXlsx(path: string, filename: string, query: Record<string, string | number | undefined> = {}) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v))
  const url = `/api/v1${path}${q.size ? `?${q}` : ''}`
  const once = () => {
    const token = currentAccessToken()
    return fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' })
  }
  let res = await once().catch(() => null)
  // An expired access token: any call through `api` refreshes it, then ask again.
  if (res?.status === 401) res = await api('/auth/me').then(once, () => res)
  if (!res) throw new ApiError(0, null)
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null))
  const href = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = href
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(href), 10_000)
}
