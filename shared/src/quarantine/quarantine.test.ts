import { describe, expect, it } from 'vitest'
import { NAT_DAYS, RELEASE_CONDITIONS, RELEASE_RECENT_SLOTS, RELEASE_RULES, natDueDates, releaseReady, riskOf, type KeyArea, type ReleaseFacts, type ReleaseSlot } from './rules.js'
import { beijingDate, followupSlots, isAbnormal, slotAt } from './slots.js'
import { QUARANTINE_ACTIONS, QUARANTINE_STATES, canQuarantineTransition, illegalTransitionMessage, nextState, type QuarantineAction, type QuarantineState } from './state.js'

/** Every legal move, written out by hand: anything else must be refused. */
const LEGAL: [QuarantineState, QuarantineAction, QuarantineState][] = [
  ['registered', 'home', 'home'],
  ['registered', 'centralised', 'centralised'],
  ['registered', 'monitoring', 'monitoring'],
  ['registered', 'none', 'cleared'],
  ['registered', 'transfer', 'transferred'],
  ['registered', 'lose', 'lost'],
  ['home', 'centralised', 'centralised'],
  ['home', 'extend', 'home'],
  ['home', 'transfer', 'transferred'],
  ['home', 'lose', 'lost'],
  ['home', 'release', 'released'],
  ['centralised', 'home', 'home'],
  ['centralised', 'extend', 'centralised'],
  ['centralised', 'transfer', 'transferred'],
  ['centralised', 'lose', 'lost'],
  ['centralised', 'release', 'released'],
  ['monitoring', 'home', 'home'],
  ['monitoring', 'centralised', 'centralised'],
  ['monitoring', 'extend', 'monitoring'],
  ['monitoring', 'transfer', 'transferred'],
  ['monitoring', 'lose', 'lost'],
  ['monitoring', 'release', 'released'],
]

describe('quarantine state machine', () => {
  it.each(LEGAL)('%s --%s--> %s', (from, action, to) => {
    expect(canQuarantineTransition(from, action)).toBe(true)
    expect(nextState(from, action)).toBe(to)
  })

  const legal = new Set(LEGAL.map(([f, a]) => `${f}/${a}`))
  const illegal = QUARANTINE_STATES.flatMap((s) => QUARANTINE_ACTIONS.map((a) => [s, a] as const)).filter(([s, a]) => !legal.has(`${s}/${a}`))

  it('has exactly the legal moves above and refuses the other ' + illegal.length, () => {
    expect(illegal.length).toBe(QUARANTINE_STATES.length * QUARANTINE_ACTIONS.length - LEGAL.length)
  })

  it.each(illegal)('refuses %s --%s-- with a Chinese reason', (from, action) => {
    expect(canQuarantineTransition(from, action)).toBe(false)
    expect(nextState(from, action)).toBeNull()
    const msg = illegalTransitionMessage(from, action)
    expect(msg).toMatch(/[\u4e00-\u9fff]/)
    expect(msg).not.toMatch(/undefined|registered|home|centralised/)
  })

  it('explains final states and repeats specifically', () => {
    expect(illegalTransitionMessage('released', 'extend')).toBe('该人员已解除，本次管控已结束，不能再延长隔离')
    expect(illegalTransitionMessage('home', 'home')).toBe('该人员已在居家隔离中，无需重复操作')
    expect(illegalTransitionMessage('registered', 'release')).toContain('尚未开始')
  })
})

