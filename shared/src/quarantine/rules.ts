/**
 * Release conditions, key-area risk and NAT schedule: kept as data so the district changes a rule by
 * editing a list, and the server, the job that proposes releases and the H5 read the same thing.
 */
import type { ActiveState } from './state.js'

/**
 * How many of the most recent follow-up slots must be recorded and normal: 2 = one full day (morning and
 * evening). A fever on day 3 followed by normal readings does not block the release on day 14; one in the
 * last day does.
 */
export const RELEASE_RECENT_SLOTS = 2
/** Unfilled slots whose deadline passed within this many hours before now block the release. */
export const RELEASE_OVERDUE_WINDOW_HOURS = 24

export const RELEASE_CONDITIONS = {
  end_reached: '隔离期满',
  no_open_alert: '预警均已处置',
  recent_followups_normal: `最近 ${RELEASE_RECENT_SLOTS} 次随访已报且正常（无发热、无症状）`,
  no_recent_overdue: `最近 ${RELEASE_OVERDUE_WINDOW_HOURS} 小时无逾期未报`,
  last_nat_negative: '末次核酸阴性',
} as const
export type ReleaseCondition = keyof typeof RELEASE_CONDITIONS

/** Which conditions each measure needs before the system proposes a release. */
export const RELEASE_RULES: Record<ActiveState, readonly ReleaseCondition[]> = {
  home: ['end_reached', 'no_open_alert', 'recent_followups_normal', 'no_recent_overdue', 'last_nat_negative'],
  centralised: ['end_reached', 'no_open_alert', 'recent_followups_normal', 'no_recent_overdue', 'last_nat_negative'],
  monitoring: ['end_reached', 'no_open_alert', 'recent_followups_normal', 'no_recent_overdue'],
}

/** One follow-up slot as the release check sees it. */
export interface ReleaseSlot {
  dueAt: string
  recorded: boolean
  abnormal: boolean
}

export interface ReleaseFacts {
  /** Beijing calendar date today, YYYY-MM-DD. */
  today: string
  /** Last day of the period (inclusive): the release is proposed from this day on. */
  endDate: string
  /** Now, ISO: which slots are past, which overdue ones are recent. */
  now: string
  /**
   * The case's slots that are past (deadline reached) or already recorded, newest first; the server sends at
   * least RELEASE_RECENT_SLOTS of them plus every one within the overdue window (or all there are).
   */
  slots: readonly ReleaseSlot[]
  /** Alerts (fever, gate, NAT, risk) nobody has handled yet. */
  openAlerts: number
  /** Result of the most recent NAT with a result, null when none. */
  lastNatResult: 'negative' | 'positive' | null
  /** Overrides RELEASE_RECENT_SLOTS (tests, a district that wants two days). */
  recentSlots?: number
}

export interface ReleaseCheck {
  ready: boolean
  met: ReleaseCondition[]
  unmet: { code: ReleaseCondition; text: string }[]
}

/**
 * The last N past slots: all recorded, none abnormal. A case back-filled on its last day has fewer (or none)
 * past slots: those it has must hold; its NAT and the overdue window still guard it.
 */
function recentNormal(f: ReleaseFacts): boolean {
  const n = f.recentSlots ?? RELEASE_RECENT_SLOTS
  const last = [...f.slots].sort((a, b) => b.dueAt.localeCompare(a.dueAt)).slice(0, n)
  return last.every((s) => s.recorded && !s.abnormal)
}

function recentOverdue(f: ReleaseFacts): boolean {
  const now = Date.parse(f.now)
  const from = now - RELEASE_OVERDUE_WINDOW_HOURS * 3600_000
  return f.slots.some((s) => !s.recorded && Date.parse(s.dueAt) <= now && Date.parse(s.dueAt) > from)
}

