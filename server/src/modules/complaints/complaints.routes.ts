import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminComplaint,
  AdminListQuery,
  AdminStats,
  AssignBody,
  Category,
  ComplaintRow,
  CreateComplaintBody,
  DecideBody,
  ExtensionBody,
  IdParams,
  MergeBody,
  NoteBody,
  RateBody,
  ReassignRequestBody,
  RectifyBody,
  RejectBody,
  ResidentComplaint,
  ReturnBody,
  SimilarItem,
  SimilarQuery,
  UnitComplaint,
  TaskStats,
  PublicComplaint,
  StatusSchema,
  TextLine,
} from '@cc/shared'
import type { AuthContext } from '../../types.js'
import type { ComplaintsService } from './complaints.service.js'

const Page = <T extends ReturnType<typeof Type.Object>>(t: T) => Type.Object({ items: Type.Array(t), nextCursor: Type.Union([Type.String(), Type.Null()]) })
const RESIDENT = { roles: ['resident'], scope: { kind: 'none' } } as const
const OWN = { roles: ['resident'], scope: { kind: 'resource', resource: 'complaint', from: 'params', key: 'id' } } as const
const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const
const UNITS = ['unit_handler', 'community_worker', 'street_admin'] as const
const UNIT_LIST = { roles: UNITS, scope: { kind: 'none' } } as const
const UNIT_ITEM = { roles: UNITS, scope: { kind: 'resource', resource: 'complaint', from: 'params', key: 'id' } } as const
/** Sign, request, rectify: only the unit the task is assigned to — not the community above a market entity. */
const UNIT_ACT = { roles: UNITS, scope: { kind: 'resource', resource: 'complaint', from: 'params', key: 'id', exact: true } } as const
const STREET_ITEM = { roles: ['street_admin'], scope: { kind: 'resource', resource: 'complaint', from: 'params', key: 'id' } } as const

/** Resident side: report, follow, track, rate. */
export const complaintsRoutes =
  (svc: ComplaintsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/categories', {
      config: { access: { public: true } },
      schema: { tags: ['complaints'], summary: '问题类别', response: { 200: Type.Object({ items: Type.Array(Category) }) } },
      handler: async () => ({ items: await svc.listCategories() }),
    })

    app.get('/similar', {
      config: { access: RESIDENT },
      schema: { tags: ['complaints'], summary: '同一地点同类未办结的反映（已有人反映）', querystring: SimilarQuery, response: { 200: Type.Object({ items: Type.Array(SimilarItem) }) } },
      handler: async (req) => ({ items: await svc.similar(req.auth!.userId, req.query) }),
    })

    app.post('/', {
      // The hourly quota is enforced by the service on reports actually filed, so retries never spend it.
      config: { access: RESIDENT, idempotency: 'handler' },
      schema: { tags: ['complaints'], summary: '反映问题（带 Idempotency-Key 重试不重复）', body: CreateComplaintBody, response: { 201: ResidentComplaint } },
      // Return the value, never reply.send() from an async handler: with an async onSend hook Fastify would
      // send twice when the client hangs up, and the second writeHead throws outside any handler.
      handler: async (req, reply) => {
        const created = await svc.create(req.auth!, req.body, req.headers['idempotency-key'] as string | undefined)
        if (created.replayed) reply.header('idempotent-replayed', 'true')
        reply.code(201)
        return created
      },
    })

    app.get('/mine', {
      config: { access: RESIDENT },
      schema: {
        tags: ['complaints'],
        summary: '我的反映（含“我也遇到”的）',
        querystring: Type.Object({ cursor: Type.Optional(TextLine({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
        response: { 200: Page(ResidentComplaint) },
      },
      handler: (req) => svc.mine(req.auth!.userId, req.query.cursor, req.query.limit),
    })

    app.get('/:id', {
      config: { access: OWN },
      schema: { tags: ['complaints'], summary: '我的反映详情', params: IdParams, response: { 200: ResidentComplaint } },
      handler: (req) => svc.residentView(req.params.id, req.auth!.userId),
    })

    app.post('/:id/follow', {
      config: { access: RESIDENT },
      schema: { tags: ['complaints'], summary: '我也遇到', params: IdParams, response: { 200: Type.Object({ followers: Type.Integer() }) } },
      handler: (req) => svc.follow(req.auth!, req.params.id),
    })

    app.post('/:id/rate', {
      config: { access: OWN },
      schema: { tags: ['complaints'], summary: '评价整改（不满意则重新办理）', params: IdParams, body: RateBody, response: { 200: ResidentComplaint } },
      handler: async (req) => {
        await svc.rate(req.auth!, req.params.id, req.body.satisfied, req.body.comment)
        return svc.residentView(req.params.id, req.auth!.userId)
      },
    })
  }

/** District (崇川在线编辑): triage, assign, verify, decide requests. */
export const adminComplaintsRoutes =
  (svc: ComplaintsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/stats', {
      config: { access: DISTRICT },
      schema: { tags: ['admin'], summary: '首页数字', response: { 200: AdminStats } },
      handler: () => svc.stats(),
    })
    app.get('/complaints', {
      config: { access: DISTRICT },
      schema: { tags: ['admin'], summary: '受理队列（最早的在前）', querystring: AdminListQuery, response: { 200: Page(ComplaintRow) } },
      handler: (req) => svc.list(req.auth!, req.query, 'admin'),
    })
    app.get('/complaints/:id', {
      config: { access: DISTRICT },
      schema: { tags: ['admin'], summary: '事项详情（含反映人，查看留痕）', params: IdParams, response: { 200: AdminComplaint } },
      handler: (req) => svc.adminView(req, req.params.id),
    })

    app.get('/complaints/:id/similar', {
      config: { access: DISTRICT },
      schema: { tags: ['admin'], summary: '同一地点同类的其他未办结反映（合并候选）', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ComplaintRow) }) } },
      handler: async (req) => ({ items: await svc.similarTo(req.params.id) }),
    })

    const action = <B extends ReturnType<typeof Type.Object>>(path: string, summary: string, body: B, run: (req: { auth: AuthContext; id: number; body: any }) => Promise<void>) =>
      app.post(`/complaints/:id/${path}`, {
        config: { access: DISTRICT },
        schema: { tags: ['admin'], summary, params: IdParams, body, response: { 200: AdminComplaint } },
        handler: async (req) => {
          await run({ auth: req.auth!, id: req.params.id, body: req.body })
          return svc.adminView(req, req.params.id)
        },
      })

    action('accept', '受理', NoteBody, (r) => svc.accept(r.auth, r.id, r.body.note))
    action('reject', '不予受理（理由告知反映人）', RejectBody, (r) => svc.reject(r.auth, r.id, r.body.reason))
    action('merge', '合并到已有事项（按编号或跟踪码）', MergeBody, (r) => svc.merge(r.auth, r.id, r.body))
    action('assign', '交办责任单位', AssignBody, (r) => svc.assign(r.auth, r.id, r.body))
    action('verify', '核验通过', NoteBody, (r) => svc.verify(r.auth, r.id, r.body.note))
    action('return', '退回重新整改', ReturnBody, (r) => svc.returnFix(r.auth, r.id, r.body.note))
    action('decide-request', '审批延期或改派申请', DecideBody, (r) => svc.decide(r.auth, r.id, r.body.approve, r.body.note))
  }

