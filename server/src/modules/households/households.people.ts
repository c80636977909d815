import { sql } from 'drizzle-orm'
import { idNumberError, inScope, maskIdNumber, maskName, normaliseIdNumber } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import { decrypt, encrypt, lookupHash } from '../../crypto.js'
import type { DbOrTx, Tx } from '../../db/client.js'
import { AppError, badRequest, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import type { Member } from './households.schemas.js'

/** A pass is valid for half a year from registration; the worker renews by re-registering. */
export const PASS_VALID_DAYS = 180

/** The form a person's identity is stored in: ciphertext, HMAC for look-ups, and the masked text screens show. */
export interface SealedPerson {
  name: string
  nameMasked: string
  idEnc: Buffer
  idHash: string
  idMasked: string
  phoneEnc: Buffer | null
  phoneHash: string | null
  phoneLast4: string | null
}

export const idHashOf = (config: AppConfig, id: string) => lookupHash(config.hmacKey, `id:${id}`)
/** Same key and prefix as users.phone_hash, so a registered phone finds the resident's account. */
export const phoneHashOf = (config: AppConfig, phone: string) => lookupHash(config.hmacKey, `phone:${phone}`)

/** Normalises and checks an ID number; the error names the problem in Chinese. */
export function checkIdNumber(raw: string): string {
  const problem = idNumberError(raw)
  if (problem) throw badRequest(problem)
  return normaliseIdNumber(raw)
}

/**
 * Why a typed name cannot be a person's name, or null. Blanks or invisible characters only; digits or
 * brackets (a shifted column, a pasted cell); a leading = + - @ that a spreadsheet runs as a formula when
 * the register is exported and opened again.
 */
export function nameError(name: string): string | null {
  const n = name.trim()
  if (!n.replace(/[\s\p{Cf}]/gu, '')) return '请填写姓名'
  if (/[\p{Cc}\d<>[\]{}]/u.test(n) || /^[=+\-@]/.test(n)) return '姓名格式不对'
  return null
}

export function sealPerson(config: AppConfig, name: string, id: string, phone: string | null | undefined): SealedPerson {
  const n = name.trim()
  return {
    name: n,
    nameMasked: maskName(n),
    idEnc: encrypt(config.dataKey, id),
    idHash: idHashOf(config, id),
    idMasked: maskIdNumber(id),
    phoneEnc: phone ? encrypt(config.dataKey, phone) : null,
    phoneHash: phone ? phoneHashOf(config, phone) : null,
    phoneLast4: phone ? phone.slice(-4) : null,
  }
}

export const addressOf = (r: { compoundName?: string; buildingName: string; units?: number; unit: number; room: string }) =>
  `${r.compoundName ?? ''}${r.buildingName}${(r.units ?? 2) > 1 ? `${r.unit}单元` : ''}${r.room}`

export const isUniqueViolation = (e: unknown, index: string) => (e as { code?: string; constraint?: string }).code === '23505' && (e as { constraint?: string }).constraint === index

/**
 * A person lives in one household at a time. Says where they are registered — the room when that lies
 * in the caller's scope, only "another community" otherwise.
 */
export async function assertNotRegistered(tx: DbOrTx, auth: AuthContext | null, idHash: string): Promise<void> {
  const r = await tx.execute(sql`
    SELECT c.name AS "compoundName", c.path, b.name AS "buildingName", b.units, h.unit, h.room
    FROM residents r JOIN households h ON h.id = r.household_id JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = r.compound_id
    WHERE r.id_hash = ${idHash} AND r.moved_out IS NULL`)
  const row = r.rows[0] as { compoundName: string; path: string; buildingName: string; units: number; unit: number; room: string } | undefined
  if (!row) return
  if (auth?.orgPath && inScope(auth.orgPath, row.path)) throw conflict(`此人已登记在${addressOf(row)}，请先在原住户办理迁出`)
  throw conflict('此人已登记在其他社区，请先在原社区办理迁出')
}

/**
 * Inserts a resident and their pass in the caller's transaction. The resident's account is linked when
 * the registered phone is the one they log in with and nobody else registered that phone (a shared family
 * phone links nobody: the pass must go to the person it names).
 */
export async function insertResidentWithPass(
  tx: Tx,
  auth: AuthContext | null,
  v: SealedPerson & {
    householdId: number
    compoundId: number
    relation: string
    elderlyAlone?: boolean
    noSmartphone?: boolean
    disabled?: boolean
    movedIn?: string | null
    userId?: number | null
  },
): Promise<{ residentId: number; passId: number }> {
  await assertNotRegistered(tx, auth, v.idHash)
  let row: { id: number } | undefined
  try {
    const r = await tx.execute(sql`
      INSERT INTO residents (household_id, compound_id, name, name_masked, id_enc, id_hash, id_masked, phone_enc, phone_hash, phone_last4,
        relation, elderly_alone, no_smartphone, disabled, moved_in, user_id)
      VALUES (${v.householdId}, ${v.compoundId}, ${v.name}, ${v.nameMasked}, ${v.idEnc}, ${v.idHash}, ${v.idMasked}, ${v.phoneEnc}, ${v.phoneHash}, ${v.phoneLast4},
        ${v.relation}, ${v.elderlyAlone ?? false}, ${v.noSmartphone ?? false}, ${v.disabled ?? false}, ${v.movedIn ?? null}, ${v.userId ?? null})
      RETURNING id`)
    row = r.rows[0] as { id: number }
  } catch (e) {
    if (isUniqueViolation(e, 'residents_id_hash_current_uq')) throw conflict('此人刚刚已被登记，请刷新后查看')
    throw e
  }
  const p = await tx.execute(sql`
    INSERT INTO passes (resident_id, compound_id, status, valid_until)
    VALUES (${row.id}, ${v.compoundId}, 'active', now() + make_interval(days => ${PASS_VALID_DAYS})) RETURNING id`)
  if (!v.userId && v.phoneHash) await linkByPhoneFor(tx, [row.id])
  return { residentId: row.id, passId: (p.rows[0] as { id: number }).id }
}

/** Links the given new residents to the account that logs in with their phone, where that phone is theirs alone. */
export async function linkByPhoneFor(tx: DbOrTx, residentIds: number[]): Promise<number> {
  if (residentIds.length === 0) return 0
  const r = await tx.execute(sql`
    UPDATE residents r SET user_id = u.id, updated_at = now()
    FROM users u
    WHERE r.id = ANY(${sql.raw(`'{${residentIds.map(Number).join(',')}}'`)}::int[]) AND r.user_id IS NULL AND u.phone_hash = r.phone_hash
      AND NOT EXISTS (SELECT 1 FROM residents o WHERE o.phone_hash = r.phone_hash AND o.id <> r.id AND o.moved_out IS NULL)`)
  return r.rowCount ?? 0
}

/**
 * For the auth service, on every SMS login: links the registered resident whose phone this is (when the
 * phone is theirs alone and the row is not yet linked). Returns the resident ids now linked to the user.
 */
export async function linkResidentsByPhone(db: DbOrTx, userId: number, phoneHash: string): Promise<number[]> {
  const r = await db.execute(sql`
    UPDATE residents r SET user_id = ${userId}, updated_at = now()
    WHERE r.phone_hash = ${phoneHash} AND r.user_id IS NULL AND r.moved_out IS NULL
      AND (SELECT count(*) FROM residents o WHERE o.phone_hash = ${phoneHash} AND o.moved_out IS NULL) = 1
    RETURNING r.id`)
  return (r.rows as { id: number }[]).map((x) => x.id)
}

export const decryptPhone = (config: AppConfig, enc: Buffer | null) => (enc ? decrypt(config.dataKey, enc) : null)

/** Members of the given households, with their pass, in one query. */
export async function membersOf(db: DbOrTx, householdIds: number[]): Promise<Map<number, Member[]>> {
  const out = new Map<number, Member[]>()
  if (householdIds.length === 0) return out
  const r = await db.execute(sql`
    SELECT r.household_id AS "householdId", r.id, r.name_masked AS "nameMasked", r.id_masked AS "idMasked", r.phone_last4 AS "phoneLast4",
      r.relation, r.elderly_alone AS "elderlyAlone", r.no_smartphone AS "noSmartphone", r.disabled,
      to_char(r.moved_in, 'YYYY-MM-DD') AS "movedIn", to_char(r.moved_out, 'YYYY-MM-DD') AS "movedOut", r.user_id IS NOT NULL AS linked,
      p.id AS "passId", p.status AS "passStatus"
    FROM residents r LEFT JOIN passes p ON p.resident_id = r.id AND p.compound_id = r.compound_id
    WHERE r.household_id = ANY(${sql.raw(`'{${householdIds.map(Number).join(',')}}'`)}::int[])
    ORDER BY r.household_id, r.moved_out IS NOT NULL, (r.relation <> '户主'), r.id`)
  for (const row of r.rows as (Member & { householdId: number })[]) {
    const { householdId, ...m } = row
    const list = out.get(householdId) ?? []
    list.push(m)
    out.set(householdId, list)
  }
  return out
}

export function assertCompound(kind: string | undefined): void {
  if (kind !== 'compound') throw new AppError('VALIDATION', '请选择小区')
}
