import type { RuleSet } from '@cc/shared'
import { api } from './client'

/** Admission rule sets (通行规则): data the district publishes, versioned, one active at a time. */

export type RuleSetStatus = 'draft' | 'active' | 'retired'
export const RULE_SET_STATUS_LABELS: Record<RuleSetStatus, string> = { draft: '草稿', active: '生效中', retired: '已停用' }

export interface RuleSetRow {
  id: number
  version: number
  rules: Omit<RuleSet, 'version'>
  note: string
  status: RuleSetStatus
  validFrom: string
  validUntil: string | null
  activatedAt: string | null
  /** Who activated it (display name), when the server sends it. */
  activatedByName?: string | null
  activatedBy?: number | string | null
  createdAt?: string
}

export interface RulesOverview {
  active: RuleSetRow | null
  /** Every version, newest first (the active one included). */
  history: RuleSetRow[]
}

export interface NewRuleSet {
  rules: Omit<RuleSet, 'version'>
  note: string
  validFrom: string
  validUntil?: string | null
}

export const rulesApi = {
  overview: async (): Promise<RulesOverview> => {
    const r = await api<Partial<RulesOverview> & { items?: RuleSetRow[] }>('/rules')
    const history = [...(r.history ?? r.items ?? [])].sort((a, b) => b.version - a.version)
    return { active: r.active ?? history.find((x) => x.status === 'active') ?? null, history }
  },
  create: (body: NewRuleSet) => api<RuleSetRow>('/rules', { method: 'POST', body: { ...body, validUntil: body.validUntil || undefined } }),
  activate: (id: number) => api<RuleSetRow>(`/rules/${id}/activate`, { method: 'POST', body: {} }),
}
