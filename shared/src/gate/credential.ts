/**
 * Pass credentials and the QR texts that carry them (DESIGN §3.3).
 *
 * Plain WebCrypto (`globalThis.crypto.subtle`) only, so the same code signs on the server (Node 20), shows the
 * rotating QR on the resident's phone and verifies offline at the gate (Chromium). ECDSA P-256 with SHA-256;
 * signatures are the raw 64-byte r||s that WebCrypto produces on both sides (no DER).
 *
 * Formats (all parts base64url without padding, joined by "."):
 *   credential  = b64url(JSON payload) "." b64url(server signature over the ASCII of the first part)
 *   phone QR    = "CC1."  credential "." t "." b64url(device signature over ASCII "<credential>.<t>")
 *   card QR     = "CC1C." credential
 * The server signs the encoded bytes rather than re-serialised JSON so verification never depends on key order.
 */
import type { CredentialFailure, CredentialKind, CredentialPayload, RuleSet, VerifyResult } from './types.js'

export const PHONE_QR_PREFIX = 'CC1'
export const CARD_QR_PREFIX = 'CC1C'
/** Longer than any real code (~500 chars): a huge scan is refused before any parsing or crypto. */
export const MAX_QR_TEXT_LENGTH = 2048

const ECDSA_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const
const ECDSA_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const
const B64URL = /^[A-Za-z0-9_-]*$/

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle
  // Browsers expose subtle only in secure contexts (https or localhost): say so instead of failing on undefined.
  if (!s) throw new Error('WebCrypto 不可用（需要 HTTPS 或 localhost）')
  return s
}

// ---------------------------------------------------------------------------------------------------------
// base64url

export function b64urlEncode(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  let bin = ''
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]!)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** Strict: null for anything that is not unpadded base64url (a scanner may hand us any text). */
export function b64urlDecode(s: string): Uint8Array | null {
  if (!B64URL.test(s) || s.length % 4 === 1) return null
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)
  let bin: string
  try {
    bin = atob(b64)
  } catch {
    return null
  }
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

export function b64urlDecodeText(s: string): string | null {
  const bytes = b64urlDecode(s)
  if (!bytes) return null
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

const ascii = (s: string) => new TextEncoder().encode(s)

// ---------------------------------------------------------------------------------------------------------
// keys

/** A fresh P-256 signing pair. A device key should be non-extractable (its public half is always exportable). */
export function generateSigningKeyPair(extractable = false): Promise<CryptoKeyPair> {
  return subtle().generateKey(ECDSA_KEY, extractable, ['sign', 'verify']) as Promise<CryptoKeyPair>
}

export function importServerPublicKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return subtle().importKey('jwk', jwk, ECDSA_KEY, true, ['verify'])
}

export function importServerPrivateKey(jwk: JsonWebKey): Promise<CryptoKey> {
  return subtle().importKey('jwk', jwk, ECDSA_KEY, false, ['sign'])
}

/** The device public key as it travels in `dpk`: raw uncompressed point (65 bytes), base64url. */
export async function importDevicePublicKey(b64urlRaw: string): Promise<CryptoKey> {
  const raw = b64urlDecode(b64urlRaw)
  if (!raw || raw.length !== 65 || raw[0] !== 4) throw new Error('设备公钥格式不正确')
  return subtle().importKey('raw', raw, ECDSA_KEY, true, ['verify'])
}

export async function exportRawPublicKey(key: CryptoKey): Promise<string> {
  return b64urlEncode(new Uint8Array(await subtle().exportKey('raw', key)))
}

export async function exportPublicJwk(key: CryptoKey): Promise<JsonWebKey> {
  const { kty, crv, x, y } = await subtle().exportKey('jwk', key)
  return { kty, crv, x, y }
}

