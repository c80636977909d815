import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, evaluate, validateRules } from './rules.js'
import type { CheckFacts, CredentialFailure, ReasonCode, RuleSet, Subject, Verdict, VerifyResult } from './types.js'

const RULES: RuleSet = { version: 3, ...DEFAULT_RULES }
const NOW = '2026-11-24T08:00:00.000Z'
const hoursAgo = (h: number) => new Date(Date.parse(NOW) - h * 3600_000).toISOString()

const OK_CODE: VerifyResult = {
  ok: true,
  payload: { v: 1, kid: 'k1', pid: 42, cid: 7, n: '王*明', k: 'phone', dpk: 'AAAA', nbf: 0, exp: 2_000_000_000 },
  ageSeconds: 5,
}
const failed = (failure: CredentialFailure): VerifyResult => ({ ok: false, failure })

type PassSubject = Extract<Subject, { kind: 'pass' }>
const pass = (p: Partial<Omit<PassSubject, 'kind'>> = {}): Subject => ({
  kind: 'pass',
  code: OK_CODE,
  passStatus: 'active',
  compoundMatches: true,
  homeQuarantine: false,
  deviceRevoked: false,
  ...p,
})

/** A healthy resident with a valid phone pass walking in: 放行. Each row changes what it tests. */
const facts = (p: Partial<CheckFacts> = {}): CheckFacts => ({
  direction: 'in',
  subject: pass(),
  temperature: 36.5,
  mask: true,
  color: 'green',
  natAt: null,
  now: NOW,
  ...p,
})

interface Row {
  rule: string
  facts: CheckFacts
  verdict: Verdict
  /** Exactly the reason codes, most important first. */
  reasons: ReasonCode[]
  alert?: boolean
  /** An action the volunteer must be told. */
  action?: string
}

