import { createHash } from 'node:crypto'
import { sql } from 'drizzle-orm'
import { importServerPublicKey, signCredential, type CredentialPayload } from '@cc/shared'
import { decrypt, encrypt } from '../../crypto.js'
import type { Db } from '../../db/client.js'

const subtle = globalThis.crypto.subtle
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const
/** Another instance may have added a key (rotation); verify-side caches are refreshed this often. */
const VERIFY_TTL_MS = 5 * 60_000
/** Serialises the first use across instances: only one of them generates the key. */
const KEY_LOCK = 727_107

export interface PublicKeyEntry {
  kid: string
  jwk: JsonWebKey
}

export interface Signer {
  /** Signs a credential with the current key; the signer fills in `kid`. */
  issue(payload: Omit<CredentialPayload, 'kid'>): Promise<string>
  /** Public keys a gate needs to verify credentials offline (the gate pack lists them). */
  publicKeys(): Promise<PublicKeyEntry[]>
  /** The same keys imported for verification, cached. */
  keysForVerify(): Promise<Map<string, CryptoKey>>
}

interface KeyRow {
  kid: string
  publicJwk: string
  privateEnc: Buffer
}

/**
 * The server's credential signing key (ECDSA P-256). Made on first use; its private half is kept AES-GCM
 * encrypted under the data key in `signing_keys`, imported non-extractable in memory. Gates only ever get
 * the public half, so nothing a gate holds can mint a pass.
 */
export function createSigner(db: Db, dataKey: Buffer): Signer {
  let current: Promise<{ kid: string; key: CryptoKey }> | null = null
  let verify: { at: number; keys: Promise<{ list: PublicKeyEntry[]; map: Map<string, CryptoKey> }> } | null = null

  async function activeRows(): Promise<KeyRow[]> {
    const r = await db.execute(
      sql`SELECT kid, public_jwk AS "publicJwk", private_enc AS "privateEnc" FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid`,
    )
    return r.rows as unknown as KeyRow[]
  }

  async function loadOrCreate(): Promise<{ kid: string; key: CryptoKey }> {
    let [row] = await activeRows()
    if (!row) {
      const pair = (await subtle.generateKey(P256, true, ['sign', 'verify'])) as CryptoKeyPair
      const publicJwk = await subtle.exportKey('jwk', pair.publicKey)
      const privateJwk = await subtle.exportKey('jwk', pair.privateKey)
      const kid = createHash('sha256').update(`${publicJwk.x}.${publicJwk.y}`).digest('base64url').slice(0, 12)
      // Two instances starting together: the advisory lock lets one insert; the other finds its key.
      await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${KEY_LOCK})`)
        await tx.execute(sql`
          INSERT INTO signing_keys (kid, public_jwk, private_enc)
          SELECT ${kid}, ${JSON.stringify({ kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y })},
                 ${encrypt(dataKey, JSON.stringify(privateJwk))}
          WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE retired_at IS NULL)
          ON CONFLICT (kid) DO NOTHING`)
      })
      ;[row] = await activeRows()
      if (!row) throw new Error('signing key could not be created')
    }
    const jwk = JSON.parse(decrypt(dataKey, Buffer.from(row.privateEnc))) as JsonWebKey
    const key = await subtle.importKey('jwk', jwk, P256, false, ['sign'])
    return { kid: row.kid, key }
  }

  function signingKey() {
    // One promise per process: concurrent first calls share it; a failure is retried on the next call.
    current ??= loadOrCreate().catch((e) => {
      current = null
      throw e
    })
    return current
  }

  function verifyKeys() {
    if (verify && Date.now() - verify.at < VERIFY_TTL_MS) return verify.keys
    const keys = (async () => {
      await signingKey() // makes sure a key exists before a gate asks for it
      const rows = await activeRows()
      const list = rows.map((r) => ({ kid: r.kid, jwk: JSON.parse(r.publicJwk) as JsonWebKey }))
      const map = new Map<string, CryptoKey>()
      for (const e of list) map.set(e.kid, await importServerPublicKey(e.jwk))
      return { list, map }
    })()
    verify = { at: Date.now(), keys }
    keys.catch(() => (verify = null))
    return keys
  }

  return {
    async issue(payload) {
      const { kid, key } = await signingKey()
      return signCredential({ ...payload, kid } as CredentialPayload, key)
    },
    publicKeys: async () => (await verifyKeys()).list,
    keysForVerify: async () => (await verifyKeys()).map,
  }
}