/** True when `s` is a device public key the gate can use (checked at device registration). */
export async function isDevicePublicKey(s: unknown): Promise<boolean> {
  if (typeof s !== 'string' || s.length > 200) return false
  try {
    await importDevicePublicKey(s)
    return true
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------------------
// credentials

export function encodeCredential(payload: CredentialPayload, sig: Uint8Array): string {
  return `${b64urlEncode(JSON.stringify(payload))}.${b64urlEncode(sig)}`
}

export async function signCredential(payload: CredentialPayload, serverPrivateKey: CryptoKey): Promise<string> {
  const body = b64urlEncode(JSON.stringify(payload))
  const sig = new Uint8Array(await subtle().sign(ECDSA_SIGN, serverPrivateKey, ascii(body)))
  return `${body}.${b64urlEncode(sig)}`
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x)
const isShortString = (x: unknown, max: number): x is string => typeof x === 'string' && x.length > 0 && x.length <= max

/** Shape check of a decoded payload; anything else in a signed QR is still refused (a bug or a forgery). */
export function isCredentialPayload(x: unknown): x is CredentialPayload {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return false
  const p = x as Record<string, unknown>
  if (p.v !== 1 || !isShortString(p.kid, 64) || !isInt(p.pid) || !isInt(p.cid) || typeof p.n !== 'string' || p.n.length > 64) return false
  if (!isInt(p.nbf) || !isInt(p.exp) || p.exp <= p.nbf) return false
  if (p.k === 'phone') return isShortString(p.dpk, 120) && p.cc === undefined
  if (p.k === 'card') return p.dpk === undefined && (p.cc === undefined || (typeof p.cc === 'string' && isCardCode(p.cc)))
  return false
}

interface ParsedCredential {
  payload: CredentialPayload
  /** The signed part (base64url JSON). */
  body: string
  sig: Uint8Array
}

function parseCredentialParts(body: string, sigPart: string): ParsedCredential | null {
  const json = b64urlDecodeText(body)
  const sig = b64urlDecode(sigPart)
  if (json === null || !sig || !body) return null
  let payload: unknown
  try {
    payload = JSON.parse(json)
  } catch {
    return null
  }
  return isCredentialPayload(payload) ? { payload, body, sig } : null
}

/** The payload of a credential WITHOUT verifying it: for the phone's own display (validity, name). */
export function parseCredential(credential: string): CredentialPayload | null {
  if (typeof credential !== 'string' || credential.length > MAX_QR_TEXT_LENGTH) return null
  const parts = credential.split('.')
  if (parts.length !== 2) return null
  return parseCredentialParts(parts[0]!, parts[1]!)?.payload ?? null
}

export async function phoneQrText(credential: string, devicePrivateKey: CryptoKey, nowSec: number): Promise<string> {
  const t = Math.floor(nowSec)
  const signed = `${credential}.${t}`
  const sig = new Uint8Array(await subtle().sign(ECDSA_SIGN, devicePrivateKey, ascii(signed)))
  return `${PHONE_QR_PREFIX}.${signed}.${b64urlEncode(sig)}`
}

export function cardQrText(credential: string): string {
  return `${CARD_QR_PREFIX}.${credential}`
}

async function verifySig(key: CryptoKey, sig: Uint8Array, data: string): Promise<boolean> {
  // WebCrypto P-256 signatures are always 64 bytes; anything else is not worth a verify call.
  if (sig.length !== 64) return false
  try {
    return await subtle().verify(ECDSA_SIGN, key, sig, ascii(data))
  } catch {
    return false
  }
}

const fail = (failure: CredentialFailure): VerifyResult => ({ ok: false, failure })

/**
 * Verifies a scanned QR text at `nowSec` (the gate's clock, unix seconds). Order: format, key id, server
 * signature, validity window, then for a phone QR the device signature, the QR's age (> qrMaxAgeSeconds →
 * 'replayed', a screenshot) and a QR time from the future beyond clockSkewSeconds ('clock_skew').
 * The validity window tolerates clockSkewSeconds at its start only (gate clock behind the server's); an
 * expired credential is refused the second it expires.
 */
/**
 * What a verifier may remember between scans: credentials whose server signature it already checked (a phone
 * shows the same credential for days, only the device signature changes every 30 s) and imported device keys
 * (importing a key costs twice a verification). Bounded; the oldest entries go first.
 */
export class VerifyCache {
  private readonly verified = new Map<string, true>()
  private readonly devices = new Map<string, CryptoKey>()
  constructor(private readonly max = 20_000) {}

  private static put<V>(m: Map<string, V>, k: string, v: V, max: number) {
    if (m.size >= max) m.delete(m.keys().next().value as string)
    m.set(k, v)
  }
  hasVerified(credential: string): boolean {
    return this.verified.has(credential)
  }
  markVerified(credential: string) {
    VerifyCache.put(this.verified, credential, true, this.max)
  }
  async deviceKey(dpk: string): Promise<CryptoKey> {
    const hit = this.devices.get(dpk)
    if (hit) return hit
    const key = await importDevicePublicKey(dpk)
    VerifyCache.put(this.devices, dpk, key, this.max)
    return key
  }
}

export async function verifyCode(
  text: string,
  keys: Map<string, CryptoKey>,
  nowSec: number,
  rules: Pick<RuleSet, 'qrMaxAgeSeconds' | 'clockSkewSeconds'>,
  cache?: VerifyCache,
): Promise<VerifyResult> {
  if (typeof text !== 'string' || text.length > MAX_QR_TEXT_LENGTH) return fail('malformed')
  const parts = text.trim().split('.')
  if (parts.some((p) => !p)) return fail('malformed')
  let kind: CredentialKind
  let parsed: ParsedCredential | null
  let t = 0
  let deviceSig: Uint8Array | null = null
  if (parts[0] === PHONE_QR_PREFIX && parts.length === 5) {
    kind = 'phone'
    parsed = parseCredentialParts(parts[1]!, parts[2]!)
    if (!/^\d{1,12}$/.test(parts[3]!)) return fail('malformed')
    t = Number(parts[3])
    deviceSig = b64urlDecode(parts[4]!)
    if (!deviceSig) return fail('malformed')
  } else if (parts[0] === CARD_QR_PREFIX && parts.length === 3) {
    kind = 'card'
    parsed = parseCredentialParts(parts[1]!, parts[2]!)
  } else return fail('malformed')
  // A phone credential shown as a card would skip the device signature and the replay check.
  if (!parsed || parsed.payload.k !== kind) return fail('malformed')
  const { payload, body, sig } = parsed

  const key = keys.get(payload.kid)
  if (!key) return fail('unknown_key')
  // The cache is keyed by kid, body and signature together: a hit is exactly a credential verified before.
  const credKey = `${payload.kid}.${parts[1]}.${parts[2]}`
  if (!cache?.hasVerified(credKey)) {
    if (!(await verifySig(key, sig, body))) return fail('bad_signature')
    cache?.markVerified(credKey)
  }

  if (nowSec + rules.clockSkewSeconds < payload.nbf) return fail('not_yet_valid')
  if (nowSec >= payload.exp) return fail('expired')

  if (kind === 'card') return { ok: true, payload, ageSeconds: 0 }

  let deviceKey: CryptoKey
  try {
    deviceKey = cache ? await cache.deviceKey(payload.dpk!) : await importDevicePublicKey(payload.dpk!)
  } catch {
    return fail('bad_device_signature')
  }
  if (!(await verifySig(deviceKey, deviceSig!, `${body}.${parts[2]}.${parts[3]}`))) return fail('bad_device_signature')
  const age = nowSec - t
  if (age > rules.qrMaxAgeSeconds) return fail('replayed')
  if (-age > rules.clockSkewSeconds) return fail('clock_skew')
  return { ok: true, payload, ageSeconds: Math.max(0, Math.floor(age)) }
}

// ---------------------------------------------------------------------------------------------------------
// card codes: 10 digits, the last a Luhn check digit, so a mistyped digit or swapped pair is caught at the gate

/** Digits only: spaces, dashes and full-width digits as printed or typed are folded away. */
export function normaliseCardCode(s: string): string {
  return s.normalize('NFKC').replace(/[\s-]/g, '')
}

export function luhnCheckDigit(digits: string): number {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 0) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

export function isCardCode(s: string): boolean {
  if (typeof s !== 'string' || !/^\d{10}$/.test(s)) return false
  return luhnCheckDigit(s.slice(0, 9)) === Number(s[9])
}

/** The card code for 9 random digits (the 10th is the Luhn check digit). */
export function makeCardCode(randomDigits: string): string {
  if (!/^\d{9}$/.test(randomDigits)) throw new Error('makeCardCode 需要 9 位数字')
  return randomDigits + luhnCheckDigit(randomDigits)
}

/** A fresh card code from the platform CSPRNG. */
export function randomCardCode(): string {
  const bytes = new Uint32Array(9)
  globalThis.crypto.getRandomValues(bytes)
  return makeCardCode(Array.from(bytes, (b) => String(b % 10)).join(''))
}

/** Card code as printed: "1234 5678 90". */
export function formatCardCode(code: string): string {
  return `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`
}