/** One row per rule of issue 7 "Admission rules are data" (and the seeds), plus the decisions taken here. */
const TABLE: Row[] = [
  { rule: 'green, all fine → pass', facts: facts(), verdict: 'pass', reasons: [], action: '核验通过，请放行' },
  { rule: 'red code → deny, isolate in place, alert', facts: facts({ color: 'red' }), verdict: 'deny', reasons: ['red_code'], alert: true, action: '立即原地隔离并报告社区' },
  { rule: 'yellow code → deny, turn back / quarantine', facts: facts({ color: 'yellow' }), verdict: 'deny', reasons: ['yellow_code'], action: '劝返或按要求集中隔离' },
  { rule: 'green+star with NAT 47 h ago → pass', facts: facts({ color: 'green_star', natAt: hoursAgo(47) }), verdict: 'pass', reasons: [] },
  { rule: 'green+star with NAT 1 min ago → pass', facts: facts({ color: 'green_star', natAt: hoursAgo(1 / 60) }), verdict: 'pass', reasons: [] },
  { rule: 'green+star with NAT exactly 48 h ago → deny', facts: facts({ color: 'green_star', natAt: hoursAgo(48) }), verdict: 'deny', reasons: ['nat_expired'] },
  { rule: 'green+star with NAT 72 h ago → deny', facts: facts({ color: 'green_star', natAt: hoursAgo(72) }), verdict: 'deny', reasons: ['nat_expired'], action: '请出示48小时内核酸检测阴性报告，或先到核酸采样点检测' },
  { rule: 'green+star without NAT → deny', facts: facts({ color: 'green_star', natAt: null }), verdict: 'deny', reasons: ['nat_missing'] },
  { rule: 'green+star with NAT time in the future → deny (typo)', facts: facts({ color: 'green_star', natAt: hoursAgo(-3) }), verdict: 'deny', reasons: ['nat_missing'] },
  { rule: 'green+star with garbage NAT time → deny', facts: facts({ color: 'green_star', natAt: 'yesterday' }), verdict: 'deny', reasons: ['nat_missing'] },
  { rule: 'temperature 37.3 → deny, fever clinic', facts: facts({ temperature: 37.3 }), verdict: 'deny', reasons: ['fever'], action: '请复测体温；确认发热的引导至发热门诊，并报告社区' },
  { rule: 'temperature 38.5 → deny', facts: facts({ temperature: 38.5 }), verdict: 'deny', reasons: ['fever'] },
  { rule: 'temperature 37.29999 (float noise of 37.3) → deny', facts: facts({ temperature: 37.29999999 }), verdict: 'deny', reasons: ['fever'] },
  { rule: 'temperature 37.2 → pass', facts: facts({ temperature: 37.2 }), verdict: 'pass', reasons: [] },
  { rule: 'no temperature on entry → register (measure)', facts: facts({ temperature: null }), verdict: 'register', reasons: ['no_temperature'], action: '请测量体温后重新核验' },
  { rule: 'absurd temperature 3.65 → register (measure again)', facts: facts({ temperature: 3.65 }), verdict: 'register', reasons: ['no_temperature'] },
  { rule: 'no colour on entry → register (look at the code)', facts: facts({ color: null }), verdict: 'register', reasons: ['no_color'] },
  { rule: 'no mask → deny', facts: facts({ mask: false }), verdict: 'deny', reasons: ['no_mask'], action: '请先佩戴口罩再进入' },
  { rule: 'mask not recorded counts as none → deny', facts: facts({ mask: null }), verdict: 'deny', reasons: ['no_mask'] },
  { rule: 'not a resident (nobody identified) → register visitor', facts: facts({ subject: { kind: 'none' } }), verdict: 'register', reasons: ['not_resident'] },
  { rule: 'visitor not yet registered → register', facts: facts({ subject: { kind: 'visitor', registered: false } }), verdict: 'register', reasons: ['visitor_unregistered'] },
  { rule: 'registered visitor, healthy → pass', facts: facts({ subject: { kind: 'visitor', registered: true } }), verdict: 'pass', reasons: [] },
  { rule: 'registered visitor with yellow code → deny', facts: facts({ subject: { kind: 'visitor', registered: true }, color: 'yellow' }), verdict: 'deny', reasons: ['yellow_code'] },
  { rule: 'pass suspended → deny', facts: facts({ subject: pass({ passStatus: 'suspended' }) }), verdict: 'deny', reasons: ['pass_suspended'] },
  { rule: 'pass revoked → deny', facts: facts({ subject: pass({ passStatus: 'revoked' }) }), verdict: 'deny', reasons: ['pass_revoked'] },
  { rule: 'pass unknown → deny (one reason, no wrong_compound)', facts: facts({ subject: pass({ passStatus: 'unknown', compoundMatches: false }) }), verdict: 'deny', reasons: ['pass_unknown'] },
  { rule: 'phone key replaced by a new device → deny', facts: facts({ subject: pass({ deviceRevoked: true }) }), verdict: 'deny', reasons: ['pass_revoked'] },
  { rule: 'credential expired → deny', facts: facts({ subject: pass({ code: failed('expired') }) }), verdict: 'deny', reasons: ['pass_expired'] },
  { rule: 'credential not yet valid → deny', facts: facts({ subject: pass({ code: failed('not_yet_valid') }) }), verdict: 'deny', reasons: ['pass_expired'] },
  { rule: 'wrong compound → deny', facts: facts({ subject: pass({ compoundMatches: false }) }), verdict: 'deny', reasons: ['wrong_compound'] },
  { rule: 'replayed QR older than 60 s → deny', facts: facts({ subject: pass({ code: failed('replayed') }) }), verdict: 'deny', reasons: ['replayed_qr'], action: '请居民打开手机实时出示通行码（截图无效）' },
  { rule: 'QR from the future beyond skew → deny', facts: facts({ subject: pass({ code: failed('clock_skew') }) }), verdict: 'deny', reasons: ['replayed_qr'] },
  { rule: 'bad server signature → deny', facts: facts({ subject: pass({ code: failed('bad_signature') }) }), verdict: 'deny', reasons: ['bad_signature'] },
  { rule: 'bad device signature → deny', facts: facts({ subject: pass({ code: failed('bad_device_signature') }) }), verdict: 'deny', reasons: ['bad_signature'] },
  { rule: 'unknown signing key → deny', facts: facts({ subject: pass({ code: failed('unknown_key') }) }), verdict: 'deny', reasons: ['bad_signature'] },
  { rule: 'malformed QR → deny', facts: facts({ subject: pass({ code: failed('malformed') }) }), verdict: 'deny', reasons: ['bad_signature'] },
  {
    rule: 'untrusted code: pass facts derived from it are ignored',
    facts: facts({ subject: pass({ code: failed('bad_signature'), passStatus: 'suspended', compoundMatches: false }) }),
    verdict: 'deny',
    reasons: ['bad_signature'],
  },
  { rule: 'card typed by hand, active → pass', facts: facts({ subject: { kind: 'card', code: null, passStatus: 'active', compoundMatches: true, homeQuarantine: false } }), verdict: 'pass', reasons: [] },
  { rule: 'card revoked → deny', facts: facts({ subject: { kind: 'card', code: null, passStatus: 'revoked', compoundMatches: true, homeQuarantine: false } }), verdict: 'deny', reasons: ['pass_revoked'] },
  {
    rule: 'home quarantine going OUT → deny + alert',
    facts: facts({ direction: 'out', subject: pass({ homeQuarantine: true }) }),
    verdict: 'deny',
    reasons: ['home_quarantine'],
    alert: true,
    action: '请劝其返回家中，并立即报告社区',
  },
  {
    rule: 'home quarantine going OUT on a card → deny + alert',
    facts: facts({ direction: 'out', subject: { kind: 'card', code: null, passStatus: 'active', compoundMatches: true, homeQuarantine: true } }),
    verdict: 'deny',
    reasons: ['home_quarantine'],
    alert: true,
  },
  {
    rule: 'home quarantine going OUT with a screenshot → still deny + alert',
    facts: facts({ direction: 'out', subject: pass({ code: failed('replayed'), homeQuarantine: true }) }),
    verdict: 'deny',
    reasons: ['home_quarantine', 'replayed_qr'],
    alert: true,
  },
  {
    rule: 'home quarantine coming IN (going home) → pass, reminded',
    facts: facts({ subject: pass({ homeQuarantine: true }) }),
    verdict: 'pass',
    reasons: [],
    alert: false,
    action: '该居民正在居家隔离，请提醒其直接回家',
  },
  { rule: 'pack stale → register, never pass', facts: facts({ packStale: true }), verdict: 'register', reasons: ['pack_stale'], action: '请联网更新卡口数据；暂按人工登记处理' },
  { rule: 'pack stale does not soften a deny', facts: facts({ packStale: true, color: 'red' }), verdict: 'deny', reasons: ['red_code', 'pack_stale'], alert: true },
  // exit: only quarantine, pass validity and red matter (see rules.ts)
  { rule: 'exit, nothing measured → pass', facts: facts({ direction: 'out', temperature: null, mask: null, color: null }), verdict: 'pass', reasons: [] },
  { rule: 'exit with fever, exit temperature not checked → pass', facts: facts({ direction: 'out', temperature: 38.2 }), verdict: 'pass', reasons: [] },
  { rule: 'exit with yellow code → pass (leaving is what 劝返 asks)', facts: facts({ direction: 'out', color: 'yellow' }), verdict: 'pass', reasons: [] },
  { rule: 'exit with green+star and no NAT → pass', facts: facts({ direction: 'out', color: 'green_star' }), verdict: 'pass', reasons: [] },
  { rule: 'exit with red code → deny + alert (isolate in place)', facts: facts({ direction: 'out', color: 'red' }), verdict: 'deny', reasons: ['red_code'], alert: true },
  { rule: 'exit with a suspended pass → deny', facts: facts({ direction: 'out', subject: pass({ passStatus: 'suspended' }) }), verdict: 'deny', reasons: ['pass_suspended'] },
  { rule: 'exit with a replayed QR → deny', facts: facts({ direction: 'out', subject: pass({ code: failed('replayed') }) }), verdict: 'deny', reasons: ['replayed_qr'] },
  { rule: 'exit, unknown person → register', facts: facts({ direction: 'out', subject: { kind: 'none' } }), verdict: 'register', reasons: ['not_resident'] },
  // all reasons are collected, the verdict's own first
  {
    rule: 'several problems: deny reasons first by importance, then register reasons',
    facts: facts({ subject: { kind: 'none' }, color: 'yellow', temperature: 38, mask: false, packStale: true }),
    verdict: 'deny',
    reasons: ['fever', 'yellow_code', 'no_mask', 'pack_stale', 'not_resident'],
  },
  {
    rule: 'red code and fever: red first',
    facts: facts({ color: 'red', temperature: 39.1 }),
    verdict: 'deny',
    reasons: ['red_code', 'fever'],
    alert: true,
  },
  { rule: 'register reasons together', facts: facts({ temperature: null, color: null, subject: { kind: 'none' } }), verdict: 'register', reasons: ['not_resident', 'no_temperature', 'no_color'] },
]

