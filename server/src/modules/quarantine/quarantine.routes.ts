import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id, IdParams, TextLine } from '@cc/shared'
import { badRequest } from '../../errors.js'
import { SelfFollowupBody, FollowupInput, StateLit } from '../returnees/returnees.schemas.js'
import type { Followups } from './quarantine.followups.js'
import {
  CaseDetail,
  Counts,
  DailyHistory,
  PublicTotals,
  DecideBody,
  ExtendBody,
  FollowupResult,
  MoveBody,
  NatBody,
  NatResult,
  ReasonBody,
  ReleaseBody,
  Site,
  SiteBody,
  SitePatch,
  Today,
  TodaySummary,
  TransferBody,
} from './quarantine.schemas.js'
import type { Cases } from './quarantine.service.js'
import type { Sites } from './quarantine.sites.js'
import { XLSX, type Exports } from './quarantine.export.js'
import { dailyCounts, dailyHistory, publicTotals, todayList, todaySummary } from './quarantine.today.js'

const READERS = ['community_worker', 'street_admin', 'district_admin'] as const
const WORKER = ['community_worker'] as const
const ADMINS = ['street_admin', 'district_admin'] as const
type R = 'community_worker' | 'street_admin' | 'district_admin' | 'resident'
const on = <Roles extends readonly R[]>(roles: Roles, resource: string) => ({ roles, scope: { kind: 'resource', resource, from: 'params', key: 'id' } }) as const

