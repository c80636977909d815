import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, pruneIdempotencyKeys, pruneRefreshTokens, pruneSimilarShown, pruneSmsCodes, pruneUploads } from '../../server/src/jobs/cleanup.js'
import { DevSmsProvider } from '../../server/src/modules/auth/sms.js'
import { MAX_UNATTACHED_UPLOADS } from '../../server/src/modules/uploads/uploads.service.js'
import { createTestApp, residentLogin, type TestApp } from '../helper.js'
import { fileReport, upload } from './flow.js'

/** Everything that only grew: each prune job run directly against the database, then the caps. */

let app: TestApp
let resident: Awaited<ReturnType<typeof residentLogin>>
beforeAll(async () => {
  app = await createTestApp()
  resident = await residentLogin(app, '13611112222')
})
afterAll(() => app.close2())

const count = async (table: string, where = 'TRUE', values: unknown[] = []) =>
  (await app.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, values)).rows[0].n as number
const fileOf = (key: string) => path.join(app.config.uploadDir, key)

describe('cleanup jobs', () => {
  it('prunes uploads never attached to a report after 24 h, files included, and keeps attached and recent ones', async () => {
    const old = (await upload(app, resident.headers)).json().id as string
    const attached = (await upload(app, resident.headers)).json().id as string
    const recent = (await upload(app, resident.headers)).json().id as string
    expect((await fileReport(app, resident.headers, { photoIds: [attached] })).statusCode).toBe(201)
    await app.pool.query(`UPDATE uploads SET created_at = now() - interval '25 hours' WHERE id = ANY($1)`, [[old, attached]])
    const oldKeys = (await app.pool.query(`SELECT storage_key, thumb_key FROM uploads WHERE id = $1`, [old])).rows[0]
    expect(existsSync(fileOf(oldKeys.storage_key))).toBe(true)

    expect(await pruneUploads(app.db, app.services.storage)).toBe(1)
    expect(await count('uploads', 'id = $1', [old])).toBe(0)
    expect(existsSync(fileOf(oldKeys.storage_key))).toBe(false)
    expect(existsSync(fileOf(oldKeys.thumb_key))).toBe(false)
    expect(await count('uploads', 'id = ANY($1)', [[attached, recent]])).toBe(2)
    expect((await app.inject({ url: `/api/v1/uploads/${attached}/full` })).statusCode).toBe(200)
  })

  it('prunes SMS codes older than a day', async () => {
    await app.pool.query(`INSERT INTO sms_codes (phone_hash, code_hash, expires_at, created_at) VALUES ('h-old', 'c', now() - interval '2 days', now() - interval '25 hours'), ('h-new', 'c', now(), now())`)
    expect(await pruneSmsCodes(app.db)).toBeGreaterThanOrEqual(1)
    expect(await count('sms_codes', `phone_hash = 'h-old'`)).toBe(0)
    expect(await count('sms_codes', `phone_hash = 'h-new'`)).toBe(1)
  })

  it('prunes idempotency keys older than 24 h', async () => {
    await app.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, route, request_hash, created_at) VALUES (0, 'old-key-000', 'POST /x', 'h', now() - interval '25 hours'), (0, 'new-key-000', 'POST /x', 'h', now())`,
    )
    expect(await pruneIdempotencyKeys(app.db)).toBe(1)
    expect(await count('idempotency_keys', `key = 'new-key-000'`)).toBe(1)
  })

  it('prunes refresh tokens past their expiry, revoked or not, and keeps live and revoked-but-unexpired ones', async () => {
    const g = (await app.pool.query(`SELECT id FROM role_grants WHERE user_id = $1`, [resident.userId])).rows[0].id
    const ins = (hash: string, expires: string, revoked: boolean) =>
      app.pool.query(
        `INSERT INTO refresh_tokens (user_id, grant_id, family_id, token_hash, expires_at, revoked_at) VALUES ($1, $2, gen_random_uuid(), $3, now() + $4::interval, ${revoked ? 'now()' : 'NULL'})`,
        [resident.userId, g, hash, expires],
      )
    await ins('t-expired', '-1 day', false)
    await ins('t-expired-revoked', '-1 hour', true)
    await ins('t-revoked-live', '+10 days', true)
    await ins('t-live', '+10 days', false)
    expect(await pruneRefreshTokens(app.db)).toBe(2)
    const left = (await app.pool.query(`SELECT token_hash FROM refresh_tokens WHERE token_hash LIKE 't-%' ORDER BY token_hash`)).rows.map((r) => r.token_hash)
    expect(left).toEqual(['t-live', 't-revoked-live'])
  })

  it('prunes what /complaints/similar showed more than a day ago, and keeps the rest', async () => {
    const c = (await app.pool.query(`SELECT id FROM complaints LIMIT 2`)).rows.map((r) => r.id as number)
    if (c.length < 2) {
      const cat = (await app.pool.query(`SELECT id FROM complaint_categories LIMIT 1`)).rows[0].id
      for (let i = c.length; i < 2; i++)
        c.push((await app.pool.query(`INSERT INTO complaints (tracking_code, reporter_id, client_key, category_id, address, description, anonymous) VALUES ($1, $2, $3, $4, '任港路', '门口无人值守', false) RETURNING id`, [`CCPRUNE${i}`, resident.userId, `prune-${i}`, cat])).rows[0].id)
    }
    await app.pool.query(`INSERT INTO complaint_similar_shown (user_id, complaint_id, shown_at) VALUES ($1, $2, now() - interval '2 days'), ($1, $3, now())`, [resident.userId, c[0], c[1]])
    expect(await pruneSimilarShown(app.db)).toBe(1)
    expect(await count('complaint_similar_shown', 'user_id = $1', [resident.userId])).toBe(1)
  })

  it('runs all of them as one job', async () => {
    expect(await cleanup(app.db, app.services.storage)).toEqual({ uploads: 0, smsCodes: 0, idempotencyKeys: 0, refreshTokens: 0, similarShown: 0 })
  })
})

describe('caps', () => {
  it(`refuses a ${MAX_UNATTACHED_UPLOADS + 1}th unattached upload with 429 in Chinese`, async () => {
    const r = await residentLogin(app, '13611113333')
    const u = await app.pool.query(`SELECT storage_key, thumb_key FROM uploads LIMIT 1`)
    // Fill up to the cap directly (re-encoding 30 photos would only slow the test), then upload for real.
    await app.pool.query(
      `INSERT INTO uploads (id, owner_id, purpose, mime, bytes, width, height, original_bytes, storage_key, thumb_key)
       SELECT gen_random_uuid(), $1, 'report', 'image/jpeg', 1, 1, 1, 1, $2, $3 FROM generate_series(1, $4)`,
      [r.userId, u.rows[0].storage_key, u.rows[0].thumb_key, MAX_UNATTACHED_UPLOADS - 1],
    )
    expect((await upload(app, r.headers)).statusCode).toBe(201)
    const refused = await upload(app, r.headers)
    expect(refused.statusCode).toBe(429)
    expect(refused.json().detail).toContain('未提交的照片')
    expect(await count('uploads', 'owner_id = $1', [r.userId])).toBe(MAX_UNATTACHED_UPLOADS)
  })

  it('keeps only the latest codes in the demo SMS provider', async () => {
    const sms = new DevSmsProvider()
    for (let i = 0; i < DevSmsProvider.KEEP + 50; i++) await sms.sendCode('13700000000', String(i).padStart(6, '0'))
    expect(sms.sent.length).toBe(DevSmsProvider.KEEP)
    expect(sms.sent.at(-1)!.code).toBe(String(DevSmsProvider.KEEP + 49).padStart(6, '0'))
  })
})
