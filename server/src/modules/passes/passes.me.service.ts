import { sql } from 'drizzle-orm'
import { importDevicePublicKey, parseCredential, type CredentialPayload, type PassStatus } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { AppError, notFound } from '../../errors.js'
import type { Signer } from './passes.signing.js'

/** A phone credential lives a week at most: the phone refreshes it while online; a lost phone's dies soon. */
const PHONE_CREDENTIAL_SECONDS = 7 * 86400
/** Tolerates a gate whose clock is a little behind the server's. */
const NBF_SLACK_SECONDS = 300

export interface MyPass {
  passId: number
  compoundId: number
  compoundName: string
  nameMasked: string
  status: PassStatus
  validUntil: string
  device: boolean
  /** The public key of the phone the pass is bound to (public, not secret): a phone whose key differs was replaced. */
  deviceKey: string | null
}

/** The resident's side of passes: list their own, bind this phone's key and get a signed credential. */
export function createMyPasses(db: Db, signer: Signer) {
  return {
    async list(userId: number): Promise<{ items: MyPass[] }> {
      const r = await db.execute(sql`
        SELECT p.id AS "passId", p.compound_id AS "compoundId", c.name AS "compoundName", r.name_masked AS "nameMasked",
               p.status, p.valid_until AS "validUntil",
               EXISTS (SELECT 1 FROM pass_devices d WHERE d.pass_id = p.id AND d.revoked_at IS NULL) AS device,
               (SELECT d.public_key FROM pass_devices d WHERE d.pass_id = p.id AND d.revoked_at IS NULL) AS "deviceKey"
        FROM residents r
        JOIN passes p ON p.resident_id = r.id
        JOIN org_units c ON c.id = p.compound_id
        WHERE r.user_id = ${userId} AND r.moved_out IS NULL
        ORDER BY p.id`)
      return { items: (r.rows as unknown as MyPass[]).map((p) => ({ ...p, validUntil: new Date(p.validUntil).toISOString() })) }
    },

    /**
     * Binds a device key to the pass and returns its credential. A new key replaces the previous device
     * (a lost phone stops working at the gates: its key goes on the deny list until its credential would
     * have expired); the same key again just renews the credential.
     */
    async registerDevice(userId: number, passId: number, publicKey: string): Promise<{ credential: string; payload: CredentialPayload & { k: 'phone'; dpk: string }; exp: string }> {
      try {
        await importDevicePublicKey(publicKey)
      } catch {
        throw new AppError('VALIDATION', '设备公钥格式不正确（需要 P-256 公钥）')
      }
      const nowSec = Math.floor(Date.now() / 1000)
      const payload = await db.transaction(async (tx) => {
        const r = await tx.execute(sql`
          SELECT p.id, p.compound_id AS "compoundId", p.status, p.valid_until AS "validUntil", r.name_masked AS "nameMasked"
          FROM passes p JOIN residents r ON r.id = p.resident_id
          WHERE p.id = ${passId} AND r.user_id = ${userId} AND r.moved_out IS NULL
          FOR UPDATE OF p`)
        const p = r.rows[0] as { id: number; compoundId: number; status: PassStatus; validUntil: string; nameMasked: string } | undefined
        if (!p) throw notFound('通行证')
        if (p.status !== 'active') throw new AppError('CONFLICT', p.status === 'suspended' ? '通行证已暂停，请联系社区' : '通行证已注销，请联系社区')
        const validUntil = Math.floor(new Date(p.validUntil).getTime() / 1000)
        const exp = Math.min(validUntil, nowSec + PHONE_CREDENTIAL_SECONDS)
        if (exp <= nowSec) throw new AppError('CONFLICT', '通行证已过期，请联系社区')
        const existing = (
          await tx.execute(sql`SELECT id, pass_id AS "passId", revoked_at AS "revokedAt" FROM pass_devices WHERE public_key = ${publicKey}`)
        ).rows[0] as { id: number; passId: number; revokedAt: string | null } | undefined
        if (existing && (existing.passId !== p.id || existing.revokedAt)) throw new AppError('CONFLICT', '该设备密钥已失效，请在手机上重新生成后再试')
        if (existing) {
          await tx.execute(sql`UPDATE pass_devices SET credential_exp = to_timestamp(${exp}) WHERE id = ${existing.id}`)
        } else {
          await tx.execute(sql`UPDATE pass_devices SET revoked_at = now() WHERE pass_id = ${p.id} AND revoked_at IS NULL`)
          await tx.execute(sql`
            INSERT INTO pass_devices (pass_id, user_id, public_key, credential_exp) VALUES (${p.id}, ${userId}, ${publicKey}, to_timestamp(${exp}))`)
        }
        return { v: 1, pid: p.id, cid: p.compoundId, n: p.nameMasked, k: 'phone', dpk: publicKey, nbf: nowSec - NBF_SLACK_SECONDS, exp } as const
      }).catch((e: unknown) => {
        // The same key sent for another pass at the same moment: the unique key index decides.
        if ((e as { code?: string }).code === '23505') throw new AppError('CONFLICT', '该设备密钥已失效，请在手机上重新生成后再试')
        throw e
      })
      const credential = await signer.issue(payload)
      const { kid } = parseCredential(credential)!
      return { credential, payload: { ...payload, kid }, exp: new Date(payload.exp * 1000).toISOString() }
    },
  }
}

export type MyPasses = ReturnType<typeof createMyPasses>