describe('release conditions', () => {
  // A 14-day home quarantine from 2026-11-11 to 2026-11-24 (Beijing); slots due 12:00 and 24:00 Beijing.
  const due = (day: number, slot: 'am' | 'pm') => {
    const d = `2026-11-${String(10 + day).padStart(2, '0')}`
    return slot === 'am' ? `${d}T04:00:00.000Z` : `${d}T16:00:00.000Z`
  }
  /** Every slot of days 1..upTo recorded normal, with the given overrides. */
  const slots = (upTo: number, over: Record<string, Partial<ReleaseSlot>> = {}): ReleaseSlot[] => {
    const out: ReleaseSlot[] = []
    for (let d = 1; d <= upTo; d++)
      for (const s of ['am', 'pm'] as const) out.push({ dueAt: due(d, s), recorded: true, abnormal: false, ...over[`${d}${s}`] })
    return out.reverse()
  }
  // Day 14 (2026-11-24) at 20:00 Beijing: the morning slot past, the evening one still open.
  const now = '2026-11-24T12:00:00.000Z'
  const withDay14am = (over: Partial<ReleaseSlot>, rest = slots(13)) => [{ dueAt: due(14, 'am'), recorded: true, abnormal: false, ...over }, ...rest]
  const ok: ReleaseFacts = { today: '2026-11-24', endDate: '2026-11-24', now, slots: withDay14am({}), openAlerts: 0, lastNatResult: 'negative' }
  const cases: [string, Partial<ReleaseFacts>, boolean, string[]][] = [
    ['all hold on the end date', {}, true, []],
    ['all hold after the end date', { today: '2026-11-30' }, true, []],
    ['end date not reached', { today: '2026-11-23' }, false, ['end_reached']],
    ['a fever on day 3, normal since: releasable at the end', { slots: withDay14am({}, slots(13, { '3am': { abnormal: true }, '3pm': { abnormal: true } })) }, true, []],
    ['a fever on day 3, alert still open', { slots: withDay14am({}, slots(13, { '3am': { abnormal: true } })), openAlerts: 1 }, false, ['no_open_alert']],
    ['a fever in the last day (this morning)', { slots: withDay14am({ abnormal: true }) }, false, ['recent_followups_normal']],
    ['a fever last evening (the day before the end)', { slots: withDay14am({}, slots(13, { '13pm': { abnormal: true } })) }, false, ['recent_followups_normal']],
    ['a fever two slots back only', { slots: withDay14am({}, slots(13, { '13am': { abnormal: true } })) }, true, []],
    ['a fever two slots back, three slots required', { slots: withDay14am({}, slots(13, { '13am': { abnormal: true } })), recentSlots: 3 }, false, ['recent_followups_normal']],
    ['an open alert (gate)', { openAlerts: 1 }, false, ['no_open_alert']],
    ['this morning not reported', { slots: withDay14am({ recorded: false }) }, false, ['recent_followups_normal', 'no_recent_overdue']],
    ['a slot missed on day 5, all recent reported', { slots: withDay14am({}, slots(13, { '5am': { recorded: false } })) }, true, []],
    ['back-filled on the last day: no slot past yet', { slots: [] }, true, []],
    ['back-filled: the one past slot abnormal', { slots: [{ dueAt: due(14, 'am'), recorded: true, abnormal: true }] }, false, ['recent_followups_normal']],
    ['no NAT result', { lastNatResult: null }, false, ['last_nat_negative']],
    ['last NAT positive', { lastNatResult: 'positive' }, false, ['last_nat_negative']],
    ['nothing holds', { today: '2026-11-01', slots: withDay14am({ recorded: false }), openAlerts: 2, lastNatResult: null }, false, ['end_reached', 'no_open_alert', 'recent_followups_normal', 'no_recent_overdue', 'last_nat_negative']],
  ]
  it.each(cases)('home quarantine: %s', (_n, f, ready, unmet) => {
    const r = releaseReady(RELEASE_RULES.home, { ...ok, ...f })
    expect(r.ready).toBe(ready)
    expect(r.unmet.map((u) => u.code)).toEqual(unmet)
    for (const u of r.unmet) expect(u.text).toMatch(/[\u4e00-\u9fff]/)
  })
  it('an overdue slot only blocks within the window: one missed 25 h ago with two reported since does not', () => {
    const missed = { dueAt: '2026-11-23T11:00:00.000Z', recorded: false, abnormal: false }
    const f = { ...ok, slots: [{ dueAt: '2026-11-24T04:00:00.000Z', recorded: true, abnormal: false }, { dueAt: '2026-11-23T16:00:00.000Z', recorded: true, abnormal: false }, missed] }
    expect(releaseReady(RELEASE_RULES.home, f).ready).toBe(true)
    expect(releaseReady(RELEASE_RULES.home, { ...f, slots: [...f.slots.slice(0, 2), { ...missed, dueAt: '2026-11-23T13:00:00.000Z' }] }).unmet.map((u) => u.code)).toEqual(['no_recent_overdue'])
  })
  it('the default is one full day of slots, and the texts say so', () => {
    expect(RELEASE_RECENT_SLOTS).toBe(2)
    expect(RELEASE_CONDITIONS.recent_followups_normal).toContain('2')
  })
  it('health monitoring needs no NAT', () => {
    expect(releaseReady(RELEASE_RULES.monitoring, { ...ok, lastNatResult: null }).ready).toBe(true)
  })
})

