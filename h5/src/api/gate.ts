import type { Direction, HealthColor, Reason, RuleSet, Verdict, PassStatus } from '@cc/shared'
import { api } from './client'

export interface Gate {
  id: number
  name: string
  staffed: boolean
  compoundId: number
  compoundName: string
}

/** What a gate needs to decide with no network (GET /gate/pack). */
export interface GatePack {
  gateId: number
  compoundId: number
  compoundName: string
  gateName: string
  issuedAt: string
  validUntil: string
  keys: { kid: string; jwk: JsonWebKey }[]
  ruleSet: RuleSet
  deny: { passes: { pid: number; status: PassStatus }[]; devices: string[]; quarantinedPassIds: number[] }
  cards: { code: string; pid: number; n: string }[]
}

/** One check as the gate sends it (POST /gate/checks, and each item of /gate/checks/sync). */
export interface CheckInput {
  clientId: string
  clientTime: string
  gateId: number
  direction: Direction
  code?: string
  cardCode?: string
  visitorId?: number
  temperature: number | null
  mask: boolean | null
  color: HealthColor | null
  natAt: string | null
  gateVerdict?: Verdict
  offline?: boolean
}

export interface CheckReply {
  stored: boolean
  checkId: number | string
  verdict: Verdict
  reasons: Reason[]
  actions: string[]
  ruleVersion: number
  subject: { kind: string; nameMasked: string | null; passId: number | null }
  disagree: boolean
}

export interface SyncReply {
  results: { clientId: string; stored: boolean; verdict: Verdict; disagree: boolean }[]
}

export interface GateCounts {
  day: string
  in: number
  out: number
  denied: { reason: string; text: string; n: number }[]
  registered: number
  visitorsInside: number
}

export interface VisitorInput {
  clientId: string
  gateId: number
  name: string
  phone: string
  purpose: string
  hostHouseholdId?: number
  hostNote?: string
  origin: string
}

export interface Visitor {
  id: number
  nameMasked: string
  phoneLast4: string
  purpose: string
  hostNote?: string | null
  hostHouseholdId?: number | null
  origin: string
  inAt: string
  outAt: string | null
}

export const gateApi = {
  gates: () => api<{ items: Gate[] }>('/gate/gates'),
  pack: (gateId: number) => api<GatePack>('/gate/pack', { query: { gateId } }),
  check: (c: CheckInput) => api<CheckReply>('/gate/checks', { method: 'POST', body: c }),
  sync: (checks: CheckInput[]) => api<SyncReply>('/gate/checks/sync', { method: 'POST', body: { checks } }),
  counts: (gateId: number) => api<GateCounts>('/gate/counts', { query: { gateId } }),
  visitors: (gateId: number) => api<{ items: Visitor[] }>('/gate/visitors', { query: { gateId, inside: true } }),
  addVisitor: (v: VisitorInput) => api<Visitor>('/gate/visitors', { method: 'POST', body: v }),
  visitorOut: (id: number, gateId: number) => api<Visitor>(`/gate/visitors/${id}/out`, { method: 'POST', body: { gateId } }),
}