describe('evaluate: the admission rules table', () => {
  it.each(TABLE)('$rule', (row) => {
    const d = evaluate(RULES, row.facts)
    expect(d.verdict).toBe(row.verdict)
    expect(d.reasons.map((r) => r.code)).toEqual(row.reasons)
    expect(d.alert).toBe(row.alert ?? false)
    expect(d.ruleVersion).toBe(3)
    for (const r of d.reasons) expect(r.text).toMatch(/[\u4e00-\u9fa5]/)
    expect(d.actions.length).toBeGreaterThan(0)
    for (const a of d.actions) expect(a).toMatch(/[\u4e00-\u9fa5]/)
    if (row.action) expect(d.actions).toContain(row.action)
    // the first reason explains the verdict (the rollup keeps reasons[0])
    if (d.verdict !== 'pass') expect(d.reasons[0]).toBeDefined()
  })

  it('fever text names the reading and the threshold', () => {
    expect(evaluate(RULES, facts({ temperature: 37.8 })).reasons[0]!.text).toBe('体温37.8℃，达到发热标准（≥37.3℃）')
  })

  it('replay text follows the rule set', () => {
    const d = evaluate({ ...RULES, qrMaxAgeSeconds: 30 }, facts({ subject: pass({ code: failed('replayed') }) }))
    expect(d.reasons[0]!.text).toContain('30秒')
  })

  it('is pure and deterministic: same input, same output, input untouched', () => {
    const f = facts({ color: 'green_star', natAt: hoursAgo(50), temperature: 38, subject: { kind: 'none' } })
    const before = JSON.stringify(f)
    const a = evaluate(RULES, f)
    const b = evaluate(RULES, JSON.parse(before))
    expect(a).toEqual(b)
    expect(JSON.stringify(f)).toBe(before)
  })

  it('the rule set is data: other thresholds decide differently', () => {
    const strict: RuleSet = { ...RULES, version: 4, feverThreshold: 37.0, natMaxHours: 24, maskRequired: false, checkTemperatureOnExit: true }
    expect(evaluate(strict, facts({ temperature: 37.0 })).reasons.map((r) => r.code)).toEqual(['fever'])
    expect(evaluate(strict, facts({ color: 'green_star', natAt: hoursAgo(30) })).reasons.map((r) => r.code)).toEqual(['nat_expired'])
    expect(evaluate(strict, facts({ mask: false })).verdict).toBe('pass')
    expect(evaluate(strict, facts({ direction: 'out', temperature: 37.5 })).verdict).toBe('deny')
    expect(evaluate(strict, facts({ direction: 'out', temperature: null })).reasons.map((r) => r.code)).toEqual(['no_temperature'])
    expect(evaluate(strict, facts()).ruleVersion).toBe(4)
  })

  it('colour verdicts come from the rule set (yellow → register, star needs no NAT)', () => {
    const soft: RuleSet = {
      ...RULES,
      colors: { ...RULES.colors, yellow: { verdict: 'register', reason: '黄码', action: '登记后劝返' }, green_star: { ...RULES.colors.green_star, verdict: 'pass' } },
    }
    const y = evaluate(soft, facts({ color: 'yellow' }))
    expect([y.verdict, y.reasons[0]!.code, y.actions[0]]).toEqual(['register', 'yellow_code', '登记后劝返'])
    expect(evaluate(soft, facts({ color: 'green_star', natAt: null })).verdict).toBe('pass')
  })

  it('DEFAULT_RULES hold the seed values', () => {
    expect(DEFAULT_RULES).toMatchObject({ feverThreshold: 37.3, natMaxHours: 48, qrMaxAgeSeconds: 60, clockSkewSeconds: 120, maskRequired: true })
    expect(DEFAULT_RULES.colors.red).toEqual({ verdict: 'deny', reason: '红码', action: '立即原地隔离并报告社区' })
    expect(DEFAULT_RULES.colors.yellow).toEqual({ verdict: 'deny', reason: '黄码', action: '劝返或按要求集中隔离' })
    expect(DEFAULT_RULES.colors.green.verdict).toBe('pass')
  })
})

