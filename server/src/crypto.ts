import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt } from 'node:crypto'

/** AES-256-GCM: iv(12) | tag(16) | ciphertext. Used for phone and ID numbers at rest. */
export function encrypt(key: Buffer, plain: string): Buffer {
  const iv = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', key, iv)
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()])
  return Buffer.concat([iv, c.getAuthTag(), body])
}

export function decrypt(key: Buffer, blob: Buffer): string {
  const d = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12))
  d.setAuthTag(blob.subarray(12, 28))
  return Buffer.concat([d.update(blob.subarray(28)), d.final()]).toString('utf8')
}

/** Deterministic keyed hash for looking up encrypted values (phone → user). */
export function lookupHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url')
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url')
export const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0')
