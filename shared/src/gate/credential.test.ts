import { beforeAll, describe, expect, it } from 'vitest'
import {
  VerifyCache,
  MAX_QR_TEXT_LENGTH,
  b64urlDecode,
  b64urlDecodeText,
  b64urlEncode,
  cardQrText,
  encodeCredential,
  exportPublicJwk,
  exportRawPublicKey,
  formatCardCode,
  generateSigningKeyPair,
  importDevicePublicKey,
  importServerPrivateKey,
  importServerPublicKey,
  isCardCode,
  isDevicePublicKey,
  makeCardCode,
  normaliseCardCode,
  parseCredential,
  phoneQrText,
  randomCardCode,
  signCredential,
  verifyCode,
} from './credential.js'
import { DEFAULT_RULES } from './rules.js'
import type { CredentialPayload, VerifyResult } from './types.js'

const RULES = { qrMaxAgeSeconds: DEFAULT_RULES.qrMaxAgeSeconds, clockSkewSeconds: DEFAULT_RULES.clockSkewSeconds }
const NOW = 1_795_000_000
const DAY = 86_400

let server: CryptoKeyPair
let otherServer: CryptoKeyPair
let device: CryptoKeyPair
let otherDevice: CryptoKeyPair
let keys: Map<string, CryptoKey>
let phonePayload: CredentialPayload
let cardPayload: CredentialPayload
let phoneCred: string
let cardCred: string

beforeAll(async () => {
  server = await generateSigningKeyPair(true)
  otherServer = await generateSigningKeyPair(true)
  device = await generateSigningKeyPair(false)
  otherDevice = await generateSigningKeyPair(false)
  // As the gate gets them: JWK from the pack.
  keys = new Map([['k2026', await importServerPublicKey(await exportPublicJwk(server.publicKey))]])
  phonePayload = { v: 1, kid: 'k2026', pid: 4211, cid: 17, n: '王*明', k: 'phone', dpk: await exportRawPublicKey(device.publicKey), nbf: NOW - DAY, exp: NOW + 180 * DAY }
  cardPayload = { v: 1, kid: 'k2026', pid: 4212, cid: 17, n: '李*', k: 'card', cc: makeCardCode('314159265'), nbf: NOW - DAY, exp: NOW + 365 * DAY }
  phoneCred = await signCredential(phonePayload, server.privateKey)
  cardCred = await signCredential(cardPayload, server.privateKey)
})

const failure = (r: VerifyResult) => (r.ok ? 'ok' : r.failure)
const verify = (text: string, now = NOW) => verifyCode(text, keys, now, RULES)

describe('sign and verify', () => {
  it('phone QR round trip', async () => {
    const qr = await phoneQrText(phoneCred, device.privateKey, NOW - 20)
    expect(qr.startsWith('CC1.')).toBe(true)
    const r = await verify(qr)
    expect(r).toEqual({ ok: true, payload: phonePayload, ageSeconds: 20 })
    // compact enough for a phone screen QR at arm's length
    expect(qr.length).toBeLessThan(520)
  })

  it('card QR round trip (no device, age 0)', async () => {
    const qr = cardQrText(cardCred)
    expect(qr.startsWith('CC1C.')).toBe(true)
    expect(await verify(qr)).toEqual({ ok: true, payload: cardPayload, ageSeconds: 0 })
    expect(qr.length).toBeLessThan(300)
  })

  it('a scanner’s trailing newline is tolerated', async () => {
    expect(failure(await verify(`${cardQrText(cardCred)}\r\n`))).toBe('ok')
  })

  it('a server key loaded back from its private JWK signs credentials the gate accepts', async () => {
    const priv = await importServerPrivateKey(await crypto.subtle.exportKey('jwk', server.privateKey))
    const cred = await signCredential(cardPayload, priv)
    expect(failure(await verify(cardQrText(cred)))).toBe('ok')
  })

  it('encodeCredential matches signCredential’s layout and the signature is raw 64 bytes', async () => {
    const [, sig] = phoneCred.split('.')
    expect(b64urlDecode(sig!)!.length).toBe(64)
    expect(encodeCredential(phonePayload, b64urlDecode(sig!)!)).toBe(phoneCred)
    expect(parseCredential(phoneCred)).toEqual(phonePayload)
    expect(parseCredential('nope')).toBeNull()
  })
})