/** Quarantine (prefix /api/v1/quarantine): the worker's moves, follow-ups, NATs, sites, the today list and counts. */
export const quarantineRoutes =
  (cases: Cases, followups: Followups, sites: Sites, exports: Exports): FastifyPluginAsyncTypebox =>
  async (app) => {
    const move = (path: string, summary: string, body: import('@sinclair/typebox').TSchema, toInput: (b: never) => { action: import('@cc/shared').QuarantineAction; input: import('./quarantine.case.js').TransitionInput }) =>
      app.post(path, {
        config: { access: on(WORKER, 'quarantineCase') },
        schema: { tags: ['quarantine'], summary, params: IdParams, body, response: { 200: CaseDetail } },
        handler: (req) => {
          const { action, input } = toInput(req.body as never)
          return cases.transition(req.auth!.userId, (req.params as { id: number }).id, action, input) as never
        },
      })

    app.get('/cases/:id', {
      config: { access: on(READERS, 'quarantineCase') },
      schema: { tags: ['quarantine'], summary: '隔离记录（事件、随访、核酸、预警、解除条件）', params: IdParams, response: { 200: CaseDetail } },
      handler: (req) => cases.detail(req.params.id) as never,
    })
    move('/cases/:id/decide', '研判：居家隔离 / 集中隔离 / 健康监测 / 无需管控', DecideBody, (b: { measure: 'home' | 'centralised' | 'monitoring' | 'none'; reason: string; startOn?: string; days?: number; siteId?: number; room?: string }) => ({
      action: b.measure,
      input: b,
    }))
    move('/cases/:id/extend', '延长隔离', ExtendBody, (b: { days: number; reason: string }) => ({ action: 'extend', input: b }))
    move('/cases/:id/move', '居家与集中隔离互转（健康监测可升级）', MoveBody, (b: { to: 'home' | 'centralised'; reason: string; days?: number; siteId?: number; room?: string }) => ({
      action: b.to,
      input: b,
    }))
    move('/cases/:id/transfer', '转运就医', TransferBody, (b: { reason: string; hospital: string }) => ({ action: 'transfer', input: b }))
    move('/cases/:id/lost', '标记失联', ReasonBody, (b: { reason: string }) => ({ action: 'lose', input: b }))
    move('/cases/:id/release', '确认解除（解除条件须全部满足）', ReleaseBody, (b: { reason?: string }) => ({ action: 'release', input: { reason: b.reason ?? '期满且条件满足，确认解除' } }))

    app.post('/followups/:id', {
      config: { access: on(WORKER, 'followup') },
      schema: { tags: ['quarantine'], summary: '记录一次随访（体温、症状）', params: IdParams, body: FollowupInput, response: { 200: FollowupResult } },
      handler: (req) => followups.recordByWorker(req.auth!.userId, req.params.id, req.body),
    })
    app.post('/nats/:id', {
      config: { access: on(WORKER, 'nat') },
      schema: { tags: ['quarantine'], summary: '记录核酸结果', params: IdParams, body: NatBody, response: { 200: NatResult } },
      handler: (req) => followups.recordNat(req.auth!.userId, req.params.id, req.body as { result: 'negative' | 'positive'; sampledOn?: string }),
    })
    app.post('/alerts/:id/handle', {
      config: { access: on(WORKER, 'quarantineAlert') },
      schema: {
        tags: ['quarantine'],
        summary: '处置预警',
        params: IdParams,
        body: Type.Object({ note: TextLine({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ id: Type.Integer(), handledAt: Type.String() }) },
      },
      handler: (req) => followups.handleAlert(req.auth!.userId, req.params.id, req.body.note),
    })

    app.get('/sites', {
      config: { access: { roles: READERS, scope: { kind: 'none' } } },
      schema: {
        tags: ['quarantine'],
        summary: '集中隔离点（实时在住人数）',
        querystring: Type.Object({ all: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(Site) }) },
      },
      handler: (req) => sites.list(!req.query.all) as never,
    })
    app.post('/sites', {
      config: { access: { roles: ADMINS, scope: { kind: 'org', from: 'body', key: 'orgId' } } },
      schema: { tags: ['quarantine'], summary: '新增集中隔离点', body: SiteBody, response: { 201: Site } },
      handler: async (req, reply) => {
        const { orgId, ...b } = req.body
        const s = await sites.create(orgId, b)
        reply.code(201)
        return s as never
      },
    })
    app.patch('/sites/:id', {
      config: { access: on(ADMINS, 'quarantineSite') },
      schema: { tags: ['quarantine'], summary: '修改集中隔离点（容量不少于在住人数）', params: IdParams, body: SitePatch, response: { 200: Site } },
      handler: (req) => sites.update(req.params.id, req.body) as never,
    })

    app.get('/today', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'communityId' } } },
      schema: {
        tags: ['quarantine'],
        summary: '今日待办（按紧急程度排序）',
        querystring: Type.Object({ communityId: Type.Optional(Id) }),
        response: { 200: Today },
      },
      handler: async (req) => {
        // A worker's own community is the one on their path (a grid worker's is the grid's community).
        const r = req.query.communityId
          ? await app.pool.query<{ id: number }>(`SELECT id FROM org_units WHERE id = $1 AND kind = 'community'`, [req.query.communityId])
          : await app.pool.query<{ id: number }>(`SELECT id FROM org_units WHERE kind = 'community' AND $1 LIKE path || '%'`, [req.auth!.orgPath ?? ''])
        const communityId = r.rows[0]?.id
        if (!communityId) throw badRequest('请选择社区')
        return todayList(app.db, communityId)
      },
    })
    app.get('/today/summary', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'orgId' } } },
      schema: { tags: ['quarantine'], summary: '各社区今日待办数（街道总览）', querystring: Type.Object({ orgId: Type.Optional(Id) }), response: { 200: TodaySummary } },
      handler: async (req) => todaySummary(app.db, await pathOf(req.query.orgId, req.auth!.orgPath)) as never,
    })
    app.get('/counts', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'orgId' } } },
      schema: { tags: ['quarantine'], summary: '今日统计（每人恰在一种状态）', querystring: Type.Object({ orgId: Type.Optional(Id) }), response: { 200: Counts } },
      handler: async (req) => dailyCounts(app.db, await pathOf(req.query.orgId, req.auth!.orgPath)),
    })

    app.get('/daily', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'orgId' } } },
      schema: {
        tags: ['quarantine'],
        summary: '每日统计走势（日报快照，今天为实时）',
        querystring: Type.Object({ orgId: Type.Optional(Id), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 14 })) }),
        response: { 200: DailyHistory },
      },
      handler: async (req) => dailyHistory(app.db, await pathOf(req.query.orgId, req.auth!.orgPath), req.query.days ?? 14),
    })
    app.get('/public/totals', {
      config: { access: { public: true } },
      schema: { tags: ['quarantine'], summary: '全区隔离人数（公开，无个人信息）', response: { 200: PublicTotals } },
      handler: () => publicTotals(app.db),
    })
    app.get('/export/counts.xlsx', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'orgId' } } },
      schema: { tags: ['quarantine'], summary: '导出日报（.xlsx）', querystring: Type.Object({ orgId: Type.Optional(Id) }), response: { 200: Type.Any() } },
      handler: async (req, reply) => {
        const x = await exports.counts(await pathOf(req.query.orgId, req.auth!.orgPath))
        reply.type(XLSX).header('content-disposition', `attachment; filename="counts.xlsx"; filename*=UTF-8''${encodeURIComponent(x.name)}`)
        return x.file
      },
    })
    app.get('/export/returnees.xlsx', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'orgId' } } },
      schema: {
        tags: ['quarantine'],
        summary: '导出返乡人员名单（.xlsx；身份证号脱敏，区级填写理由可导出完整号码并留痕）',
        querystring: Type.Object({ orgId: Type.Optional(Id), state: Type.Optional(StateLit), reason: Type.Optional(TextLine({ minLength: 2, maxLength: 100 })) }),
        response: { 200: Type.Any() },
      },
      handler: async (req, reply) => {
        const x = await exports.returnees(req, { orgPath: await pathOf(req.query.orgId, req.auth!.orgPath), state: req.query.state, reason: req.query.reason })
        reply.type(XLSX).header('content-disposition', `attachment; filename="returnees.xlsx"; filename*=UTF-8''${encodeURIComponent(x.name)}`)
        return x.file
      },
    })

    async function pathOf(orgId: number | undefined, own: string | null) {
      if (!orgId) return own ?? '/'
      return (await app.pool.query<{ path: string }>('SELECT path FROM org_units WHERE id = $1', [orgId])).rows[0]?.path ?? own ?? '/'
    }
  }

/** Resident self-report (prefix /api/v1/me/returnees): the person or the family member who registered them. */
export const meFollowupRoutes =
  (followups: Followups, cases: Cases): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/:id/followups', {
      config: { access: { roles: ['resident'], scope: { kind: 'resource', resource: 'returnee', from: 'params', key: 'id' } } },
      schema: { tags: ['quarantine'], summary: '自报体温（本人或家属代报）', params: IdParams, body: SelfFollowupBody, response: { 200: FollowupResult } },
      handler: (req) => followups.recordBySelf(req.auth!.userId, req.params.id, req.body as never),
    })
    app.get('/:id/case', {
      config: { access: { roles: ['resident'], scope: { kind: 'resource', resource: 'returnee', from: 'params', key: 'id' } } },
      schema: { tags: ['quarantine'], summary: '我的隔离情况（期限、待报体温、解除通知）', params: IdParams, response: { 200: Type.Union([CaseDetail, Type.Null()]) } },
      handler: async (req) => {
        const r = await app.pool.query<{ id: number | null }>('SELECT current_case_id AS id FROM returnees WHERE id = $1', [req.params.id])
        return (r.rows[0]?.id ? await cases.detail(r.rows[0].id) : null) as never
      },
    })
  }