/** Accountable units: community, street, market entity. Never sees who reported. */
export const tasksRoutes =
  (svc: ComplaintsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: UNIT_LIST },
      schema: {
        tags: ['tasks'],
        summary: '交办给本单位（及下级）的事项',
        querystring: Type.Object({ status: Type.Optional(StatusSchema), overdue: Type.Optional(Type.Boolean()), cursor: Type.Optional(TextLine({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
        response: { 200: Page(ComplaintRow) },
      },
      handler: (req) => svc.list(req.auth!, req.query, 'tasks'),
    })
    app.get('/stats', {
      config: { access: UNIT_LIST },
      schema: { tags: ['tasks'], summary: '本单位（及下级）任务数字：待签收、整改中、待核验、超期', response: { 200: TaskStats } },
      handler: (req) => svc.unitStats(req.auth!),
    })
    app.get('/:id', {
      config: { access: UNIT_ITEM },
      schema: { tags: ['tasks'], summary: '任务详情', params: IdParams, response: { 200: UnitComplaint } },
      handler: (req) => svc.unitView(req.params.id),
    })

    const action = <B extends ReturnType<typeof Type.Object>>(path: string, summary: string, body: B, run: (auth: AuthContext, id: number, body: any) => Promise<void>, access: typeof UNIT_ACT | typeof STREET_ITEM = UNIT_ACT) =>
      app.post(`/:id/${path}`, {
        config: { access },
        schema: { tags: ['tasks'], summary, params: IdParams, body, response: { 200: UnitComplaint } },
        handler: async (req) => {
          await run(req.auth!, req.params.id, req.body)
          return svc.unitView(req.params.id)
        },
      })

    action('sign', '签收', NoteBody, (a, id) => svc.sign(a, id))
    action('extension', '申请延期', ExtensionBody, (a, id, b) => svc.request(a, id, 'extension', b.reason, b.until))
    action('reassign', '申请改派', ReassignRequestBody, (a, id, b) => svc.request(a, id, 'reassign', b.reason))
    action('rectify', '上报整改（文字 + 整改后照片）', RectifyBody, (a, id, b) => svc.rectify(a, id, b.text, b.photoIds))
    action('verify', '街道核验通过', NoteBody, (a, id, b) => svc.verify(a, id, b.note), STREET_ITEM)
    action('return', '街道退回重新整改', ReturnBody, (a, id, b) => svc.returnFix(a, id, b.note), STREET_ITEM)
  }

/** Anyone holding a tracking code, no login: the public, redacted progress of that one report. */
export const trackRoutes =
  (svc: ComplaintsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/:code', {
      // The code is the only key: a tight per-client limit keeps guessing codes pointless.
      config: { access: { public: true }, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['complaints'],
        summary: '按跟踪码查询进度（公开、已脱敏）',
        params: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9]{6,20}$' }) }),
        response: { 200: PublicComplaint },
      },
      handler: (req) => svc.track(req.params.code),
    })
  }
