import { evaluate, verifyCode, VerifyCache, type CheckFacts, type Decision, type Direction, type HealthColor, type Subject, type VerifyResult } from '@cc/shared'
import type { GatePack } from '../api/gate'
import { packKeys, packStale } from './pack'

/** Who stands at the gate, as far as this phone can tell from the pack. */
export interface Entrant {
  subject: Subject
  /** Masked name to show, when known. */
  name: string | null
  /** What to send the server (it verifies again). */
  code?: string
  cardCode?: string
  visitorId?: number
  /** A visitor registered while offline (no server id yet). */
  visitorClientId?: string
  /** The code did not verify (Chinese, for the screen), or null. */
  problem: string | null
}

const FAILURE_TEXT: Record<string, string> = {
  malformed: '不是本系统的通行码',
  unknown_key: '通行码签发密钥未知',
  bad_signature: '通行码签名无效',
  not_yet_valid: '通行码尚未生效',
  expired: '通行码已过期',
  bad_device_signature: '通行码不是在本人手机上生成的',
  replayed: '通行码已超过1分钟（疑似截图）',
  clock_skew: '对方手机时间不准',
}

function passSubject(pack: GatePack, pid: number | null, code: VerifyResult | null, kind: 'pass' | 'card', dpk?: string): Subject {
  const denied = pid == null ? undefined : pack.deny.passes.find((p) => p.pid === pid)
  const cid = code?.ok ? code.payload.cid : pack.compoundId
  const common = {
    passStatus: pid == null ? ('unknown' as const) : (denied?.status ?? ('active' as const)),
    compoundMatches: pid != null && cid === pack.compoundId,
    homeQuarantine: pid != null && pack.deny.quarantinedPassIds.includes(pid),
  }
  if (kind === 'card') return { kind: 'card', code, ...common }
  return { kind: 'pass', code: code!, ...common, deviceRevoked: !!dpk && pack.deny.devices.includes(dpk) }
}

/**
 * The scanned text as the server takes it: one line of at most 2048 characters. A QR that is not ours (a
 * vCard with line breaks, a long link) is folded into that shape and stays unverifiable, so the server
 * records the same 禁止 instead of refusing the whole check with a 400 (lost from the log, or stuck in the
 * offline queue). A real 通行码 is base64url and dots: folding never changes it.
 */
export function sendableCode(text: string): string {
  const folded = text.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').trim().slice(0, 2048).trim()
  return folded || '?'
}

// The same resident passes the same gate many times a day: their credential is verified once per session.
const verifyCache = new VerifyCache(5_000)

/** A scanned QR (phone 通行码 or printed card), verified against the pack's keys and deny list. */
export async function entrantFromCode(pack: GatePack, text: string, nowSec: number): Promise<Entrant> {
  const keys = await packKeys(pack)
  const result = await verifyCode(text.trim(), keys, nowSec, pack.ruleSet, verifyCache)
  const code = text.trim()
  if (!result.ok) {
    // Unverifiable: the rules decide on the failure; the pass itself is unknown.
    const isCard = code.startsWith('CC1C.')
    const subject: Subject = isCard
      ? { kind: 'card', code: result, passStatus: 'unknown', compoundMatches: false, homeQuarantine: false }
      : { kind: 'pass', code: result, passStatus: 'unknown', compoundMatches: false, homeQuarantine: false, deviceRevoked: false }
    return { subject, name: null, code: sendableCode(code), problem: FAILURE_TEXT[result.failure] ?? '通行码无效' }
  }
  const p = result.payload
  return { subject: passSubject(pack, p.pid, result, p.k === 'card' ? 'card' : 'pass', p.dpk), name: p.n, code, problem: null }
}

/** A card code typed by hand (10 digits printed under the card's QR), looked up in the pack's card list. */
export function entrantFromCard(pack: GatePack, cardCode: string): Entrant {
  const card = pack.cards.find((c) => c.code === cardCode)
  if (!card) return { subject: passSubject(pack, null, null, 'card'), name: null, cardCode, problem: '本小区没有这张卡' }
  return { subject: passSubject(pack, card.pid, null, 'card'), name: card.n, cardCode, problem: null }
}

/** A visitor just registered at this gate: online with the server's id, offline with the queued one's client id. */
export function entrantVisitor(name: string, ref: { visitorId?: number; visitorClientId?: string }): Entrant {
  return { subject: { kind: 'visitor', registered: true }, name, ...ref, problem: null }
}

export interface Inputs {
  direction: Direction
  temperature: number | null
  mask: boolean | null
  color: HealthColor | null
  natAt: string | null
}

/** The same pure function the server runs, on the same facts: online and offline give one verdict. */
export function decide(pack: GatePack, entrant: Entrant, inputs: Inputs, now: Date): { facts: CheckFacts; decision: Decision } {
  const facts: CheckFacts = { ...inputs, subject: entrant.subject, now: now.toISOString(), packStale: packStale(pack, now.getTime()) }
  return { facts, decision: evaluate(pack.ruleSet, facts) }
}
