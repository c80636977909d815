import { Type } from '@sinclair/typebox'
import { homeQuarantinedPassIds } from '../quarantine/quarantine.gate.js'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, STAFF_ROLES, TextLine } from '@cc/shared'
import { AppError } from '../../errors.js'
import type { Signer } from '../passes/passes.signing.js'
import { ensureGatePartitions } from '../../jobs/gate.js'
import { checksByIdNumber } from './gate.search.js'
import {
  ByIdNumberReply,
  CheckBody,
  CheckReply,
  CommunityCountsReply,
  CountsReply,
  GateQuery,
  GateRow,
  NewRuleSetBody,
  PackReply,
  RuleSetRow,
  SyncBody,
  SyncReply,
  Visitor,
  VisitorBody,
} from './gate.schemas.js'
import { communityCounts, gateCounts, packLists, type GateService } from './gate.service.js'
import type { RuleSets } from './gate.rules.js'
import type { Visitors } from './gate.visitors.js'

/** Who works a gate; who looks at a gate's numbers. Gates outside the caller's scope answer 403. */
const GATEKEEPER = { roles: ['gatekeeper'], scope: { kind: 'none' } } as const
const GATE_VIEWERS = ['gatekeeper', 'community_worker', 'street_admin', 'district_admin'] as const
const VIEW_GATE = { roles: GATE_VIEWERS, scope: { kind: 'org', from: 'query', key: 'gateId' } } as const
const PACK_HOURS = 12

