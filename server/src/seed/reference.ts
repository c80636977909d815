import { DEFAULT_CATEGORIES } from '@cc/shared'
import type { Tx } from '../db/client.js'
import { categories } from '../modules/complaints/complaints.table.js'

/** Reference data every deployment needs. Idempotent: runs at every start, never overwrites edits. */
export async function seedReferenceData(tx: Tx): Promise<void> {
  await tx
    .insert(categories)
    .values(DEFAULT_CATEGORIES.map((c, i) => ({ code: c.code, name: c.name, signHours: c.signHours, rectifyDays: c.rectifyDays, sort: i })))
    .onConflictDoNothing({ target: categories.code })
}
