import {
  evaluate,
  inScope,
  parseCredential,
  verifyCode,
  VerifyCache,
  type CheckFacts,
  type CredentialPayload,
  type Decision,
  type Direction,
  type HealthColor,
  type Reason,
  type ReasonCode,
  type RuleSet,
  type Subject,
  type Verdict,
} from '@cc/shared'
import { alertQuarantineExit } from '../quarantine/quarantine.gate.js'
import type { AppConfig } from '../../config.js'
import type { Db, DbOrTx, Tx } from '../../db/client.js'
import { AppError, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { notify, staffOf } from '../notify/notify.service.js'
import type { Signer } from '../passes/passes.signing.js'
import { createCheckWriter, createFactsLoader, gateInfo, insertCheck, insertChecks, run, type CheckRow, type GateInfo, type StoredCheck } from './gate.repository.js'
import type { RuleSets } from './gate.rules.js'

export interface CheckInput {
  clientId: string
  clientTime: string
  gateId: number
  direction: Direction
  code?: string
  cardCode?: string
  visitorId?: number
  temperature?: number | null
  mask?: boolean | null
  color?: HealthColor | null
  natAt?: string | null
  gateVerdict?: Verdict
  offline?: boolean
}

export interface CheckReply {
  stored: boolean
  checkId: number
  verdict: Verdict
  reasons: Reason[]
  actions: string[]
  ruleVersion: number
  subject: { kind: 'pass' | 'card' | 'visitor' | 'none'; nameMasked: string | null; passId: number | null }
  disagree: boolean
}

/** Texts for reason codes read back from storage (counts, a repeated client id), where no decision is at hand. */
export const REASON_TEXTS: Record<ReasonCode, string> = {
  red_code: '红码',
  yellow_code: '黄码',
  nat_missing: '绿码带星，未提供核酸证明',
  nat_expired: '核酸超过有效时间',
  fever: '体温异常',
  no_mask: '未佩戴口罩',
  no_temperature: '未测体温',
  no_color: '未查验健康码',
  not_resident: '非本小区居民',
  visitor_unregistered: '外来人员未登记',
  pass_suspended: '通行证已暂停',
  pass_revoked: '通行证已注销',
  pass_unknown: '查无此通行证',
  pass_expired: '通行证已过期',
  wrong_compound: '非本小区通行证',
  replayed_qr: '通行码已失效（截图或过期）',
  bad_signature: '通行码无效',
  home_quarantine: '居家隔离人员外出',
  pack_stale: '卡口数据过期',
}
const reasonText = (code: string) => REASON_TEXTS[code as ReasonCode] ?? code

/** Times a check may carry: from 2000 to the end of year 9999 (what a timestamptz column stores as ISO). */
const MIN_TIME_MS = Date.UTC(2000, 0, 1)
const MAX_TIME_MS = Date.UTC(10000, 0, 1) - 1
const storable = (ms: number) => Number.isFinite(ms) && ms >= MIN_TIME_MS && ms <= MAX_TIME_MS

/** A gate clock running ahead must not let an offline check claim a moment that has not come yet. */
const FUTURE_SLACK_MS = 2 * 60_000
/**
 * How far back an offline check's own clock is trusted: two gate-pack lifetimes (a gate that has been offline
 * longer decides 登记 on its stale pack anyway). Older, the server judges at its own time, so a backdated
 * screenshot cannot be passed off as an old offline scan; a genuine one shows up as a disagreement to review.
 */
const OFFLINE_TRUST_MS = 24 * 3600_000

interface Decided {
  row: CheckRow
  decision: Decision
  subject: CheckReply['subject']
  gate: GateInfo
  disagree: boolean
}

export function createGateService(deps: { db: Db; config: AppConfig; signer: Signer; rules: RuleSets }) {
  const { db, signer, rules } = deps
  const writer = createCheckWriter(db)
  const facts = createFactsLoader(db)
  // Verified credentials and imported device keys, so a phone's rotating QR costs one device-signature check.
  const verifyCache = new VerifyCache()

  /** The gate, if it lies in the caller's scope (a gatekeeper scans only at their own compound's gates). */
  async function gateFor(auth: AuthContext, gateId: number): Promise<GateInfo> {
    const g = await gateInfo(db, gateId)
    if (!g) throw notFound('出入口')
    if (!auth.orgPath || !inScope(auth.orgPath, g.path)) throw new AppError('OUT_OF_SCOPE', '只能在本人值守小区的出入口查验')
    return g
  }

  async function subjectOf(item: CheckInput, gate: GateInfo, ruleSet: RuleSet, atSec: number) {
    const none = { subject: { kind: 'none' } as Subject, kind: 'none' as const, passId: null as number | null, visitorId: null as number | null, nameMasked: null as string | null }
    if (item.code) {
      const text = item.code.trim()
      const card = text.startsWith('CC1C.')
      // The database look-up runs while the signatures are checked: its answer is used only when the code
      // verifies (and then for the same payload), so reading the unverified payload early trusts nothing.
      const parts = text.split('.')
      const peek = parts.length >= 3 ? parseCredential(`${parts[1]}.${parts[2]}`) : null
      const early = peek ? facts.load(factsQuery(peek, card)) : null
      early?.catch(() => {})
      const code = await verifyCode(text, await signer.keysForVerify(), atSec, ruleSet, verifyCache)
      const kind = card ? ('card' as const) : ('pass' as const)
      if (!code.ok) {
        const subject: Subject = card
          ? { kind: 'card', code, passStatus: 'unknown', compoundMatches: false, homeQuarantine: false }
          : { kind: 'pass', code, passStatus: 'unknown', compoundMatches: false, homeQuarantine: false, deviceRevoked: false }
        return { ...none, subject, kind }
      }
      const p = code.payload
      const f = early && peek!.pid === p.pid && peek!.dpk === p.dpk && peek!.cc === p.cc ? await early : await facts.load(factsQuery(p, card))
      const compoundMatches = !!f && f.compoundId === gate.compoundId && p.cid === gate.compoundId
      // A reissued or revoked card no longer admits, though its old signature still checks out.
      const passStatus = !f ? 'unknown' : card && f.cardRevoked ? 'revoked' : f.status
      const subject: Subject = card
        ? { kind: 'card', code, passStatus, compoundMatches, homeQuarantine: !!f?.homeQuarantine }
        : { kind: 'pass', code, passStatus, compoundMatches, homeQuarantine: !!f?.homeQuarantine, deviceRevoked: f?.deviceRevoked !== false }
      return { subject, kind, passId: f?.id ?? null, visitorId: null, nameMasked: f?.nameMasked ?? p.n }
    }
    if (item.cardCode) {
      const f = await facts.load({ pid: null, dpk: null, card: item.cardCode.trim() })
      const passStatus = !f || f.cardRevoked ? 'unknown' : f.status
      const subject: Subject = { kind: 'card', code: null, passStatus, compoundMatches: !!f && f.compoundId === gate.compoundId, homeQuarantine: !!f?.homeQuarantine }
      return { subject, kind: 'card' as const, passId: f?.id ?? null, visitorId: null, nameMasked: f?.nameMasked ?? null }
    }
    if (item.visitorId) {
      const [v] = await run<{ id: number; nameMasked: string }>(
        db,
        'gate_visitor_facts',
        'SELECT id, name_masked AS "nameMasked" FROM visitors WHERE id = $1 AND compound_id = $2',
        [item.visitorId, gate.compoundId],
      )
      return { subject: { kind: 'visitor', registered: !!v } as Subject, kind: 'visitor' as const, passId: null, visitorId: v?.id ?? null, nameMasked: v?.nameMasked ?? null }
    }
    return none
  }

  /**
   * Decides one check the way the gate should have: online at the server's now; offline at the gate's
   * clock (a QR's age is measured against the moment it was scanned), with the pass state as it is now.
   */
  async function decide(auth: AuthContext, gate: GateInfo, item: CheckInput): Promise<Decided> {
    const now = Date.now()
    const client = Date.parse(item.clientTime)
    if (!storable(client)) throw new AppError('VALIDATION', '查验时间不正确，请校准手机时间')
    // A valid ISO string such as year 0000 parses in JavaScript but is out of PostgreSQL's range: refuse it
    // here rather than fail the insert (a 500 for the whole batch).
    if (item.natAt != null && !storable(Date.parse(item.natAt))) throw new AppError('VALIDATION', '核酸采样时间不正确，请重新选择')
    const at = item.offline && client >= now - OFFLINE_TRUST_MS ? Math.min(client, now + FUTURE_SLACK_MS) : now
    const ruleSet = await rules.active()
    const s = await subjectOf(item, gate, ruleSet, Math.floor(at / 1000))
    const facts: CheckFacts = {
      direction: item.direction,
      subject: s.subject,
      temperature: item.temperature ?? null,
      mask: item.mask ?? null,
      color: item.color ?? null,
      natAt: item.natAt ?? null,
      now: new Date(at).toISOString(),
    }
    const decision = evaluate(ruleSet, facts)
    const codes = decision.reasons.map((r) => r.code)
    const disagree = !!item.gateVerdict && item.gateVerdict !== decision.verdict
    const row: CheckRow = {
      clientId: item.clientId,
      clientTime: new Date(client).toISOString(),
      gateId: gate.id,
      compoundId: gate.compoundId,
      gatekeeperId: auth.userId,
      direction: item.direction,
      subjectKind: s.kind,
      passId: s.passId,
      visitorId: s.visitorId,
      temperature: item.temperature ?? null,
      mask: item.mask ?? null,
      color: item.color ?? null,
      natAt: item.natAt ?? null,
      verdict: decision.verdict,
      reasons: codes,
      gateVerdict: item.gateVerdict ?? null,
      ruleVersion: decision.ruleVersion,
      offline: !!item.offline,
      // A red code or a quarantined resident going out is a case: the check outlives the 28-day purge.
      caseHold: decision.verdict === 'deny' && (codes.includes('red_code') || codes.includes('home_quarantine')),
    }
    return { row, decision, subject: { kind: s.kind, nameMasked: s.nameMasked, passId: s.passId }, gate, disagree }
  }

  /**
   * A resident in home quarantine stopped going out: the quarantine module puts it on the community's today
   * list and messages the worker and the street (instead of the generic gate notice). False otherwise.
   */
  async function quarantineExit(tx: Tx, d: Decided): Promise<boolean> {
    if (d.subject.passId == null || !d.decision.reasons.some((r) => r.code === 'home_quarantine')) return false
    return alertQuarantineExit(tx, d.subject.passId, `${d.gate.compoundName}${d.gate.name}`)
  }

  function alertNotice(d: Decided) {
    const who = d.subject.nameMasked ? `${d.subject.nameMasked}，` : ''
    const reason = d.decision.reasons.map((r) => r.text).join('、') || reasonText(d.row.reasons[0] ?? '')
    return {
      title: `卡口告警：${d.gate.compoundName}${d.gate.name}`,
      body: `${who}${reason}。${d.decision.actions[0] ?? '请立即到场处置'}`,
      page: '/c',
    }
  }

  function reply(d: Decided, s: StoredCheck): CheckReply {
    if (s.stored) return { stored: true, checkId: s.checkId, verdict: d.decision.verdict, reasons: d.decision.reasons, actions: d.decision.actions, ruleVersion: d.decision.ruleVersion, subject: d.subject, disagree: d.disagree }
    // The same client id again: the first verdict stands, nothing new is stored or announced.
    const disagree = !!d.row.gateVerdict && d.row.gateVerdict !== s.verdict
    return { stored: false, checkId: s.checkId, verdict: s.verdict, reasons: s.reasons.map((c) => ({ code: c as ReasonCode, text: reasonText(c) })), actions: [], ruleVersion: d.decision.ruleVersion, subject: d.subject, disagree }
  }

  /**
   * A client id already used at another compound's gate is not a repeat of this check: answering with that
   * check's verdict and reasons would tell this gate another compound's health facts, and drop this check.
   */
  async function refuseForeignRepeats(repeats: StoredCheck[], compoundId: number) {
    if (!repeats.length) return
    const rows = await run<{ compoundId: number }>(db, 'gate_check_compounds', 'SELECT compound_id AS "compoundId" FROM gate_checks WHERE id = ANY($1::int[])', [
      repeats.map((r) => r.checkId),
    ])
    if (rows.some((r) => r.compoundId !== compoundId)) throw new AppError('CONFLICT', '查验编号与其他小区的记录重复，请重新查验')
  }

  async function store(tx: DbOrTx, d: Decided): Promise<StoredCheck> {
    return insertCheck(tx, d.row)
  }

  return {
    gateFor,

    async gates(auth: AuthContext) {
      if (!auth.orgPath) return { items: [] }
      const rows = await run<{ id: number; name: string; staffed: boolean; compoundId: number; compoundName: string }>(
        db,
        'gate_list',
        `SELECT g.id, g.name, coalesce(g.staffed, false) AS staffed, c.id AS "compoundId", c.name AS "compoundName"
          FROM org_units g JOIN org_units c ON c.id = g.parent_id
          WHERE g.kind = 'gate' AND left(g.path, length($1)) = $1
          ORDER BY c.name, g.staffed DESC NULLS LAST, g.id LIMIT 500`,
        [auth.orgPath],
      )
      return { items: rows }
    },

    async check(auth: AuthContext, item: CheckInput): Promise<CheckReply> {
      const gate = await gateFor(auth, item.gateId)
      const d = await decide(auth, gate, item)
      if (!d.decision.alert && !d.disagree) {
        const s = await writer.write(d.row)
        if (!s.stored) await refuseForeignRepeats([s], gate.compoundId)
        return reply(d, s)
      }
      // Rare path: the check and the worker's notice commit together.
      const s = await db.transaction(async (tx) => {
        const s = await store(tx, d)
        if (s.stored) {
          const staff = await staffOf(tx, gate.communityId)
          if (d.decision.alert && !(await quarantineExit(tx, d))) await notify(tx, staff, alertNotice(d))
          if (d.disagree) await notify(tx, staff, disagreeNotice(gate, [d]))
        }
        return s
      })
      if (!s.stored) await refuseForeignRepeats([s], gate.compoundId)
      return reply(d, s)
    },

    /**
     * A gate's offline queue. Every item is decided again; all are stored in one transaction with the
     * notices they raise, so a sync either lands whole (each check exactly once) or not at all.
     */
    async sync(auth: AuthContext, checks: CheckInput[]) {
      const seen = new Set<string>()
      const decided: Decided[] = []
      for (const item of checks) {
        // uuids compare without case (PostgreSQL's uuid type does): one decision per client id.
        const key = item.clientId.toLowerCase()
        if (seen.has(key)) continue
        seen.add(key)
        const gate = await gateFor(auth, item.gateId)
        decided.push(await decide(auth, gate, { ...item, offline: item.offline ?? true }))
      }
      const stored = await db.transaction(async (tx) => {
        const out = decided.length ? await insertChecks(tx, decided.map((d) => d.row)) : []
        const fresh = decided.filter((_, i) => out[i]!.stored)
        const byCommunity = new Map<number, Decided[]>()
        for (const d of fresh) if (d.decision.alert || d.disagree) byCommunity.set(d.gate.communityId, [...(byCommunity.get(d.gate.communityId) ?? []), d])
        for (const [communityId, ds] of byCommunity) {
          const staff = await staffOf(tx, communityId)
          for (const d of ds) if (d.decision.alert && !(await quarantineExit(tx, d))) await notify(tx, staff, alertNotice(d))
          const dis = ds.filter((d) => d.disagree)
          if (dis.length) await notify(tx, staff, disagreeNotice(dis[0]!.gate, dis))
        }
        return out
      })
      // After the commit: the rest of the batch is stored once; sent again one by one, only the reused id is refused.
      for (const [compoundId, ss] of groupBy(decided.map((d, i) => [d.gate.compoundId, stored[i]!] as const)))
        await refuseForeignRepeats(ss.filter((x) => !x.stored), compoundId)
      const byId = new Map(decided.map((d, i) => [d.row.clientId.toLowerCase(), reply(d, stored[i]!)]))
      // A client id repeated inside the batch was stored once: its later copies are answered as repeats.
      const answered = new Set<string>()
      return {
        results: checks.map((c) => {
          const key = c.clientId.toLowerCase()
          const r = pick(byId.get(key)!)
          const repeat = answered.has(key)
          answered.add(key)
          return { clientId: c.clientId, ...r, stored: r.stored && !repeat }
        }),
      }
    },
  }
}

const factsQuery = (p: CredentialPayload, card: boolean) => ({ pid: p.pid, dpk: card ? null : (p.dpk ?? ''), card: card ? (p.cc ?? '') : null })

function groupBy<K, V>(pairs: (readonly [K, V])[]): Map<K, V[]> {
  const m = new Map<K, V[]>()
  for (const [k, v] of pairs) m.set(k, [...(m.get(k) ?? []), v])
  return m
}

function pick(r: CheckReply) {
  return { stored: r.stored, verdict: r.verdict, disagree: r.disagree }
}

function disagreeNotice(gate: GateInfo, ds: Decided[]) {
  const first = ds[0]!
  const label = (v: string | null) => ({ pass: '放行', deny: '禁止', register: '登记' })[v ?? ''] ?? '未判定'
  const detail = `${first.subject.nameMasked ?? '查验对象'}：卡口${label(first.row.gateVerdict)}，复核应为${label(first.decision.verdict)}（${first.decision.reasons.map((r) => r.text).join('、') || '无异常'}）`
  return {
    title: `离线查验复核不一致：${gate.compoundName}${gate.name}`,
    body: ds.length > 1 ? `共 ${ds.length} 条，例如 ${detail}` : detail,
    page: '/c',
  }
}

export type GateService = ReturnType<typeof createGateService>

/** Beijing calendar day of `d` (YYYY-MM-DD): the gate's "today". */
export function beijingDay(d = new Date()): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** Counts of one gate today (gate_daily rollup) and the compound's visitors still inside. */
export async function gateCounts(db: Db, gate: GateInfo, now = new Date()) {
  const day = beijingDay(now)
  const rows = await run<{ direction: Direction; verdict: Verdict; reason: string; n: number }>(
    db,
    'gate_counts_today',
    `SELECT direction, verdict, reason, sum(n)::int AS n FROM gate_daily WHERE gate_id = $1 AND day = $2::date GROUP BY 1, 2, 3`,
    [gate.id, day],
  )
  const [v] = await run<{ n: number }>(db, 'gate_visitors_inside_n', 'SELECT count(*)::int AS n FROM visitors WHERE compound_id = $1 AND out_at IS NULL', [gate.compoundId])
  const denied = new Map<string, number>()
  let inN = 0
  let outN = 0
  let registered = 0
  for (const r of rows) {
    if (r.verdict === 'pass') r.direction === 'in' ? (inN += r.n) : (outN += r.n)
    else if (r.verdict === 'register') registered += r.n
    else denied.set(r.reason, (denied.get(r.reason) ?? 0) + r.n)
  }
  return {
    day,
    in: inN,
    out: outN,
    denied: [...denied].map(([reason, n]) => ({ reason, text: reasonText(reason), n })).sort((a, b) => b.n - a.n),
    registered,
    visitorsInside: v?.n ?? 0,
  }
}

/** A community's last `days` Beijing days from the rollup (every compound under it). */
export async function communityCounts(db: Db, communityId: number, days: number, now = new Date()) {
  const [c] = await run<{ id: number; name: string; kind: string }>(db, 'gate_org_name', 'SELECT id, name, kind FROM org_units WHERE id = $1', [communityId])
  if (!c) throw notFound('社区')
  if (c.kind !== 'community') throw new AppError('VALIDATION', '请选择社区')
  const today = beijingDay(now)
  const from = beijingDay(new Date(now.getTime() - (days - 1) * 86400_000))
  const rows = await run<{ day: string; direction: Direction; verdict: Verdict; reason: string; n: number }>(
    db,
    'gate_counts_community',
    `SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.direction, d.verdict, d.reason, sum(d.n)::int AS n
      FROM gate_daily d
      WHERE d.compound_id IN (SELECT cp.id FROM org_units gr JOIN org_units cp ON cp.parent_id = gr.id WHERE gr.parent_id = $1 AND cp.kind = 'compound')
        AND d.day BETWEEN $2::date AND $3::date
      GROUP BY 1, 2, 3, 4`,
    [communityId, from, today],
  )
  const byDay = new Map<string, { day: string; in: number; out: number; denied: number; registered: number; total: number }>()
  for (let i = days - 1; i >= 0; i--) {
    const day = beijingDay(new Date(now.getTime() - i * 86400_000))
    byDay.set(day, { day, in: 0, out: 0, denied: 0, registered: 0, total: 0 })
  }
  const reasons = new Map<string, number>()
  for (const r of rows) {
    const d = byDay.get(r.day)
    if (!d) continue
    d.total += r.n
    if (r.verdict === 'pass') r.direction === 'in' ? (d.in += r.n) : (d.out += r.n)
    else if (r.verdict === 'register') d.registered += r.n
    else {
      d.denied += r.n
      reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + r.n)
    }
  }
  return {
    communityId: c.id,
    communityName: c.name,
    items: [...byDay.values()],
    denied: [...reasons].map(([reason, n]) => ({ reason, text: reasonText(reason), n })).sort((a, b) => b.n - a.n),
  }
}

