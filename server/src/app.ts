import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import cookie from '@fastify/cookie'
import jwt from '@fastify/jwt'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type pg from 'pg'
import { ERRORS, ProblemSchema } from '@cc/shared'
import type { AppConfig } from './config.js'
import { createDb } from './db/client.js'
import { AppError } from './errors.js'
import accessPlugin from './plugins/access.js'
import securityHeaders from './plugins/security-headers.js'
import errorsPlugin, { sendProblem } from './plugins/errors.js'
import h5Plugin from './plugins/h5.js'
import idempotencyPlugin from './plugins/idempotency.js'
import { pgRateLimitStore } from './plugins/rate-limit-store.js'
import { authRoutes } from './modules/auth/auth.routes.js'
import { createAuthService } from './modules/auth/auth.service.js'
import { AliyunSmsProvider, DevSmsProvider, type SmsProvider } from './modules/auth/sms.js'
import { WechatClient } from './modules/auth/wechat.client.js'
import { orgRoutes } from './modules/org/org.routes.js'
import { bulletinsAdminRoutes, bulletinsPublicRoutes } from './modules/bulletins/bulletins.routes.js'
import { createBulletinsService, type BulletinsService } from './modules/bulletins/bulletins.service.js'
import { adminComplaintsRoutes, complaintsRoutes, tasksRoutes, trackRoutes } from './modules/complaints/complaints.routes.js'
import { createComplaintsService, type ComplaintsService } from './modules/complaints/complaints.service.js'
import { complaintScope } from './modules/complaints/complaints.scope.js'
import { complaintsExportRoutes } from './modules/complaints/complaints.export.js'
import { bulletinsExportRoutes } from './modules/bulletins/bulletins.export.js'
import { messagesRoutes } from './modules/notify/messages.routes.js'
import { LocalStorage, type Storage } from './modules/uploads/storage.js'
import { uploadsRoutes } from './modules/uploads/uploads.routes.js'
import { createUploadsService } from './modules/uploads/uploads.service.js'
import { createSigner, type Signer } from './modules/passes/passes.signing.js'
import { myPassesRoutes } from './modules/passes/passes.me.routes.js'
import { createMyPasses } from './modules/passes/passes.me.service.js'
import { gateRoutes, rulesRoutes } from './modules/gate/gate.routes.js'
import { createGateService } from './modules/gate/gate.service.js'
import { createRuleSets, type RuleSets } from './modules/gate/gate.rules.js'
import { createVisitors } from './modules/gate/gate.visitors.js'
import { meRegisterRoutes, registerRoutes } from './modules/households/households.routes.js'
import { createHouseholdsService } from './modules/households/households.service.js'
import { createImportService } from './modules/households/households.import.js'
import { createClaimsService } from './modules/households/households.claims.js'
import { REGISTER_SCOPES } from './modules/households/households.scope.js'
import { passesAdminRoutes } from './modules/passes/passes.admin.routes.js'
import { createPassesAdminService } from './modules/passes/passes.admin.service.js'
import { keyAreasRoutes, meReturneesRoutes, returneesRoutes } from './modules/returnees/returnees.routes.js'
import { createReturneesService } from './modules/returnees/returnees.service.js'
import { createKeyAreas } from './modules/returnees/returnees.keyareas.js'
import { createSweep } from './modules/returnees/returnees.sweep.js'
import { meFollowupRoutes, quarantineRoutes } from './modules/quarantine/quarantine.routes.js'
import { createCases } from './modules/quarantine/quarantine.service.js'
import { createFollowups } from './modules/quarantine/quarantine.followups.js'
import { createSites } from './modules/quarantine/quarantine.sites.js'
import { createExports } from './modules/quarantine/quarantine.export.js'
import { QUARANTINE_SCOPES } from './modules/quarantine/quarantine.scope.js'
import { dashboardRoutes } from './modules/dashboard/dashboard.routes.js'
import { createRedblack, redblackAdminRoutes, redblackPublicRoutes } from './modules/redblack/index.js'
import { publicHomeRoutes } from './modules/public/public.routes.js'
import { JSSDK_ORIGIN } from './modules/public/public.page.js'
import { wechatShareRoutes } from './modules/public/public.wechat.js'
import './types.js'