describe('refused codes', () => {
  it('tampered payload (another pass id, same signature) → bad_signature', async () => {
    const [, sig] = phoneCred.split('.')
    const forged = `${b64urlEncode(JSON.stringify({ ...phonePayload, pid: 1 }))}.${sig}`
    expect(failure(await verify(await phoneQrText(forged, device.privateKey, NOW)))).toBe('bad_signature')
  })

  it('tampered signature byte → bad_signature', async () => {
    const [body, sig] = cardCred.split('.')
    const bytes = b64urlDecode(sig!)!
    bytes[10] ^= 1
    expect(failure(await verify(cardQrText(`${body}.${b64urlEncode(bytes)}`)))).toBe('bad_signature')
  })

  it('signed by another server key under the same kid → bad_signature', async () => {
    const cred = await signCredential(phonePayload, otherServer.privateKey)
    expect(failure(await verify(await phoneQrText(cred, device.privateKey, NOW)))).toBe('bad_signature')
  })

  it('unknown kid → unknown_key', async () => {
    const cred = await signCredential({ ...cardPayload, kid: 'k1999' }, server.privateKey)
    expect(failure(await verify(cardQrText(cred)))).toBe('unknown_key')
  })

  it('QR signed by another phone → bad_device_signature', async () => {
    expect(failure(await verify(await phoneQrText(phoneCred, otherDevice.privateKey, NOW)))).toBe('bad_device_signature')
  })

  it('a screenshot with its time edited to now → bad_device_signature', async () => {
    const old = await phoneQrText(phoneCred, device.privateKey, NOW - 600)
    const parts = old.split('.')
    parts[3] = String(NOW)
    expect(failure(await verify(parts.join('.')))).toBe('bad_device_signature')
  })

  it('a phone credential shown as a card (skipping the device check) → malformed', async () => {
    expect(failure(await verify(cardQrText(phoneCred)))).toBe('malformed')
  })

  it('a card credential wrapped as a phone QR → malformed', async () => {
    expect(failure(await verify(await phoneQrText(cardCred, device.privateKey, NOW)))).toBe('malformed')
  })
})

describe('replay and clock skew', () => {
  it.each([
    [0, 'ok'],
    [59, 'ok'],
    [60, 'ok'],
    [61, 'replayed'],
    [3600, 'replayed'],
  ])('QR signed %i s ago → %s', async (age, expected) => {
    const qr = await phoneQrText(phoneCred, device.privateKey, NOW - age)
    expect(failure(await verify(qr))).toBe(expected)
  })

  it.each([
    [1, 'ok'],
    [119, 'ok'],
    [120, 'ok'],
    [121, 'clock_skew'],
    [-121, 'replayed'],
  ])('phone clock %i s ahead of the gate → %s', async (ahead, expected) => {
    const qr = await phoneQrText(phoneCred, device.privateKey, NOW + ahead)
    const r = await verify(qr)
    expect(failure(r)).toBe(expected)
    if (r.ok) expect(r.ageSeconds).toBe(0)
  })

  it('a gate whose clock is 119 s behind accepts a fresh QR; 121 s behind refuses it', async () => {
    const qr = await phoneQrText(phoneCred, device.privateKey, NOW)
    expect(failure(await verify(qr, NOW - 119))).toBe('ok')
    expect(failure(await verify(qr, NOW - 121))).toBe('clock_skew')
  })

  it('the rule set decides the window', async () => {
    const qr = await phoneQrText(phoneCred, device.privateKey, NOW - 45)
    expect(failure(await verifyCode(qr, keys, NOW, { qrMaxAgeSeconds: 30, clockSkewSeconds: 0 }))).toBe('replayed')
  })
})

describe('validity window', () => {
  it('expired the second it expires; valid the second before', async () => {
    const qrAt = async (t: number) => verify(await phoneQrText(phoneCred, device.privateKey, t), t)
    expect(failure(await qrAt(phonePayload.exp - 1))).toBe('ok')
    expect(failure(await qrAt(phonePayload.exp))).toBe('expired')
    expect(failure(await verify(cardQrText(cardCred), cardPayload.exp + 10))).toBe('expired')
  })

  it('not yet valid, with the clock skew tolerated at the start (gate clock behind the server)', async () => {
    const cred = await signCredential({ ...cardPayload, nbf: NOW + 119 }, server.privateKey)
    expect(failure(await verify(cardQrText(cred)))).toBe('ok')
    const later = await signCredential({ ...cardPayload, nbf: NOW + 121 }, server.privateKey)
    expect(failure(await verify(cardQrText(later)))).toBe('not_yet_valid')
  })
})

