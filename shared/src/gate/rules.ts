/**
 * Admission rules (DESIGN §3.3, issue 7 "Admission rules are data"). `evaluate` is the ONE decision function:
 * the server re-evaluates every synced check with it and the offline gate decides with it, so the two can
 * only disagree when their facts or rule sets differ.
 *
 * Semantics, as the seeds give them:
 * - Entry ('in'): health code colour — red → 禁止, 立即原地隔离并报告社区 (alert); yellow → 禁止, 劝返或按要求集中隔离;
 *   green with star → needs a negative NAT sampled within natMaxHours (without one: the verdict configured for
 *   green_star, 禁止 by default); green → nothing. Temperature ≥ feverThreshold → 禁止, 发热门诊. No mask → 禁止
 *   (a mask not recorded counts as none: the fix is one tap or one mask). Entry with no temperature or no colour
 *   cannot be decided → 登记 with no_temperature / no_color: the volunteer must measure and look.
 * - Exit ('out'): the point of the exit gate is that a resident under home quarantine does not leave (禁止 +
 *   alert) and that everyone leaving is identified. So pass validity applies both ways, colour and mask do not,
 *   except red: 原地隔离 holds whichever way the person is heading (禁止 + alert). Temperature counts on exit
 *   only when the rule set has checkTemperatureOnExit. A quarantined resident coming IN is not stopped for it
 *   (going home is what they must do); the volunteer is told to remind them.
 * - Identity: a code that fails verification (bad/unknown signature, malformed, replayed screenshot, clock
 *   skew, outside validity) → 禁止; then the pass's state: suspended / revoked (or a phone key replaced by a
 *   newer device) / unknown / wrong compound → 禁止. Facts that only make things stricter (home quarantine)
 *   are honoured even when the code is not trusted; facts that would admit are not.
 *   Nobody identified (no pass, not a resident) or an unregistered visitor → 登记 (visitor registration).
 * - packStale: the deny list may be outdated, so nothing is trusted to pass: 登记 with pack_stale, never 放行.
 * All reasons are collected; the verdict is the most severe (deny > register > pass); reasons are ordered so
 * reasons[0] explains the verdict (most severe verdict first, then by importance below), which the rollup keeps.
 */
import { HEALTH_COLORS, VERDICTS } from './types.js'
import type { CheckFacts, Decision, HealthColor, Reason, ReasonCode, RuleSet, Verdict } from './types.js'

export const DEFAULT_RULES: Omit<RuleSet, 'version'> = {
  feverThreshold: 37.3,
  natMaxHours: 48,
  qrMaxAgeSeconds: 60,
  clockSkewSeconds: 120,
  maskRequired: true,
  checkTemperatureOnExit: false,
  colors: {
    green: { verdict: 'pass', reason: '绿码', action: '绿码正常放行' },
    green_star: {
      verdict: 'deny',
      reason: '绿码带星，需48小时内核酸阴性证明',
      action: '请出示48小时内核酸检测阴性报告，或先到核酸采样点检测',
    },
    yellow: { verdict: 'deny', reason: '黄码', action: '劝返或按要求集中隔离' },
    red: { verdict: 'deny', reason: '红码', action: '立即原地隔离并报告社区' },
  },
}

/** Importance within one verdict: health dangers first, then identity, then what the volunteer can fix. */
const IMPORTANCE: ReasonCode[] = [
  'red_code',
  'home_quarantine',
  'fever',
  'yellow_code',
  'nat_missing',
  'nat_expired',
  'bad_signature',
  'replayed_qr',
  'pass_revoked',
  'pass_suspended',
  'pass_expired',
  'pass_unknown',
  'wrong_compound',
  'no_mask',
  'pack_stale',
  'not_resident',
  'visitor_unregistered',
  'no_temperature',
  'no_color',
]
const SEVERITY: Record<Verdict, number> = { deny: 0, register: 1, pass: 2 }

interface Finding extends Reason {
  verdict: Verdict
  action: string
}

const HOUR = 3600_000
/** Below/above any human reading: a typo or a broken thermometer, to be measured again. */
const MIN_TEMPERATURE = 34
const MAX_TEMPERATURE = 43

/** One decimal, as the thermometer shows it: 37.29999 is 37.3. */
const tenths = (x: number) => Math.round(x * 10)