export const gateRoutes =
  (deps: { gate: GateService; visitors: Visitors; rules: RuleSets; signer: Signer }): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { gate, visitors, rules, signer } = deps
    // Partitions for this month and the next ones exist before the first scan (the daily job keeps ahead).
    await ensureGatePartitions(app.db).catch((e: Error) => app.log.warn({ err: e.message }, 'gate partitions not ensured'))

    app.get('/gates', {
      config: { access: { roles: GATE_VIEWERS, scope: { kind: 'none' } } },
      schema: { tags: ['gate'], summary: '我负责的出入口', response: { 200: Type.Object({ items: Type.Array(GateRow) }) } },
      handler: async (req) => gate.gates(req.auth!),
    })

    app.get('/pack', {
      config: { access: { roles: ['gatekeeper'], scope: { kind: 'org', from: 'query', key: 'gateId' } } },
      schema: { tags: ['gate'], summary: '卡口离线数据包（公钥、规则、禁止名单、通行卡）', querystring: GateQuery, response: { 200: PackReply } },
      handler: async (req) => {
        const g = await gate.gateFor(req.auth!, req.query.gateId)
        const [keys, ruleSet, lists, quarantined] = await Promise.all([signer.publicKeys(), rules.active(), packLists(app.db, g.compoundId), homeQuarantinedPassIds(app.db, g.compoundId)])
        const issuedAt = new Date()
        return {
          gateId: g.id,
          compoundId: g.compoundId,
          compoundName: g.compoundName,
          gateName: g.name,
          issuedAt: issuedAt.toISOString(),
          validUntil: new Date(issuedAt.getTime() + PACK_HOURS * 3600_000).toISOString(),
          keys: keys.map((k) => ({ kid: k.kid, jwk: k.jwk as { kty: string; crv: string; x: string; y: string } })),
          ruleSet,
          deny: { passes: lists.passes, devices: lists.devices, quarantinedPassIds: quarantined },
          cards: lists.cards,
        }
      },
    })

    app.post('/checks', {
      config: { access: GATEKEEPER },
      schema: { tags: ['gate'], summary: '查验（扫码、输入卡号或外来人员）', body: CheckBody, response: { 200: CheckReply } },
      handler: async (req) => gate.check(req.auth!, req.body),
    })

    app.post('/checks/sync', {
      config: { access: GATEKEEPER },
      schema: { tags: ['gate'], summary: '上传离线查验记录（每条只存一次）', body: SyncBody, response: { 200: SyncReply } },
      handler: async (req) => gate.sync(req.auth!, req.body.checks),
    })

    app.get('/checks/by-id-number', {
      config: { access: { roles: ['district_admin'], scope: { kind: 'none' } } },
      // The request log would otherwise keep the plain ID number from the query string. (A route option
      // Fastify honours at run time but its shorthand types do not list.)
      ...({
        logSerializers: {
          req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: `${req.url.split('?')[0]}?idNumber=[已隐去]`, remoteAddress: req.ip }),
        },
      } as object),
      schema: {
        tags: ['gate'],
        summary: '按身份证号查询近28天查验记录（区指挥部，留痕）',
        querystring: Type.Object({ idNumber: TextLine({ minLength: 15, maxLength: 30 }) }),
        response: { 200: ByIdNumberReply },
      },
      handler: async (req) => checksByIdNumber(app.db, app.config, req, req.query.idNumber),
    })

    app.post('/visitors', {
      config: { access: GATEKEEPER },
      schema: { tags: ['gate'], summary: '外来人员登记', body: VisitorBody, response: { 201: Visitor } },
      handler: async (req, reply) => {
        const g = await gate.gateFor(req.auth!, req.body.gateId)
        reply.code(201)
        return visitors.register(req.auth!, g, req.body)
      },
    })

    app.post('/visitors/:id/out', {
      config: { access: GATEKEEPER },
      schema: { tags: ['gate'], summary: '外来人员离开', params: IdParams, body: Type.Object({ gateId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }), response: { 200: Visitor } },
      handler: async (req) => visitors.out(await gate.gateFor(req.auth!, req.body.gateId), req.params.id),
    })

    app.get('/visitors', {
      config: { access: VIEW_GATE },
      schema: {
        tags: ['gate'],
        summary: '外来人员（仍在小区内 / 今日登记）',
        querystring: Type.Object({ gateId: Type.Integer({ minimum: 1, maximum: 2147483647 }), inside: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(Visitor) }) },
      },
      handler: async (req) => visitors.list(await gate.gateFor(req.auth!, req.query.gateId), req.query.inside ?? true),
    })

    app.get('/counts', {
      config: { access: VIEW_GATE },
      schema: { tags: ['gate'], summary: '本出入口今日统计', querystring: GateQuery, response: { 200: CountsReply } },
      handler: async (req) => gateCounts(app.db, await gate.gateFor(req.auth!, req.query.gateId)),
    })

    app.get('/community-counts', {
      config: { access: { roles: ['community_worker', 'street_admin', 'district_admin'], scope: { kind: 'org', from: 'query', key: 'communityId' } } },
      schema: {
        tags: ['gate'],
        summary: '社区各小区卡口近几日统计',
        querystring: Type.Object({ communityId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31 })) }),
        response: { 200: CommunityCountsReply },
      },
      handler: async (req) => {
        const communityId = req.query.communityId ?? (req.auth!.role === 'community_worker' ? req.auth!.orgId : null)
        if (!communityId) throw new AppError('VALIDATION', '请选择社区')
        return communityCounts(app.db, communityId, req.query.days ?? 7)
      },
    })
  }

/** Admission rule sets: every staff member may read them; the district publishes and activates. */
export const rulesRoutes =
  (rules: RuleSets): FastifyPluginAsyncTypebox =>
  async (app) => {
    const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const
    app.get('/', {
      config: { access: { roles: STAFF_ROLES, scope: { kind: 'none' } } },
      schema: {
        tags: ['rules'],
        summary: '通行规则（生效版本与历史）',
        response: { 200: Type.Object({ active: Type.Union([RuleSetRow, Type.Null()]), history: Type.Array(RuleSetRow), items: Type.Array(RuleSetRow) }) },
      },
      handler: async () => rules.list(),
    })
    app.post('/', {
      config: { access: DISTRICT },
      schema: { tags: ['rules'], summary: '新建规则版本（草稿）', body: NewRuleSetBody, response: { 201: RuleSetRow } },
      handler: async (req, reply) => {
        reply.code(201)
        return rules.create(req, req.body)
      },
    })
    app.post('/:id/activate', {
      config: { access: DISTRICT },
      schema: { tags: ['rules'], summary: '启用规则版本（原生效版本停用）', params: IdParams, response: { 200: RuleSetRow } },
      handler: async (req) => rules.activate(req, req.params.id),
    })
  }