describe('validateRules', () => {
  it('accepts the defaults, with or without a version', () => {
    expect(validateRules(DEFAULT_RULES)).toEqual([])
    expect(validateRules(RULES)).toEqual([])
  })

  const bad: [string, unknown, string][] = [
    ['not an object', 'rules', '规则必须是一个对象'],
    ['array', [], '规则必须是一个对象'],
    ['unknown field', { ...DEFAULT_RULES, feverThresold: 37 }, '未知的规则字段：feverThresold'],
    ['fever threshold missing', { ...DEFAULT_RULES, feverThreshold: undefined }, '发热体温标准必须是数字'],
    ['fever threshold absurd', { ...DEFAULT_RULES, feverThreshold: 45 }, '发热体温标准应在 36–40 之间'],
    ['fever threshold two decimals', { ...DEFAULT_RULES, feverThreshold: 37.25 }, '发热体温标准最多保留一位小数'],
    ['NAT hours fractional', { ...DEFAULT_RULES, natMaxHours: 47.5 }, '核酸有效时长（小时）必须是整数'],
    ['NAT hours zero', { ...DEFAULT_RULES, natMaxHours: 0 }, '核酸有效时长（小时）应在 1–720 之间'],
    ['QR age as string', { ...DEFAULT_RULES, qrMaxAgeSeconds: '60' }, '二维码有效时长（秒）必须是数字'],
    ['QR age too long', { ...DEFAULT_RULES, qrMaxAgeSeconds: 3600 }, '二维码有效时长（秒）应在 10–600 之间'],
    ['negative skew', { ...DEFAULT_RULES, clockSkewSeconds: -1 }, '允许的时钟误差（秒）应在 0–3600 之间'],
    ['mask as string', { ...DEFAULT_RULES, maskRequired: 'yes' }, '是否要求佩戴口罩必须是布尔值'],
    ['exit temperature missing', { ...DEFAULT_RULES, checkTemperatureOnExit: undefined }, '出门是否测温必须是布尔值'],
    ['bad version', { ...DEFAULT_RULES, version: 0 }, '版本号应在 1–9007199254740991 之间'],
    ['no colours', { ...DEFAULT_RULES, colors: undefined }, '缺少健康码规则（colors）'],
    ['colour missing', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, yellow: undefined } }, '缺少黄码的规则'],
    ['unknown colour', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, purple: DEFAULT_RULES.colors.red } }, '未知的健康码颜色：purple'],
    ['bad verdict', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, yellow: { ...DEFAULT_RULES.colors.yellow, verdict: 'maybe' } } }, '黄码的结果必须是放行、禁止或登记'],
    ['empty reason', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, yellow: { ...DEFAULT_RULES.colors.yellow, reason: ' ' } } }, '黄码的原因须为 1–60 个字'],
    ['empty action', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, red: { ...DEFAULT_RULES.colors.red, action: '' } } }, '红码的处置须为 1–100 个字'],
    ['red lets in', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, red: { ...DEFAULT_RULES.colors.red, verdict: 'pass' } } }, '红码必须禁止通行'],
    ['green stops', { ...DEFAULT_RULES, colors: { ...DEFAULT_RULES.colors, green: { ...DEFAULT_RULES.colors.green, verdict: 'register' } } }, '绿码必须放行'],
  ]
  it.each(bad)('%s', (_name, input, message) => {
    expect(validateRules(input)).toContain(message)
  })

  it('reports every error, not just the first', () => {
    expect(validateRules({ ...DEFAULT_RULES, feverThreshold: 'hot', natMaxHours: -1, maskRequired: 1 })).toHaveLength(3)
  })
})
