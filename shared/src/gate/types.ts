/**
 * Contracts of the gate loop (DESIGN §3.3): passes and their credentials, admission rule sets, the facts a
 * gate check is decided on, and the verdict. Pure data: the server and the offline gate share them.
 */

export const HEALTH_COLORS = ['green', 'green_star', 'yellow', 'red'] as const
export type HealthColor = (typeof HEALTH_COLORS)[number]
export const HEALTH_COLOR_LABELS: Record<HealthColor, string> = {
  green: '绿码',
  green_star: '绿码带星',
  yellow: '黄码',
  red: '红码',
}

export const DIRECTIONS = ['in', 'out'] as const
export type Direction = (typeof DIRECTIONS)[number]
export const DIRECTION_LABELS: Record<Direction, string> = { in: '进', out: '出' }

/** 放行 / 禁止 / 登记. */
export const VERDICTS = ['pass', 'deny', 'register'] as const
export type Verdict = (typeof VERDICTS)[number]
export const VERDICT_LABELS: Record<Verdict, string> = { pass: '放行', deny: '禁止', register: '登记' }

export const PASS_STATUSES = ['active', 'suspended', 'revoked'] as const
export type PassStatus = (typeof PASS_STATUSES)[number]
export const PASS_STATUS_LABELS: Record<PassStatus, string> = { active: '有效', suspended: '暂停', revoked: '已注销' }

/** A phone credential is bound to a device key and shown as a rotating QR; a card is printed and static. */
export const CREDENTIAL_KINDS = ['phone', 'card'] as const
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number]

/** What the server signs (ECDSA P-256, SHA-256). Short keys: it travels inside a QR code. */
export interface CredentialPayload {
  v: 1
  /** Signing key id (the gate pack lists the public keys by id). */
  kid: string
  /** Pass id. */
  pid: number
  /** Compound (org unit) id the pass admits to. */
  cid: number
  /** Masked name for the gate's screen (王*明): nothing secret. */
  n: string
  k: CredentialKind
  /** Device public key, raw uncompressed P-256 point, base64url (phone credentials only). */
  dpk?: string
  /** Card code printed on the card (card credentials only). */
  cc?: string
  /** Valid from / until, unix seconds. */
  nbf: number
  exp: number
}

/** Why a scanned code could not be trusted. */
export const CREDENTIAL_FAILURES = [
  'malformed',
  'unknown_key',
  'bad_signature',
  'not_yet_valid',
  'expired',
  'bad_device_signature',
  'replayed',
  'clock_skew',
] as const
export type CredentialFailure = (typeof CREDENTIAL_FAILURES)[number]

export interface VerifiedCode {
  ok: true
  payload: CredentialPayload
  /** Seconds between the moment the phone signed the QR and now (0 for cards). */
  ageSeconds: number
}
export type VerifyResult = VerifiedCode | { ok: false; failure: CredentialFailure }

/** Admission rule set: data, versioned, published by the district. */
export interface RuleSet {
  version: number
  /** Temperature at or above this → fever clinic. */
  feverThreshold: number
  /** Green with star needs a negative NAT within this many hours. */
  natMaxHours: number
  /** A phone QR older than this is refused (a screenshot). */
  qrMaxAgeSeconds: number
  /** Tolerated difference between the phone's and the gate's clocks when the QR is from the future. */
  clockSkewSeconds: number
  /** Whether a mask is required to enter. */
  maskRequired: boolean
  /** Whether temperature is taken on the way out too. */
  checkTemperatureOnExit: boolean
  /** Health-code colours: what each one means at the gate. */
  colors: Record<HealthColor, { verdict: Verdict; reason: string; action: string }>
}

/** Subject of a check, as the gate knows it. */
export type Subject =
  | { kind: 'pass'; code: VerifyResult; passStatus: PassStatus | 'unknown'; compoundMatches: boolean; homeQuarantine: boolean; deviceRevoked: boolean }
  | { kind: 'card'; code: VerifyResult | null; passStatus: PassStatus | 'unknown'; compoundMatches: boolean; homeQuarantine: boolean }
  | { kind: 'visitor'; registered: boolean }
  | { kind: 'none' }

export interface CheckFacts {
  direction: Direction
  subject: Subject
  /** Measured temperature in °C, one decimal; null when not taken. */
  temperature: number | null
  mask: boolean | null
  color: HealthColor | null
  /** For green_star: when the negative NAT was sampled (ISO time), null when none shown. */
  natAt: string | null
  /** The moment of the check (ISO time). */
  now: string
  /** The gate pack is older than its validity: decide nothing on trust. */
  packStale?: boolean
}

export const REASON_CODES = [
  'red_code',
  'yellow_code',
  'nat_missing',
  'nat_expired',
  'fever',
  'no_mask',
  'no_temperature',
  'no_color',
  'not_resident',
  'visitor_unregistered',
  'pass_suspended',
  'pass_revoked',
  'pass_unknown',
  'pass_expired',
  'wrong_compound',
  'replayed_qr',
  'bad_signature',
  'home_quarantine',
  'pack_stale',
] as const
export type ReasonCode = (typeof REASON_CODES)[number]

export interface Reason {
  code: ReasonCode
  /** Chinese text for the verdict screen. */
  text: string
}

export interface Decision {
  verdict: Verdict
  reasons: Reason[]
  /** Next actions in Chinese, in order. */
  actions: string[]
  /** Alert the community worker on duty (red code, quarantined resident going out). */
  alert: boolean
  ruleVersion: number
}
