import fp from 'fastify-plugin'
import type { FastifyRequest, RouteOptions } from 'fastify'
import { inScope } from '@cc/shared'
import { AppError } from '../errors.js'
import { AccountState } from '../modules/auth/account-state.js'
import type { Access, AuthContext } from '../types.js'

/** Every route the API registered, with its access rule: the authorization test walks this list. */
export interface RegisteredRoute {
  method: string
  url: string
  access: Access
  /** Its request schemas, so sweeps over every route (authorization, hostile input) can build requests. */
  schema: { body?: unknown; querystring?: unknown; params?: unknown }
}

declare module 'fastify' {
  interface FastifyInstance {
    apiRoutes: RegisteredRoute[]
    accountState: AccountState
  }
}

function pick(req: FastifyRequest, from: 'params' | 'query' | 'body', key: string): number | null {
  const src = (from === 'params' ? req.params : from === 'query' ? req.query : req.body) as Record<string, unknown> | undefined
  const v = src?.[key]
  if (v === undefined || v === null || v === '') return null
  const n = Number(v)
  return Number.isInteger(n) && n > 0 ? n : NaN
}

async function authenticate(req: FastifyRequest, accounts: AccountState): Promise<AuthContext> {
  const header = req.headers.authorization
  if (!header?.startsWith('Bearer ')) throw new AppError('UNAUTHENTICATED')
  let p: { sub: string; gid: number; sid?: string; role: import('@cc/shared').Role; org: number | null; path: string | null }
  try {
    p = await req.jwtVerify()
  } catch (e) {
    const code = (e as { code?: string }).code
    throw new AppError(code === 'FST_JWT_AUTHORIZATION_TOKEN_EXPIRED' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED')
  }
  // A valid signature is not enough: the account may have been disabled or logged out since it was issued.
  if (!(await accounts.isActive({ userId: Number(p.sub), grantId: p.gid, sid: p.sid }))) throw new AppError('UNAUTHENTICATED', '登录已失效，请重新登录')
  return { userId: Number(p.sub), grantId: p.gid, role: p.role, orgId: p.org, orgPath: p.path, sid: p.sid ?? null }
}

/**
 * Role and scope enforcement for every /api/v1 route. The role is checked on request (before a body is
 * even read); the scope once the input is parsed. Routes without an access rule refuse to register.
 */
export default fp(async (app) => {
  app.decorateRequest('auth', null)
  app.decorate('apiRoutes', [] as RegisteredRoute[])
  app.decorate('scopeResolvers', new Map())
  const accounts = new AccountState(app.pool)
  app.decorate('accountState', accounts)

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/v1')) return
    const access = route.config?.access as Access | undefined
    if (!access) throw new Error(`route ${route.method} ${route.url} declares no access rule`)
    if (!route.schema?.response) throw new Error(`route ${route.method} ${route.url} declares no response schema`)
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const schema = { body: route.schema.body, querystring: route.schema.querystring, params: route.schema.params }
    for (const m of methods) if (m !== 'HEAD') app.apiRoutes.push({ method: m, url: route.url, access, schema })
  })

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access as Access | undefined
    if (!access) return
    if ('public' in access) {
      // Public routes still know who is calling when a token is sent (e.g. a logged-in resident reading).
      if (req.headers.authorization) req.auth = await authenticate(req, accounts).catch(() => null)
      return
    }
    req.auth = await authenticate(req, accounts)
    if (!access.roles.includes(req.auth.role)) throw new AppError('FORBIDDEN')
  })

  app.addHook('preValidation', async (req) => {
    const access = req.routeOptions.config?.access as Access | undefined
    if (!access || 'public' in access || access.scope.kind === 'none') return
    const auth = req.auth!
    const id = pick(req, access.scope.from, access.scope.key)
    if (id === null) return // optional scope input; the service narrows to the caller's scope
    if (Number.isNaN(id)) throw new AppError('VALIDATION', '编号格式不正确')
    if (access.scope.kind === 'org') {
      if (auth.role === 'resident') return // residents may name any place (e.g. where they report)
      const path = await orgPath(req, id)
      if (!path) throw new AppError('NOT_FOUND', '找不到该单位')
      if (!auth.orgPath || !inScope(auth.orgPath, path)) throw new AppError('OUT_OF_SCOPE')
      return
    }
    const resolver = app.scopeResolvers.get(access.scope.resource)
    if (!resolver) throw new Error(`no scope resolver for ${access.scope.resource}`)
    const scope = await resolver(app.db, id)
    if (!scope) throw new AppError('NOT_FOUND')
    if (auth.role === 'resident') {
      if (!scope.ownerIds?.includes(auth.userId)) throw new AppError('NOT_FOUND')
      return
    }
    if (!auth.orgPath || !scope.paths.some((p) => inScope(auth.orgPath!, p))) throw new AppError('OUT_OF_SCOPE')
    if (access.scope.exact && !scope.paths.includes(auth.orgPath)) throw new AppError('OUT_OF_SCOPE', '该任务由其他责任单位办理')
  })

  async function orgPath(_req: FastifyRequest, id: number): Promise<string | null> {
    const r = await app.pool.query<{ path: string }>({ name: 'org_path', text: 'SELECT path FROM org_units WHERE id = $1', values: [id] })
    return r.rows[0]?.path ?? null
  }
})