export interface BuildOptions {
  config: AppConfig
  pool: pg.Pool
  /** Overrides for tests: a recording SMS provider, a fetch that reaches the fake servers. */
  sms?: SmsProvider
  logger?: FastifyServerOptions['logger']
}

export interface Services {
  sms: SmsProvider
  wechat: WechatClient
  complaints: ComplaintsService
  bulletins: BulletinsService
  storage: Storage
  /** Signs pass credentials (resident phones, printed cards). */
  signer: Signer
  /** Admission rule sets (the active one cached). */
  rules: RuleSets
}

/** Builds the whole app: infrastructure plugins, then each domain module, then static H5. Never listens. */
export async function build(opts: BuildOptions): Promise<FastifyInstance & { services: Services }> {
  const { config, pool } = opts
  const app = Fastify({
    logger: opts.logger ?? { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 256 * 1024,
    ajv: { customOptions: { allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorate('config', config)
  app.decorate('pool', pool)
  app.decorate('db', createDb(pool))

  const sms: SmsProvider =
    opts.sms ?? (config.sms.provider === 'dev' ? new DevSmsProvider() : new AliyunSmsProvider(config.sms))
  const wechat = new WechatClient(config.wechat)
  const storage = new LocalStorage(config.uploadDir)
  const complaints = createComplaintsService(app.db, config)
  const services: Services = {
    sms,
    wechat,
    complaints,
    bulletins: createBulletinsService(app.db, complaints),
    storage,
    signer: createSigner(app.db, config.dataKey),
    rules: createRuleSets(app.db),
  }
  app.decorate('services', services)

  await app.register(errorsPlugin)
  // HSTS and upgrade-insecure-requests only when the public URL is https: a phone opening
  // http://<LAN address> would otherwise have its scripts upgraded to an https nobody serves.
  const https = config.publicBaseUrl.startsWith('https://')
  await app.register(securityHeaders, {
    options: {
      hsts: https ? { maxAge: 15552000, includeSubDomains: true } : false,
      contentSecurityPolicy: {
        directives: {
          upgradeInsecureRequests: https ? [] : null,
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // One fixed policy for every response (built once). The documents that load WeChat's JS-SDK
          // (res.wx.qq.com) add it, and /home's WeChat rendering the hash of its one inline script, to their
          // own response only: the H5's index.html and /home inside WeChat, and only with a 服务号 configured.
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
    },
  })
  await app.register(cookie)
  await app.register(jwt, { secret: config.jwtSecret, sign: { algorithm: 'HS256' }, verify: { algorithms: ['HS256'], cache: 10_000 } })
  await app.register(rateLimit, {
    global: false,
    // Counted in PostgreSQL so several instances agree; per user once the access plugin (an earlier onRequest
    // hook) knows who is calling, per IP only for anonymous routes (login, codes), where it is a coarse guard.
    store: pgRateLimitStore(pool),
    keyGenerator: (req) => (req.auth ? `u:${req.auth.userId}` : `ip:${req.ip}`),
    errorResponseBuilder: (_req, ctx) => new AppError('RATE_LIMITED', `操作太频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`),
  })
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 9, fields: 20, parts: 30 } })
  await app.register(swagger, {
    openapi: {
      info: { title: '崇川在线 API', version: '1.0.0', description: '居民反映—交办—整改—通报闭环，以及卡口、隔离管理。' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true })
  app.addSchema(ProblemSchema)
  await app.register(accessPlugin)
  await app.register(idempotencyPlugin)

  app.get('/healthz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await pool.query('SELECT 1')
      return { ok: true }
    } catch {
      return reply.code(503).send({ ok: false })
    }
  })

  const auth = createAuthService({ app, sms, wechat })
  await app.register(authRoutes(auth), { prefix: '/api/v1/auth' })
  await app.register(orgRoutes, { prefix: '/api/v1/org' })
  app.scopeResolvers.set('complaint', complaintScope)
  await app.register(uploadsRoutes(createUploadsService(app.db, storage), storage), { prefix: '/api/v1/uploads' })
  await app.register(complaintsRoutes(complaints), { prefix: '/api/v1/complaints' })
  await app.register(adminComplaintsRoutes(complaints), { prefix: '/api/v1/admin' })
  await app.register(complaintsExportRoutes(app.db), { prefix: '/api/v1/admin' })
  await app.register(tasksRoutes(complaints), { prefix: '/api/v1/tasks' })
  await app.register(trackRoutes(complaints), { prefix: '/api/v1/track' })
  await app.register(bulletinsPublicRoutes(services.bulletins), { prefix: '/api/v1/bulletins' })
  await app.register(bulletinsAdminRoutes(services.bulletins), { prefix: '/api/v1/admin/bulletins' })
  await app.register(bulletinsExportRoutes(app.db), { prefix: '/api/v1/admin/bulletins' })
  await app.register(messagesRoutes, { prefix: '/api/v1/messages' })
  await app.register(myPassesRoutes(createMyPasses(app.db, services.signer)), { prefix: '/api/v1/me/passes' })
  await app.register(
    gateRoutes({
      gate: createGateService({ db: app.db, config, signer: services.signer, rules: services.rules }),
      visitors: createVisitors(app.db, config),
      rules: services.rules,
      signer: services.signer,
    }),
    { prefix: '/api/v1/gate' },
  )
  await app.register(rulesRoutes(services.rules), { prefix: '/api/v1/rules' })
  for (const [name, resolver] of Object.entries(REGISTER_SCOPES)) app.scopeResolvers.set(name, resolver)
  const claims = createClaimsService(app.db, config)
  await app.register(registerRoutes(createHouseholdsService(app.db, config), createImportService(app.db, config), claims), { prefix: '/api/v1/register' })
  await app.register(meRegisterRoutes(claims), { prefix: '/api/v1/me' })
  await app.register(passesAdminRoutes(createPassesAdminService(app.db), services.signer), { prefix: '/api/v1/passes' })
  for (const [name, resolver] of Object.entries(QUARANTINE_SCOPES)) app.scopeResolvers.set(name, resolver)
  const returnees = createReturneesService(app.db, config)
  const quarantineCases = createCases(app.db)
  const followups = createFollowups(app.db)
  await app.register(returneesRoutes(returnees, createSweep(app.db)), { prefix: '/api/v1/returnees' })
  await app.register(meReturneesRoutes(returnees), { prefix: '/api/v1/me/returnees' })
  await app.register(meFollowupRoutes(followups, quarantineCases), { prefix: '/api/v1/me/returnees' })
  await app.register(keyAreasRoutes(createKeyAreas(app.db)), { prefix: '/api/v1/key-areas' })
  await app.register(quarantineRoutes(quarantineCases, followups, createSites(app.db), createExports(app.db, config)), { prefix: '/api/v1/quarantine' })
  await app.register(dashboardRoutes, { prefix: '/api/v1/dashboard' })
  const redblack = createRedblack(app.db)
  await app.register(redblackPublicRoutes(redblack.reads), { prefix: '/api/v1/redblack' })
  await app.register(redblackAdminRoutes(redblack), { prefix: '/api/v1/admin/redblack' })
  await app.register(wechatShareRoutes({ wechat, publicBaseUrl: config.publicBaseUrl }), { prefix: '/api/v1/public/wechat' })
  await app.register(
    publicHomeRoutes({ db: app.db, complaints, redblack: redblack.reads, baseUrl: config.publicBaseUrl, wechatShare: wechat.officialAccount }),
  )

  await app.register(h5Plugin, { dist: config.h5Dist, documentScripts: wechat.officialAccount ? [JSSDK_ORIGIN] : [] })
  app.setNotFoundHandler((req, reply) => {
    const page = app.sendH5Page(req, reply)
    if (page) return page
    return sendProblem(reply, {
      type: 'urn:cc:error:NOT_FOUND',
      title: ERRORS.NOT_FOUND.title,
      status: 404,
      code: 'NOT_FOUND',
      detail: `没有 ${req.method} ${req.url.split('?')[0]} 这个接口`,
    })
  })

  await app.ready()
  return app as unknown as FastifyInstance & { services: Services }
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services
  }
}
