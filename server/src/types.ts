import type { Role } from '@cc/shared'
import type pg from 'pg'
import type { AppConfig } from './config.js'
import type { Db } from './db/client.js'

/** Who is calling, read from the verified access token. */
export interface AuthContext {
  userId: number
  grantId: number
  role: Role
  orgId: number | null
  /** Materialised path of the scope org ("/1/4/"), null for residents. */
  orgPath: string | null
  /** The login (refresh-token family) the access token belongs to. */
  sid?: string | null
}

/**
 * How a route decides who may call it. Every /api/v1 route must declare one (app.ts refuses to start
 * otherwise) and the access plugin enforces it before the handler runs.
 * - public: anyone, no token.
 * - roles + scope none: any of the roles; what they see is limited to themselves/their scope by the service.
 * - roles + scope org: an org id in the request must lie inside the caller's scope.
 * - roles + scope resource: the resource named by an id in the request must lie inside the caller's scope
 *   (staff; with `exact`, belong to the caller's own org) or belong to the caller (residents).
 */
export type Access =
  | { public: true }
  | { roles: readonly Role[]; scope: { kind: 'none' } }
  | { roles: readonly Role[]; scope: { kind: 'org'; from: 'params' | 'query' | 'body'; key: string } }
  | {
      roles: readonly Role[]
      /** exact: staff must hold the resource's own org, not an org above it (one accountable unit per task). */
      scope: { kind: 'resource'; resource: string; from: 'params' | 'query' | 'body'; key: string; exact?: boolean }
    }

export interface ResourceScope {
  /** Org paths the resource belongs to; staff whose scope covers any of them may act on it. */
  paths: string[]
  /** Residents may act on resources they own (a report: its reporter and the people who joined it). */
  ownerIds?: number[]
}
export type ScopeResolver = (db: Db, id: number) => Promise<ResourceScope | null>

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
    /**
     * How a keyed POST is made safe to retry. 'store' (default): the first answer is kept in
     * idempotency_keys and replayed. 'handler': the handler itself is idempotent on the key (a unique
     * (user, client key) column), so retries — even while the first is still running, or after a crash —
     * get the saved record, and the store's round trips are skipped.
     */
    idempotency?: 'store' | 'handler'
  }
  interface FastifyRequest {
    auth: AuthContext | null
    idem: { userId: number; key: string } | null
  }
  interface FastifyInstance {
    config: AppConfig
    db: Db
    pool: pg.Pool
    scopeResolvers: Map<string, ScopeResolver>
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** `sid`: the refresh-token family (login) the token belongs to, so logging out or disabling stops it. */
    payload: { sub: string; gid: number; sid?: string; role: Role; org: number | null; path: string | null }
    user: { sub: string; gid: number; sid?: string; role: Role; org: number | null; path: string | null }
  }
}
