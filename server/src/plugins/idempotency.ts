import fp from 'fastify-plugin'
import { createHash } from 'node:crypto'
import { AppError } from '../errors.js'

const KEY_RE = /^[A-Za-z0-9_-]{8,100}$/
/** A key still "in progress" after this long belongs to a crashed request and may be retried. */
const STALE_SECONDS = 120

/**
 * `Idempotency-Key` on authenticated POSTs: the first answer is stored and replayed to every retry, so a
 * flaky mobile network never creates a second record. A retry while the first is still running gets 409.
 */
export default fp(async (app) => {
  app.decorateRequest('idem', null)

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.auth) return
    const key = req.headers['idempotency-key']
    if (key === undefined) return
    if (typeof key !== 'string' || !KEY_RE.test(key)) throw new AppError('VALIDATION', 'Idempotency-Key 格式不正确')
    const route = `${req.method} ${req.routeOptions.url}`
    const body = req.isMultipart() ? '' : JSON.stringify(req.body ?? null)
    const hash = createHash('sha256').update(`${route}\n${JSON.stringify(req.params)}\n${body}`).digest('base64url')
    const userId = req.auth.userId
    const ins = await app.pool.query(
      `INSERT INTO idempotency_keys (user_id, key, route, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, key) DO UPDATE SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, created_at = now()
         WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => $5)
       RETURNING 1`,
      [userId, key, route, hash, STALE_SECONDS],
    )
    if (ins.rowCount === 1) {
      req.idem = { userId, key }
      return
    }
    const prev = await app.pool.query<{ route: string; request_hash: string; status_code: number | null; response: unknown }>(
      'SELECT route, request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [userId, key],
    )
    const row = prev.rows[0]
    if (!row) throw new AppError('IDEMPOTENCY_IN_PROGRESS')
    if (row.route !== route || (body !== '' && row.request_hash !== hash)) throw new AppError('IDEMPOTENCY_MISMATCH')
    if (row.status_code === null) throw new AppError('IDEMPOTENCY_IN_PROGRESS')
    reply.header('idempotent-replayed', 'true')
    const isProblem = row.status_code >= 400
    return reply
      .code(row.status_code)
      .type(isProblem ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8')
      .send(row.response)
  })

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idem) return payload
    const { userId, key } = req.idem
    req.idem = null
    if (reply.statusCode >= 500 || reply.statusCode === 409 || reply.statusCode === 429) {
      // Not a final answer: let the client try again with the same key.
      await app.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status_code IS NULL', [userId, key])
      return payload
    }
    let json: unknown = null
    try {
      json = typeof payload === 'string' ? JSON.parse(payload) : null
    } catch {
      json = null
    }
    await app.pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2', [
      userId,
      key,
      reply.statusCode,
      JSON.stringify(json),
    ])
    return payload
  })

  app.addHook('onResponse', async (req) => {
    // The client went away before we answered.
    if (req.idem) await app.pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status_code IS NULL', [req.idem.userId, req.idem.key])
  })
})