export function evaluate(ruleSet: RuleSet, facts: CheckFacts): Decision {
  const found: Finding[] = []
  const add = (code: ReasonCode, verdict: Verdict, text: string, action: string) => {
    if (verdict !== 'pass') found.push({ code, verdict, text, action })
  }
  const notes: string[] = []
  const entry = facts.direction === 'in'
  const now = Date.parse(facts.now)

  // --- who is it
  const s = facts.subject
  if (s.kind === 'pass' || s.kind === 'card') {
    const code = s.code
    if (code && !code.ok) {
      switch (code.failure) {
        case 'replayed':
          add('replayed_qr', 'deny', `二维码已超过${ruleSet.qrMaxAgeSeconds}秒，疑似截图`, '请居民打开手机实时出示通行码（截图无效）')
          break
        case 'clock_skew':
          add('replayed_qr', 'deny', '二维码时间异常（手机时间不准）', '请居民校准手机时间后重新出示通行码')
          break
        case 'expired':
          add('pass_expired', 'deny', '通行码已过期', '请居民联网刷新通行码，或联系社区重新办理')
          break
        case 'not_yet_valid':
          add('pass_expired', 'deny', '通行码尚未生效', '请联系社区核实通行证')
          break
        case 'malformed':
          add('bad_signature', 'deny', '无法识别的二维码', '请出示本小区通行码或通行卡')
          break
        default:
          // unknown_key, bad_signature, bad_device_signature: forged, altered or from another device.
          add('bad_signature', 'deny', '通行码验证失败', '请出示本人手机上的实时通行码或通行卡')
      }
    } else {
      if (s.kind === 'pass' && s.deviceRevoked) add('pass_revoked', 'deny', '此手机的通行码已作废（已换绑新手机）', '请在新手机上出示通行码，或联系社区')
      if (s.passStatus === 'suspended') add('pass_suspended', 'deny', '通行证已暂停', '请联系社区核实通行证状态')
      else if (s.passStatus === 'revoked') add('pass_revoked', 'deny', '通行证已注销', '请联系社区；如需进入按外来人员登记')
      else if (s.passStatus === 'unknown') add('pass_unknown', 'deny', '未查到该通行证', '请联网更新卡口数据，或联系社区核实')
      // An unknown pass has no compound to compare: one reason is enough.
      if (!s.compoundMatches && s.passStatus !== 'unknown') add('wrong_compound', 'deny', '非本小区通行证', '如需进入请按外来人员登记')
    }
    if (s.homeQuarantine) {
      if (!entry) add('home_quarantine', 'deny', '居家隔离期间不得外出', '请劝其返回家中，并立即报告社区')
      else notes.push('该居民正在居家隔离，请提醒其直接回家')
    }
  } else if (s.kind === 'visitor') {
    if (!s.registered) add('visitor_unregistered', 'register', '外来人员未登记', '请登记外来人员信息（姓名、电话、事由、来访住户）')
  } else {
    add('not_resident', 'register', '非本小区居民', '请登记外来人员信息（姓名、电话、事由、来访住户）')
  }

  // --- health code colour
  const color = facts.color
  if (color === null) {
    if (entry) add('no_color', 'register', '未查看健康码', '请查看并选择对方健康码颜色')
  } else if (color === 'red') {
    const c = ruleSet.colors.red
    add('red_code', c.verdict, c.reason, c.action)
  } else if (entry && color === 'yellow') {
    const c = ruleSet.colors.yellow
    add('yellow_code', c.verdict, c.reason, c.action)
  } else if (entry && color === 'green_star') {
    const c = ruleSet.colors.green_star
    const natAt = facts.natAt === null ? NaN : Date.parse(facts.natAt)
    if (Number.isNaN(natAt)) add('nat_missing', c.verdict, `${c.reason}（未出示核酸证明）`, c.action)
    else if (natAt > now + ruleSet.clockSkewSeconds * 1000) add('nat_missing', c.verdict, '核酸采样时间晚于当前时间，请核对', c.action)
    else if (now - natAt >= ruleSet.natMaxHours * HOUR) add('nat_expired', c.verdict, `核酸检测已超过${ruleSet.natMaxHours}小时`, c.action)
  }

  // --- temperature
  if (entry || ruleSet.checkTemperatureOnExit) {
    const t = facts.temperature
    if (t === null) add('no_temperature', 'register', '未测体温', '请测量体温后重新核验')
    else if (!Number.isFinite(t) || t < MIN_TEMPERATURE || t > MAX_TEMPERATURE) add('no_temperature', 'register', '体温读数异常', '请复测体温')
    else if (tenths(t) >= tenths(ruleSet.feverThreshold))
      add('fever', 'deny', `体温${t.toFixed(1)}℃，达到发热标准（≥${ruleSet.feverThreshold}℃）`, '请复测体温；确认发热的引导至发热门诊，并报告社区')
  }

  // --- mask
  if (entry && ruleSet.maskRequired && facts.mask !== true) add('no_mask', 'deny', '未佩戴口罩', '请先佩戴口罩再进入')

  // --- stale pack: the last word, it can only make a pass into a register
  if (facts.packStale) add('pack_stale', 'register', '卡口数据已过期，无法确认通行证状态', '请联网更新卡口数据；暂按人工登记处理')

  found.sort((a, b) => SEVERITY[a.verdict] - SEVERITY[b.verdict] || IMPORTANCE.indexOf(a.code) - IMPORTANCE.indexOf(b.code))
  const verdict: Verdict = found[0]?.verdict ?? 'pass'
  const actions = [...new Set([...found.map((f) => f.action), ...notes])]
  if (verdict === 'pass') actions.unshift('核验通过，请放行')
  return {
    verdict,
    reasons: found.map(({ code, text }) => ({ code, text })),
    actions,
    alert: found.some((f) => f.code === 'red_code' || f.code === 'home_quarantine'),
    ruleVersion: ruleSet.version,
  }
}