/** Suspended/revoked passes, revoked device keys still inside their credential's life, cards: one compound. */
export async function packLists(db: Db, compoundId: number) {
  const passes = await run<{ pid: number; status: 'suspended' | 'revoked' }>(
    db,
    'gate_pack_passes',
    `SELECT id AS pid, status FROM passes WHERE compound_id = $1 AND status <> 'active' ORDER BY id`,
    [compoundId],
  )
  const devices = await run<{ k: string }>(
    db,
    'gate_pack_devices',
    `SELECT d.public_key AS k FROM pass_devices d JOIN passes p ON p.id = d.pass_id
      WHERE p.compound_id = $1 AND d.revoked_at IS NOT NULL AND d.credential_exp > now() ORDER BY d.id`,
    [compoundId],
  )
  const cards = await run<{ code: string; pid: number; n: string }>(
    db,
    'gate_pack_cards',
    `SELECT c.code, c.pass_id AS pid, r.name_masked AS n FROM pass_cards c JOIN passes p ON p.id = c.pass_id JOIN residents r ON r.id = p.resident_id
      WHERE p.compound_id = $1 AND c.revoked_at IS NULL AND c.credential_exp > now() ORDER BY c.id`,
    [compoundId],
  )
  return { passes, devices: devices.map((d) => d.k), cards }
}
