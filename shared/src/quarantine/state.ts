/**
 * The quarantine state machine (one per returnee's case). The worker decides a measure for a registered
 * returnee; a case then runs until released, or leaves by an exit (hospital transfer, unreachable).
 *
 *   registered ─┬─ home ─────────┐   home ⇄ centralised (move), monitoring → home | centralised (escalate)
 *               ├─ centralised ──┼─ (extend)* ─ released
 *               ├─ monitoring ───┘
 *               └─ cleared (措施「无」: nothing to follow up)
 *   any open state ─ transferred (转运就医) | lost (失联)
 *
 * Decisions taken here:
 * - 'monitoring' (健康监测) is a measure with follow-ups and release like quarantine, but the person may go
 *   out (the gate does not deny them); it can be escalated to home or centralised, never the reverse.
 * - 'none' is the measure 无需管控: the case closes at once as `cleared` (a state of its own so the daily
 *   counts put every person in exactly one state).
 * - 'extend' keeps the state and moves the end date; it is still an event with actor and reason.
 * - Exits and `released`/`cleared` are final: a later trip opens a new case for the same person.
 */
export const QUARANTINE_STATES = ['registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost'] as const
export type QuarantineState = (typeof QUARANTINE_STATES)[number]

export const OPEN_STATES = ['registered', 'home', 'centralised', 'monitoring'] as const satisfies readonly QuarantineState[]
export const FINAL_STATES = ['released', 'cleared', 'transferred', 'lost'] as const satisfies readonly QuarantineState[]
/** States with a running period: follow-ups, NATs and an end date. */
export const ACTIVE_STATES = ['home', 'centralised', 'monitoring'] as const satisfies readonly QuarantineState[]
export type ActiveState = (typeof ACTIVE_STATES)[number]

export const QUARANTINE_ACTIONS = ['home', 'centralised', 'monitoring', 'none', 'extend', 'transfer', 'lose', 'release'] as const
export type QuarantineAction = (typeof QUARANTINE_ACTIONS)[number]

/** The measure a worker can decide (the action that places someone). */
export const MEASURES = ['home', 'centralised', 'monitoring', 'none'] as const
export type Measure = (typeof MEASURES)[number]

export const STATE_LABELS: Record<QuarantineState, string> = {
  registered: '待研判',
  home: '居家隔离',
  centralised: '集中隔离',
  monitoring: '健康监测',
  released: '已解除',
  cleared: '无需管控',
  transferred: '已转运',
  lost: '失联',
}

export const ACTION_LABELS: Record<QuarantineAction, string> = {
  home: '居家隔离',
  centralised: '集中隔离',
  monitoring: '健康监测',
  none: '无需管控',
  extend: '延长隔离',
  transfer: '转运就医',
  lose: '标记失联',
  release: '解除隔离',
}

/** to: the next state; 'same' keeps it (extend). Every move not listed here is illegal. */
export const TRANSITIONS: Record<QuarantineAction, { from: readonly QuarantineState[]; to: QuarantineState | 'same' }> = {
  home: { from: ['registered', 'centralised', 'monitoring'], to: 'home' },
  centralised: { from: ['registered', 'home', 'monitoring'], to: 'centralised' },
  monitoring: { from: ['registered'], to: 'monitoring' },
  none: { from: ['registered'], to: 'cleared' },
  extend: { from: ['home', 'centralised', 'monitoring'], to: 'same' },
  transfer: { from: ['registered', 'home', 'centralised', 'monitoring'], to: 'transferred' },
  lose: { from: ['registered', 'home', 'centralised', 'monitoring'], to: 'lost' },
  release: { from: ['home', 'centralised', 'monitoring'], to: 'released' },
}

export const isOpenState = (s: QuarantineState) => (OPEN_STATES as readonly string[]).includes(s)
export const isActiveState = (s: QuarantineState): s is ActiveState => (ACTIVE_STATES as readonly string[]).includes(s)

export function canQuarantineTransition(from: QuarantineState, action: QuarantineAction): boolean {
  return TRANSITIONS[action].from.includes(from)
}

/** The state after `action`, or null when the move is illegal. */
export function nextState(from: QuarantineState, action: QuarantineAction): QuarantineState | null {
  if (!canQuarantineTransition(from, action)) return null
  const to = TRANSITIONS[action].to
  return to === 'same' ? from : to
}

/** The Chinese 409 text for an illegal move: says where the person is and why the move cannot happen. */
export function illegalTransitionMessage(from: QuarantineState, action: QuarantineAction): string {
  const now = STATE_LABELS[from]
  if ((FINAL_STATES as readonly string[]).includes(from)) return `该人员${now}，本次管控已结束，不能再${ACTION_LABELS[action]}`
  if (action === from) return `该人员已在${now}中，无需重复操作`
  if (action === 'extend' || action === 'release') return `该人员尚未开始隔离或监测（当前：${now}），不能${ACTION_LABELS[action]}`
  if (action === 'monitoring' || action === 'none') return `只能对待研判人员决定「${ACTION_LABELS[action]}」，当前：${now}`
  return `当前状态为「${now}」，不能${ACTION_LABELS[action]}`
}

/** Default length of each measure in days (configurable by the caller: the API accepts `days`). */
export const DEFAULT_DAYS: Record<ActiveState, number> = { home: 14, centralised: 14, monitoring: 7 }