const RULE_KEYS = ['version', 'feverThreshold', 'natMaxHours', 'qrMaxAgeSeconds', 'clockSkewSeconds', 'maskRequired', 'checkTemperatureOnExit', 'colors']

function numberIn(errors: string[], x: unknown, label: string, min: number, max: number, integer: boolean) {
  if (typeof x !== 'number' || !Number.isFinite(x)) errors.push(`${label}必须是数字`)
  else if (integer && !Number.isInteger(x)) errors.push(`${label}必须是整数`)
  else if (x < min || x > max) errors.push(`${label}应在 ${min}–${max} 之间`)
}

/**
 * Chinese errors for a rule set as the district submits it (with or without `version`); [] when valid.
 * Beyond shape: green must pass and red must deny — a rule set that lets a red code in is a mistake, not policy.
 */
export function validateRules(x: unknown): string[] {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return ['规则必须是一个对象']
  const r = x as Record<string, unknown>
  const errors: string[] = []
  for (const k of Object.keys(r)) if (!RULE_KEYS.includes(k)) errors.push(`未知的规则字段：${k}`)
  if (r.version !== undefined) numberIn(errors, r.version, '版本号', 1, Number.MAX_SAFE_INTEGER, true)
  numberIn(errors, r.feverThreshold, '发热体温标准', 36, 40, false)
  if (typeof r.feverThreshold === 'number' && tenths(r.feverThreshold) / 10 !== r.feverThreshold) errors.push('发热体温标准最多保留一位小数')
  numberIn(errors, r.natMaxHours, '核酸有效时长（小时）', 1, 720, true)
  numberIn(errors, r.qrMaxAgeSeconds, '二维码有效时长（秒）', 10, 600, true)
  numberIn(errors, r.clockSkewSeconds, '允许的时钟误差（秒）', 0, 3600, true)
  if (typeof r.maskRequired !== 'boolean') errors.push('是否要求佩戴口罩必须是布尔值')
  if (typeof r.checkTemperatureOnExit !== 'boolean') errors.push('出门是否测温必须是布尔值')
  const colors = r.colors
  if (!colors || typeof colors !== 'object' || Array.isArray(colors)) {
    errors.push('缺少健康码规则（colors）')
    return errors
  }
  const labels: Record<HealthColor, string> = { green: '绿码', green_star: '绿码带星', yellow: '黄码', red: '红码' }
  for (const k of Object.keys(colors)) if (!(HEALTH_COLORS as readonly string[]).includes(k)) errors.push(`未知的健康码颜色：${k}`)
  for (const c of HEALTH_COLORS) {
    const rule = (colors as Record<string, unknown>)[c]
    if (!rule || typeof rule !== 'object') {
      errors.push(`缺少${labels[c]}的规则`)
      continue
    }
    const { verdict, reason, action } = rule as Record<string, unknown>
    if (!(VERDICTS as readonly unknown[]).includes(verdict)) errors.push(`${labels[c]}的结果必须是放行、禁止或登记`)
    if (typeof reason !== 'string' || !reason.trim() || reason.length > 60) errors.push(`${labels[c]}的原因须为 1–60 个字`)
    if (typeof action !== 'string' || !action.trim() || action.length > 100) errors.push(`${labels[c]}的处置须为 1–100 个字`)
  }
  const verdictOf = (c: HealthColor) => ((colors as Record<string, { verdict?: unknown } | undefined>)[c] ?? {}).verdict
  if (verdictOf('green') !== undefined && verdictOf('green') !== 'pass') errors.push('绿码必须放行')
  if (verdictOf('red') !== undefined && verdictOf('red') !== 'deny') errors.push('红码必须禁止通行')
  return errors
}
