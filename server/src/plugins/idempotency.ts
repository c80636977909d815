import fp from 'fastify-plugin'
import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { AppError } from '../errors.js'

const KEY_RE = /^[A-Za-z0-9_-]{8,100}$/
/** A key still "in progress" after this long belongs to a crashed request and may be run again. */
const STALE_SECONDS = 60
/** A retry that arrives while the first request is still running waits this long for its answer. */
const WAIT_MS = 4000

interface KeyRow {
  fresh: boolean
  route: string | null
  request_hash: string | null
  status_code: number | null
  response: unknown
}

/**
 * `Idempotency-Key` on authenticated POSTs: a flaky mobile network must never create a second record.
 *
 * Routes marked `config.idempotency = 'handler'` are idempotent by themselves (the key is a unique column of
 * the record they create): the key is only validated here and handed to the handler. Every other keyed
 * POST goes through the store: the first answer is kept and replayed to every retry; a retry that arrives
 * while the first is still running waits for it briefly.
 *
 * Nothing here ever replies or writes after the answer left: the store is written in onSend, before the
 * answer is written, and a client that hung up simply never reads it — its retry gets the stored answer.
 */
export default fp(async (app) => {
  app.decorateRequest('idem', null)

  const claim = (userId: number, key: string, route: string, hash: string) =>
    // One round trip: claim the key (or take over a stale claim), and read what is there otherwise.
    app.pool.query<KeyRow>(
      `WITH ins AS (
         INSERT INTO idempotency_keys (user_id, key, route, request_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, key) DO UPDATE SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, created_at = now()
           WHERE idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => $5)
         RETURNING 1)
       SELECT EXISTS (SELECT 1 FROM ins) AS fresh, k.route, k.request_hash, k.status_code, k.response
       FROM (SELECT 1) one LEFT JOIN idempotency_keys k ON k.user_id = $1 AND k.key = $2`,
      [userId, key, route, hash, STALE_SECONDS],
    )

  app.addHook('preHandler', async (req, reply) => {
    if (req.method !== 'POST' || !req.auth) return
    const key = req.headers['idempotency-key']
    if (key === undefined) return
    if (typeof key !== 'string' || !KEY_RE.test(key)) throw new AppError('VALIDATION', 'Idempotency-Key 格式不正确')
    if (req.routeOptions.config?.idempotency === 'handler') return
    const route = `${req.method} ${req.routeOptions.url}`
    const body = req.isMultipart() ? '' : JSON.stringify(req.body ?? null)
    const hash = createHash('sha256').update(`${route}\n${JSON.stringify(req.params)}\n${body}`).digest('base64url')
    const userId = req.auth.userId
    const deadline = Date.now() + WAIT_MS
    for (;;) {
      const row = (await claim(userId, key, route, hash)).rows[0]!
      if (row.fresh) {
        req.idem = { userId, key }
        return
      }
      if (row.route === null) continue // the first request's claim was just withdrawn: claim again
      if (row.route !== route || (body !== '' && row.request_hash !== hash)) throw new AppError('IDEMPOTENCY_MISMATCH')
      if (row.status_code !== null) {
        reply.header('idempotent-replayed', 'true')
        reply.code(row.status_code).type(row.status_code >= 400 ? 'application/problem+json; charset=utf-8' : 'application/json; charset=utf-8')
        return reply.send(row.response)
      }
      if (Date.now() > deadline) {
        reply.header('retry-after', '2')
        throw new AppError('IDEMPOTENCY_IN_PROGRESS')
      }
      await sleep(100)
    }
  })

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.idem) return payload
    const { userId, key } = req.idem
    req.idem = null
    try {
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
      await app.pool.query('UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2', [userId, key, reply.statusCode, JSON.stringify(json)])
    } catch (err) {
      // The answer itself is right; only its copy for retries failed. The claim goes stale and a retry runs again.
      req.log.error({ err }, 'idempotency store write failed')
    }
    return payload
  })
})