describe('malformed input never throws', () => {
  const cases: [string, () => string][] = [
    ['empty', () => ''],
    ['garbage', () => 'hello world'],
    ['a URL from another QR', () => 'https://weixin.qq.com/r/abc'],
    ['wrong prefix', () => `CC2.${phoneCred}.${NOW}.AAAA`],
    ['lower-case prefix', () => `cc1c.${cardCred}`],
    ['phone QR with 4 parts', () => `CC1.${phoneCred}.${NOW}`],
    ['card QR with 4 parts', () => `CC1C.${cardCred}.x`],
    ['bad base64 in payload', () => `CC1C.!!!!.${cardCred.split('.')[1]}`],
    ['base64 of length 4n+1', () => `CC1C.abcde.${cardCred.split('.')[1]}`],
    ['padded base64', () => `CC1C.${cardCred.split('.')[0]}==.${cardCred.split('.')[1]}`],
    ['payload not JSON', () => `CC1C.${b64urlEncode('not json')}.${cardCred.split('.')[1]}`],
    ['payload JSON of the wrong shape', () => `CC1C.${b64urlEncode(JSON.stringify({ v: 2, pid: 'x' }))}.${cardCred.split('.')[1]}`],
    ['payload not UTF-8', () => `CC1C.${b64urlEncode(new Uint8Array([0xff, 0xfe, 0x7b]))}.${cardCred.split('.')[1]}`],
    ['time not a number', () => `CC1.${phoneCred}.soon.AAAA`],
    ['time negative', () => `CC1.${phoneCred}.-5.AAAA`],
    ['empty signature', () => `CC1.${phoneCred}.${NOW}.`],
    ['huge input', () => `CC1C.${'A'.repeat(1_000_000)}.${cardCred.split('.')[1]}`],
  ]
  it.each(cases)('%s → malformed', async (_name, text) => {
    expect(failure(await verify(text()))).toBe('malformed')
  })

  it('a huge input is refused before any work', async () => {
    const t0 = performance.now()
    expect(failure(await verify('CC1.' + 'A.'.repeat(5_000_000)))).toBe('malformed')
    expect(performance.now() - t0).toBeLessThan(50)
    expect(MAX_QR_TEXT_LENGTH).toBeGreaterThan((await phoneQrText(phoneCred, device.privateKey, NOW)).length * 2)
  })

  it('a short device signature → bad_device_signature, not a crash', async () => {
    expect(failure(await verify(`CC1.${phoneCred}.${NOW}.AAAA`))).toBe('bad_device_signature')
  })

  it('non-string input → malformed', async () => {
    expect(failure(await verifyCode(null as unknown as string, keys, NOW, RULES))).toBe('malformed')
  })
})

describe('keys', () => {
  it('device public key: raw P-256 point round trip; garbage refused', async () => {
    const raw = await exportRawPublicKey(device.publicKey)
    expect(b64urlDecode(raw)!.length).toBe(65)
    expect(await exportRawPublicKey(await importDevicePublicKey(raw))).toBe(raw)
    expect(await isDevicePublicKey(raw)).toBe(true)
    for (const bad of ['', 'AAAA', raw.slice(1), raw + 'A', 42, null]) expect(await isDevicePublicKey(bad)).toBe(false)
    await expect(importDevicePublicKey('AAAA')).rejects.toThrow('设备公钥格式不正确')
  })

  it('a non-extractable device key still signs QR codes', async () => {
    expect(device.privateKey.extractable).toBe(false)
    await expect(crypto.subtle.exportKey('jwk', device.privateKey)).rejects.toThrow()
  })
})

