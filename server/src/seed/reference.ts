import type { Tx } from '../db/client.js'

/** Reference data every deployment needs (categories, clocks). Idempotent: runs at every start. */
export async function seedReferenceData(_tx: Tx): Promise<void> {}
