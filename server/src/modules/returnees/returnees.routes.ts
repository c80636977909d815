import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id, IdParams, Page } from '@cc/shared'
import { badRequest } from '../../errors.js'
import type { KeyAreas } from './returnees.keyareas.js'
import {
  KeyAreaBody,
  KeyAreaView,
  RegisterResult,
  ReturneesQuery,
  ReturneeView,
  SelfRegisterBody,
  SweepBuilding,
  SweepMarkBody,
  SweepRoom,
  WorkerRegisterBody,
} from './returnees.schemas.js'
import type { ReturneesService } from './returnees.service.js'
import type { Sweep } from './returnees.sweep.js'

const READERS = ['community_worker', 'street_admin', 'district_admin'] as const
const WORKER = ['community_worker'] as const
const STAFF = ['community_worker', 'street_admin', 'district_admin', 'gatekeeper'] as const
const byReturnee = <R extends readonly ('community_worker' | 'street_admin' | 'district_admin' | 'resident')[]>(roles: R) =>
  ({ roles, scope: { kind: 'resource', resource: 'returnee', from: 'params', key: 'id' } }) as const

/** Returnees (prefix /api/v1/returnees): community workers register and sweep; street and district read. */
export const returneesRoutes =
  (svc: ReturneesService, sweep: Sweep): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'communityId' } } },
      schema: { tags: ['returnees'], summary: '返乡人员列表（本辖区）', querystring: ReturneesQuery, response: { 200: Page(ReturneeView) } },
      handler: (req) => svc.list(req.auth!, req.query),
    })

    app.post('/', {
      config: { access: { roles: WORKER, scope: { kind: 'org', from: 'body', key: 'communityId' } } },
      schema: { tags: ['returnees'], summary: '社区登记返乡人员（同一人同一行程合并）', body: WorkerRegisterBody, response: { 200: RegisterResult, 201: RegisterResult } },
      handler: async (req, reply) => {
        const r = await svc.registerByWorker(req.auth!, req.body)
        reply.code(r.merged ? 200 : 201)
        return r
      },
    })

    app.get('/:id', {
      config: { access: byReturnee(READERS) },
      schema: { tags: ['returnees'], summary: '返乡人员', params: IdParams, response: { 200: ReturneeView } },
      handler: (req) => svc.get(req.params.id),
    })

    app.post('/:id/review', {
      config: { access: byReturnee(WORKER) },
      schema: { tags: ['returnees'], summary: '已查看自主登记（移出今日待办）', params: IdParams, response: { 200: ReturneeView } },
      handler: (req) => svc.review(req.auth!, req.params.id),
    })

    app.get('/sweep/buildings', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'compoundId' } } },
      schema: {
        tags: ['returnees'],
        summary: '扫楼进度（按楼栋）',
        querystring: Type.Object({ compoundId: Id }),
        response: { 200: Type.Object({ compoundId: Type.Integer(), items: Type.Array(SweepBuilding) }) },
      },
      handler: (req) => sweep.buildings(req.query.compoundId) as never,
    })

    app.get('/sweep/rooms', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'compoundId' } } },
      schema: {
        tags: ['returnees'],
        summary: '扫楼：一栋楼的房间及住户（预填名册）',
        querystring: Type.Object({ compoundId: Id, buildingId: Id }),
        response: { 200: Type.Object({ items: Type.Array(SweepRoom) }) },
      },
      handler: (req) => sweep.rooms(req.query.compoundId, req.query.buildingId) as never,
    })

    app.post('/sweep/marks', {
      config: { access: { roles: WORKER, scope: { kind: 'resource', resource: 'household', from: 'body', key: 'householdId' } } },
      schema: {
        tags: ['returnees'],
        summary: '扫楼：标记房间（无人应答 / 已登记 / 无返乡人员）',
        body: SweepMarkBody,
        response: { 200: Type.Object({ householdId: Type.Integer(), buildingId: Type.Integer(), mark: Type.String(), markedAt: Type.String() }) },
      },
      handler: (req) => sweep.mark(req.auth!.userId, req.body as { householdId: number; mark: 'no_answer' | 'registered' | 'none'; note?: string }),
    })
  }

/** 返崇登记 from the resident H5 (prefix /api/v1/me/returnees). */
export const meReturneesRoutes =
  (svc: ReturneesService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/', {
      // Residents may name any compound (where they stay); the service places the person in its community.
      config: { access: { roles: ['resident'], scope: { kind: 'none' } } },
      schema: { tags: ['returnees'], summary: '返崇登记（本人或家属；重复提交同一行程会合并）', body: SelfRegisterBody, response: { 200: RegisterResult, 201: RegisterResult } },
      handler: async (req, reply) => {
        const r = await svc.registerSelf(req.auth!, req.body)
        reply.code(r.merged ? 200 : 201)
        return r
      },
    })
    app.get('/', {
      config: { access: { roles: ['resident'], scope: { kind: 'none' } } },
      schema: { tags: ['returnees'], summary: '我的返崇登记（本人及家属）', response: { 200: Type.Object({ items: Type.Array(ReturneeView) }) } },
      handler: (req) => svc.mine(req.auth!),
    })
    app.get('/:id', {
      config: { access: byReturnee(['resident']) },
      schema: { tags: ['returnees'], summary: '我登记的一位返乡人员', params: IdParams, response: { 200: ReturneeView } },
      handler: (req) => svc.get(req.params.id),
    })
  }

/** 重点疫区 (prefix /api/v1/key-areas): the district keeps the list; all staff read it. */
export const keyAreasRoutes =
  (svc: KeyAreas): FastifyPluginAsyncTypebox =>
  async (app) => {
    const Changed = Type.Object({ area: KeyAreaView, recomputed: Type.Object({ changed: Type.Integer(), raised: Type.Integer() }) })
    app.get('/', {
      config: { access: { roles: STAFF, scope: { kind: 'none' } } },
      schema: {
        tags: ['returnees'],
        summary: '重点地区名单（history=true 含历史）',
        querystring: Type.Object({ history: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(KeyAreaView) }) },
      },
      handler: (req) => svc.list(req.query.history ?? false) as never,
    })
    app.post('/', {
      config: { access: { roles: ['district_admin'], scope: { kind: 'none' } } },
      schema: { tags: ['returnees'], summary: '新增重点地区（重新计算在管人员风险）', body: KeyAreaBody, response: { 201: Changed } },
      handler: async (req, reply) => {
        const r = await svc.create(req.auth!.userId, req.body as never)
        reply.code(201)
        return r as never
      },
    })
    app.post('/:id/replace', {
      config: { access: { roles: ['district_admin'], scope: { kind: 'none' } } },
      schema: { tags: ['returnees'], summary: '修改重点地区（旧条目留作历史）', params: IdParams, body: KeyAreaBody, response: { 201: Changed } },
      handler: async (req, reply) => {
        const r = await svc.replace(req.auth!.userId, req.params.id, req.body as never)
        reply.code(201)
        return r as never
      },
    })
    app.post('/:id/retire', {
      config: { access: { roles: ['district_admin'], scope: { kind: 'none' } } },
      schema: { tags: ['returnees'], summary: '撤销重点地区', params: IdParams, body: Type.Object({}), response: { 200: Changed } },
      handler: (req) => {
        if (!req.params.id) throw badRequest('编号不正确')
        return svc.retire(req.auth!.userId, req.params.id) as never
      },
    })
  }