describe('base64url', () => {
  it('round trips every byte value and UTF-8 text, without padding', () => {
    const all = new Uint8Array(256).map((_, i) => i)
    for (let n = 0; n <= 5; n++) {
      const s = b64urlEncode(all.slice(0, 250 + n))
      expect(s).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(b64urlDecode(s)).toEqual(all.slice(0, 250 + n))
    }
    expect(b64urlDecodeText(b64urlEncode('王*明 任港路新村'))).toBe('王*明 任港路新村')
  })

  it('refuses standard base64 characters and padding', () => {
    expect(b64urlDecode('ab+/')).toBeNull()
    expect(b64urlDecode('YQ==')).toBeNull()
    expect(b64urlDecode('YQ')).toEqual(new Uint8Array([97]))
  })
})

describe('card codes (10 digits, Luhn)', () => {
  it('makeCardCode appends the Luhn digit', () => {
    expect(makeCardCode('123456789')).toBe('1234567897')
    expect(makeCardCode('000000000')).toBe('0000000000')
    expect(() => makeCardCode('12345')).toThrow()
    expect(isCardCode('1234567897')).toBe(true)
  })

  it('catches every single mistyped digit and every adjacent swap (but 0↔9)', () => {
    for (let n = 0; n < 50; n++) {
      const code = randomCardCode()
      expect(isCardCode(code)).toBe(true)
      for (let i = 0; i < 10; i++) {
        for (let d = 0; d <= 9; d++) {
          if (String(d) === code[i]) continue
          expect(isCardCode(code.slice(0, i) + d + code.slice(i + 1))).toBe(false)
        }
        if (i < 9 && code[i] !== code[i + 1] && `${code[i]}${code[i + 1]}` !== '09' && `${code[i]}${code[i + 1]}` !== '90') {
          expect(isCardCode(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2))).toBe(false)
        }
      }
    }
  })

  it('refuses wrong lengths and non-digits; typed forms normalise', () => {
    for (const bad of ['', '123456789', '12345678970', '12345678 7', 'abcdefghij']) expect(isCardCode(bad)).toBe(false)
    expect(normaliseCardCode('１２３４ 5678-97')).toBe('1234567897')
    expect(formatCardCode('1234567897')).toBe('1234 5678 97')
  })
})

describe('with a verify cache (as the server and the gate keep one)', () => {
  it('a credential seen before skips its server signature; forgeries are still refused', async () => {
    const cache = new VerifyCache()
    const v = (text: string, k = keys) => verifyCode(text, k, NOW, RULES, cache)
    expect(failure(await v(await phoneQrText(phoneCred, device.privateKey, NOW)))).toBe('ok')
    expect(failure(await v(cardQrText(cardCred)))).toBe('ok')
    // Proof the cache is used: under a key that would refuse it, the remembered credential still verifies…
    const wrong = new Map([['k2026', await importServerPublicKey(await exportPublicJwk(otherServer.publicKey))]])
    expect(failure(await v(await phoneQrText(phoneCred, device.privateKey, NOW), wrong))).toBe('ok')
    expect(failure(await verifyCode(await phoneQrText(phoneCred, device.privateKey, NOW), wrong, NOW, RULES))).toBe('bad_signature')
    // …while every forgery of the remembered credential is refused as without a cache.
    const [body, sig] = phoneCred.split('.')
    const forged = `${b64urlEncode(JSON.stringify({ ...phonePayload, pid: 1 }))}.${sig}`
    expect(failure(await v(await phoneQrText(forged, device.privateKey, NOW)))).toBe('bad_signature')
    const bytes = b64urlDecode(sig!)!
    bytes[3] ^= 1
    expect(failure(await v(await phoneQrText(`${body}.${b64urlEncode(bytes)}`, device.privateKey, NOW)))).toBe('bad_signature')
    expect(failure(await v(await phoneQrText(phoneCred, otherDevice.privateKey, NOW)))).toBe('bad_device_signature')
    expect(failure(await v(await phoneQrText(phoneCred, device.privateKey, NOW - 61)))).toBe('replayed')
    expect(failure(await v(await phoneQrText(phoneCred, device.privateKey, NOW), new Map()))).toBe('unknown_key')
  })

  it('stays bounded', async () => {
    const cache = new VerifyCache(2)
    for (const c of ['a', 'b', 'c']) cache.markVerified(c)
    expect([cache.hasVerified('a'), cache.hasVerified('b'), cache.hasVerified('c')]).toEqual([false, true, true])
  })
})