describe('risk from the key-area list', () => {
  const areas: KeyArea[] = [
    { level: 'province', code: '420000', risk: 'medium', validFrom: '2026-01-01', validUntil: null }, // 湖北省
    { level: 'city', code: '420100', risk: 'high', validFrom: '2026-01-20', validUntil: '2026-03-31' }, // 武汉市
    { level: 'district', code: '330302', risk: 'high', validFrom: '2026-02-01', validUntil: '2026-02-29' }, // 温州市鹿城区
    { level: 'city', code: '330300', risk: 'low', validFrom: '2026-01-25', validUntil: null }, // 温州市
  ]
  const cases: [string, { provinceCode: string; cityCode?: string; districtCode?: string }, string, string][] = [
    ['武汉 in the window: highest wins', { provinceCode: '420000', cityCode: '420100', districtCode: '420102' }, '2026-02-10', 'high'],
    ['武汉 after the city window: province remains', { provinceCode: '420000', cityCode: '420100', districtCode: '420102' }, '2026-04-02', 'medium'],
    ['武汉 on the last valid day', { provinceCode: '420000', cityCode: '420100', districtCode: '420102' }, '2026-03-31', 'high'],
    ['湖北 before any listing', { provinceCode: '420000', cityCode: '420500', districtCode: '420502' }, '2025-12-31', 'none'],
    ['宜昌 (province only)', { provinceCode: '420000', cityCode: '420500', districtCode: '420502' }, '2026-02-10', 'medium'],
    ['鹿城区 in its window', { provinceCode: '330000', cityCode: '330300', districtCode: '330302' }, '2026-02-10', 'high'],
    ['瓯海区 (city only)', { provinceCode: '330000', cityCode: '330300', districtCode: '330304' }, '2026-02-10', 'low'],
    ['a province named without city is not matched by a city area', { provinceCode: '330000' }, '2026-02-10', 'none'],
    ['湖北 named without city is matched by the province', { provinceCode: '420000' }, '2026-02-10', 'medium'],
    ['南京 is on no list', { provinceCode: '320000', cityCode: '320100', districtCode: '320102' }, '2026-02-10', 'none'],
  ]
  it.each(cases)('%s', (_n, origin, date, risk) => {
    expect(riskOf(areas, origin, date)).toBe(risk)
  })
})

describe('follow-up slots in Beijing time', () => {
  it('starts with the evening slot when placed in the afternoon and ends with the end date’s evening', () => {
    // 2026-11-24 15:00 Beijing = 07:00Z
    const s = followupSlots(new Date('2026-11-24T07:00:00Z'), '2026-11-26')
    expect(s.map((x) => `${x.date} ${x.slot}`)).toEqual(['2026-11-24 pm', '2026-11-25 am', '2026-11-25 pm', '2026-11-26 am', '2026-11-26 pm'])
    expect(s[0]!.dueAt.toISOString()).toBe('2026-11-24T16:00:00.000Z') // midnight Beijing
    expect(s[1]!.opensAt.toISOString()).toBe('2026-11-24T22:00:00.000Z') // 06:00 Beijing, the previous UTC day
    expect(s[1]!.dueAt.toISOString()).toBe('2026-11-25T04:00:00.000Z')
  })
  it('placed just after midnight Beijing (still the previous UTC day) belongs to the new Beijing date', () => {
    const at = new Date('2026-11-24T16:30:00Z') // 2026-11-25 00:30 Beijing
    expect(beijingDate(at)).toBe('2026-11-25')
    const s = followupSlots(at, '2026-11-25')
    expect(s.map((x) => `${x.date} ${x.slot}`)).toEqual(['2026-11-25 am', '2026-11-25 pm'])
  })
  it('placed at 23:30 Beijing keeps that evening’s slot, due at midnight', () => {
    const s = followupSlots(new Date('2026-11-24T15:30:00Z'), '2026-11-25')
    expect(s[0]).toMatchObject({ date: '2026-11-24', slot: 'pm' })
    expect(s).toHaveLength(3)
  })
  it('places a reading in the slot of its Beijing time', () => {
    expect(slotAt(new Date('2026-11-24T23:00:00Z'))).toEqual({ date: '2026-11-25', slot: 'am' }) // 07:00
    expect(slotAt(new Date('2026-11-25T06:00:00Z'))).toEqual({ date: '2026-11-25', slot: 'pm' }) // 14:00
    expect(slotAt(new Date('2026-11-25T15:59:00Z'))).toEqual({ date: '2026-11-25', slot: 'pm' }) // 23:59
  })
  it('flags 37.3 and any symptom', () => {
    expect(isAbnormal(37.2, [])).toBe(false)
    expect(isAbnormal(37.3, [])).toBe(true)
    expect(isAbnormal(null, ['咳嗽'])).toBe(true)
  })
})

describe('NAT schedule', () => {
  it('is day 1, 7 and 13 of a 14-day period', () => {
    expect(natDueDates('2026-11-24', '2026-12-07', NAT_DAYS.home)).toEqual(['2026-11-24', '2026-11-30', '2026-12-06'])
  })
  it('drops days after a shortened end', () => {
    expect(natDueDates('2026-11-24', '2026-11-28', NAT_DAYS.home)).toEqual(['2026-11-24'])
  })
})