function holds(c: ReleaseCondition, f: ReleaseFacts): boolean {
  switch (c) {
    // The period is the whole end date: the release is proposed from the end date on (the end-of-day slot may still be open).
    case 'end_reached':
      return f.today >= f.endDate
    case 'no_open_alert':
      return f.openAlerts === 0
    case 'recent_followups_normal':
      return recentNormal(f)
    case 'no_recent_overdue':
      return !recentOverdue(f)
    case 'last_nat_negative':
      return f.lastNatResult === 'negative'
  }
}

export function releaseReady(conditions: readonly ReleaseCondition[], facts: ReleaseFacts): ReleaseCheck {
  const met: ReleaseCondition[] = []
  const unmet: ReleaseCheck['unmet'] = []
  for (const c of conditions) holds(c, facts) ? met.push(c) : unmet.push({ code: c, text: RELEASE_CONDITIONS[c] })
  return { ready: unmet.length === 0, met, unmet }
}

/* ---------------------------------------------------------------- key areas and risk */

export const RISK_LEVELS = ['high', 'medium', 'low'] as const
export type RiskLevel = (typeof RISK_LEVELS)[number]
/** 'none': the origin is on no valid key area. */
export type Risk = RiskLevel | 'none'
export const RISK_LABELS: Record<Risk, string> = { high: '高风险', medium: '中风险', low: '低风险', none: '非重点地区' }
const RANK: Record<Risk, number> = { none: 0, low: 1, medium: 2, high: 3 }
export const riskRank = (r: Risk) => RANK[r]

export const AREA_LEVELS = ['province', 'city', 'district'] as const
export type AreaLevel = (typeof AREA_LEVELS)[number]

/** A key area: a code of @vant/area-data (province 420000, city 420100, district 420102) at its level. */
export interface KeyArea {
  level: AreaLevel
  code: string
  risk: RiskLevel
  validFrom: string
  /** Inclusive; null = until further notice. */
  validUntil: string | null
}

/** Where someone came from, as the Vant Area picker gives it (city/district may be missing). */
export interface Origin {
  provinceCode: string
  cityCode?: string | null
  districtCode?: string | null
}

/** The origin's code at a level: the area-data codes nest by prefix (42 → 4201 → 420102). */
function prefixOf(level: AreaLevel, code: string) {
  return code.slice(0, level === 'province' ? 2 : level === 'city' ? 4 : 6)
}

function covers(area: KeyArea, origin: Origin): boolean {
  const finest = origin.districtCode || origin.cityCode || origin.provinceCode
  const depth = origin.districtCode ? 3 : origin.cityCode ? 2 : 1
  // Someone who only named a province is not matched by a city-level area: the picker asks for the district.
  if (depth < AREA_LEVELS.indexOf(area.level) + 1) return false
  return prefixOf(area.level, finest) === prefixOf(area.level, area.code)
}

/** The highest risk of the key areas covering the origin and valid on the arrival date. */
export function riskOf(keyAreas: readonly KeyArea[], origin: Origin, arrivalDate: string): Risk {
  let best: Risk = 'none'
  for (const a of keyAreas) {
    if (arrivalDate < a.validFrom || (a.validUntil !== null && arrivalDate > a.validUntil)) continue
    if (!covers(a, origin)) continue
    if (RANK[a.risk] > RANK[best]) best = a.risk
  }
  return best
}

export const isAreaCode = (s: string) => /^\d{6}$/.test(s)

/* ---------------------------------------------------------------- NAT schedule */

/** NAT days counted from the first day of the period (day 1). */
export const NAT_DAYS: Record<ActiveState, readonly number[]> = { home: [1, 7, 13], centralised: [1, 7, 13], monitoring: [1, 7] }

/** Due dates of the NATs of a period: the schedule's days that fall inside [start, end]. */
export function natDueDates(startDate: string, endDate: string, days: readonly number[]): string[] {
  return days.map((d) => addDays(startDate, d - 1)).filter((d) => d <= endDate)
}

/* ---------------------------------------------------------------- dates */

export function addDays(date: string, n: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + n * 86400_000
  return new Date(t).toISOString().slice(0, 10)
}

/** Days from a to b (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000)
