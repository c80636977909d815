import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import type { Storage } from '../modules/uploads/storage.js'

const BATCH = 500

/**
 * Photos uploaded but never attached to a report (the form was abandoned) go after a day: their rows first,
 * then their files. Deleting the row first means a photo being attached at this very moment keeps its row
 * (the foreign key refuses the delete) and a file is never removed from under a live row; a file left over
 * by a failed delete is harmless.
 */
export async function pruneUploads(db: Db, storage: Storage, now = new Date()): Promise<number> {
  let total = 0
  for (;;) {
    const r = await db.execute(sql`
      DELETE FROM uploads WHERE id IN (
        SELECT u.id FROM uploads u
        WHERE u.created_at < ${now.toISOString()}::timestamptz - interval '24 hours'
          AND NOT EXISTS (SELECT 1 FROM complaint_photos p WHERE p.upload_id = u.id)
          -- the trip's foreign key only nulls itself on delete, so a 行程卡 photo must be kept explicitly
          AND NOT EXISTS (SELECT 1 FROM returnee_trips t WHERE t.travel_card_upload_id = u.id)
          -- a 红黑榜 inspection photo is evidence for ever
          AND NOT EXISTS (SELECT 1 FROM redblack_evidence ev WHERE ev.photo_ids ? u.id::text)
        LIMIT ${BATCH})
      RETURNING storage_key AS "storageKey", thumb_key AS "thumbKey"`)
    const rows = r.rows as { storageKey: string; thumbKey: string }[]
    for (const f of rows) {
      await storage.delete(f.storageKey).catch(() => {})
      await storage.delete(f.thumbKey).catch(() => {})
    }
    total += rows.length
    if (rows.length < BATCH) return total
  }
}

/** Login codes live 5 minutes; the daily send limit looks back one day, so older rows serve nothing. */
export async function pruneSmsCodes(db: Db, now = new Date()): Promise<number> {
  const r = await db.execute(sql`DELETE FROM sms_codes WHERE created_at < ${now.toISOString()}::timestamptz - interval '1 day'`)
  return r.rowCount ?? 0
}

/** A retry comes within minutes, not days: stored answers are kept for 24 hours. */
export async function pruneIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const r = await db.execute(sql`DELETE FROM idempotency_keys WHERE created_at < ${now.toISOString()}::timestamptz - interval '24 hours'`)
  return r.rowCount ?? 0
}

/**
 * Refresh tokens past their expiry can neither be used nor matter for reuse detection (an expired token is
 * refused anyway); revoked ones are kept until then, so presenting one still revokes its family.
 */
export async function pruneRefreshTokens(db: Db, now = new Date()): Promise<number> {
  const r = await db.execute(sql`DELETE FROM refresh_tokens WHERE expires_at < ${now.toISOString()}::timestamptz`)
  return r.rowCount ?? 0
}

/** 我也遇到 is allowed for a day on what /complaints/similar showed; older rows serve nothing. */
export async function pruneSimilarShown(db: Db, now = new Date()): Promise<number> {
  const r = await db.execute(sql`DELETE FROM complaint_similar_shown WHERE shown_at < ${now.toISOString()}::timestamptz - interval '1 day'`)
  return r.rowCount ?? 0
}

/** One hourly sweep over everything that only grows. */
export async function cleanup(db: Db, storage: Storage, now = new Date()) {
  return {
    uploads: await pruneUploads(db, storage, now),
    smsCodes: await pruneSmsCodes(db, now),
    idempotencyKeys: await pruneIdempotencyKeys(db, now),
    refreshTokens: await pruneRefreshTokens(db, now),
    similarShown: await pruneSimilarShown(db, now),
  }
}
