import type pg from 'pg'

/**
 * A @fastify/rate-limit store kept in PostgreSQL (table rate_limits), so every API instance counts the same
 * window. One atomic upsert per request: a new key starts at 1, an expired window restarts at 1, otherwise
 * the count goes up by one — no read-then-write, so concurrent requests on any instance cannot both slip in.
 */
const INCR = `
  INSERT INTO rate_limits AS r (key, count, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
  ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.count + 1 END,
    reset_at = CASE WHEN r.reset_at <= now() THEN excluded.reset_at ELSE r.reset_at END
  RETURNING count, greatest(0, ceil(extract(epoch FROM r.reset_at - now()) * 1000))::float8 AS ttl`

/** Every this many increments (per process) expired windows are deleted; they are harmless meanwhile. */
const SWEEP_EVERY = 1000

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void
interface RouteParams {
  routeInfo?: { method?: string | string[]; url?: string }
}

export function pgRateLimitStore(pool: pg.Pool) {
  let calls = 0
  return class PgRateLimitStore {
    /** Keys are per route, like the plugin's own per-route stores: "POST /api/v1/complaints|u:12". */
    constructor(
      _params: unknown,
      private readonly prefix = '',
    ) {}

    // The plugin passes the route's window (ms) as a third argument; its typings do not list it yet.
    incr(key: string, cb: Callback, timeWindow = 60_000) {
      pool.query<{ count: number; ttl: number }>({ name: 'rate_limit_incr', text: INCR, values: [this.prefix + key, timeWindow] }).then(
        (r) => cb(null, { current: r.rows[0]!.count, ttl: r.rows[0]!.ttl }),
        (e: Error) => cb(e),
      )
      if (++calls % SWEEP_EVERY === 0) pool.query(`DELETE FROM rate_limits WHERE reset_at < now()`).catch(() => {})
    }

    // Typed as the plugin declares it; at run time it is the route's merged limit options with routeInfo.
    child(params: object) {
      const r = (params as RouteParams).routeInfo
      return new PgRateLimitStore(params, r ? `${[r.method].flat().join(',')} ${r.url}|` : '')
    }
  }
}
