import type pg from 'pg'

export interface TokenSubject {
  userId: number
  grantId: number
  /** The refresh-token family (one login) the access token was issued in; absent in tokens minted elsewhere. */
  sid?: string | null
}

const TTL_MS = 5_000
const MAX_ENTRIES = 10_000

/**
 * Whether the account behind an access token may still act: not disabled, still holding the role grant,
 * its login (refresh family) not revoked. Access tokens live 15 minutes; without this check a disabled
 * account or a logged-out phone kept working until they expired.
 *
 * Answers are cached for at most 5 s so a request costs no query most of the time; this process drops them
 * at once on disable and logout, other instances see the change within the TTL.
 */
export class AccountState {
  private readonly cache = new Map<string, { ok: boolean; at: number }>()

  constructor(
    private readonly pool: pg.Pool,
    private readonly ttlMs = TTL_MS,
  ) {}

  async isActive(s: TokenSubject): Promise<boolean> {
    const key = `${s.userId}:${s.grantId}:${s.sid ?? ''}`
    const now = Date.now()
    const hit = this.cache.get(key)
    if (hit && now - hit.at < this.ttlMs) return hit.ok
    const r = await this.pool.query<{ ok: boolean }>({
      name: 'account_state',
      text: `SELECT NOT u.disabled
          AND EXISTS (SELECT 1 FROM role_grants g WHERE g.id = $2 AND g.user_id = u.id)
          AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM refresh_tokens t WHERE t.family_id = $3::uuid AND t.revoked_at IS NULL)) AS ok
        FROM users u WHERE u.id = $1`,
      values: [s.userId, s.grantId, s.sid ?? null],
    })
    const ok = r.rows[0]?.ok === true
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!)
    this.cache.delete(key) // re-insert so the oldest entries are the first to go
    this.cache.set(key, { ok, at: now })
    return ok
  }

  forgetUser(userId: number) {
    for (const k of this.cache.keys()) if (k.startsWith(`${userId}:`)) this.cache.delete(k)
  }

  forgetFamily(sid: string) {
    for (const k of this.cache.keys()) if (k.endsWith(`:${sid}`)) this.cache.delete(k)
  }

  /** Disables an account: its refresh tokens are revoked and its access tokens stop on the next request. */
  async disable(userId: number) {
    const client = await this.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('UPDATE users SET disabled = true, updated_at = now() WHERE id = $1', [userId])
      await client.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId])
      await client.query('COMMIT')
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {})
      throw e
    } finally {
      client.release()
    }
    this.forgetUser(userId)
  }
}
