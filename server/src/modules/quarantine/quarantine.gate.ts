import { sql } from 'drizzle-orm'
import type { DbOrTx, Tx } from '../../db/client.js'
import { raiseAlert } from './quarantine.followups.js'

/**
 * The gate link. A resident on the register (passes.resident_id → residents.id) who is a returnee in home
 * quarantine may not go out. The person is matched by ID-number HMAC (residents.id_hash = returnees.id_hash),
 * so it holds whether the returnee was registered before or after the register entry, and the state is the
 * live one: released, transferred or lost people pass again without anyone lifting anything by hand.
 */

/** Pass ids of the compound's residents in home quarantine: the gate pack's `deny.quarantinedPassIds`. */
export async function homeQuarantinedPassIds(db: DbOrTx, compoundId: number): Promise<number[]> {
  const r = await db.execute(sql`
    SELECT p.id FROM residents r JOIN returnees rt ON rt.id_hash = r.id_hash AND rt.state = 'home' JOIN passes p ON p.resident_id = r.id
    WHERE r.compound_id = ${compoundId} AND r.moved_out IS NULL
    ORDER BY p.id`)
  return r.rows.map((x) => Number((x as { id: number }).id))
}

/** Whether the holder of this pass is in home quarantine now (the online scan's `homeQuarantine` fact). */
export async function isHomeQuarantined(db: DbOrTx, passId: number): Promise<boolean> {
  const r = await db.execute(sql`
    SELECT EXISTS (SELECT 1 FROM passes p JOIN residents r ON r.id = p.resident_id JOIN returnees rt ON rt.id_hash = r.id_hash AND rt.state = 'home' WHERE p.id = ${passId}) AS q`)
  return Boolean((r.rows[0] as { q: boolean }).q)
}

/**
 * A home-quarantined resident tried to go out: an alert on the community's today list and a message to its
 * worker and the street, in the gate's transaction. Returns false when the pass holder is not quarantined.
 */
export async function alertQuarantineExit(tx: Tx, passId: number, gateName: string): Promise<boolean> {
  const r = await tx.execute(sql`
    SELECT rt.current_case_id AS "caseId", rt.id AS "returneeId", rt.community_id AS "communityId", rt.name_masked AS n
    FROM passes p JOIN residents r ON r.id = p.resident_id JOIN returnees rt ON rt.id_hash = r.id_hash AND rt.state = 'home'
    WHERE p.id = ${passId} LIMIT 1`)
  const c = r.rows[0] as { caseId: number; returneeId: number; communityId: number; n: string } | undefined
  if (!c) return false
  await raiseAlert(tx, { caseId: c.caseId, returneeId: c.returneeId, communityId: c.communityId, kind: 'gate', text: `居家隔离人员 ${c.n} 试图从${gateName}外出，已拦下` })
  return true
}

/**
 * The same fact as a column expression for the gate's one-statement look-up (residents aliased `r`):
 * `SELECT …, ${HOME_QUARANTINE_EXISTS} AS "homeQuarantine" FROM passes p JOIN residents r ON r.id = p.resident_id …`.
 * Two index probes (returnees_id_hash_uq), no extra round trip on the scan path.
 */
export const HOME_QUARANTINE_EXISTS = `EXISTS (SELECT 1 FROM returnees rt WHERE rt.id_hash = r.id_hash AND rt.state = 'home')`
