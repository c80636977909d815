import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  IdParams,
  RbEntity,
  RbEntityBody,
  RbEntityHistory,
  RbEntityKindSchema,
  RbEntityList,
  RbEntryBody,
  RbEvidenceCandidates,
  RbErratumBody,
  RbPeriod,
  RbPeriodList,
  RbPublicPeriod,
  RbRules,
  RbRulesBody,
  RbSuggestions,
  RbTrend,
  TextLine,
} from '@cc/shared'
import type { Entities } from './redblack.entities.js'
import type { Evidence } from './redblack.evidence.js'
import type { Exports } from './redblack.export.js'
import type { Periods } from './redblack.periods.js'
import type { Reads } from './redblack.reads.js'
import type { Suggestions } from './redblack.suggestions.js'

const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const
const PUBLIC = { access: { public: true } } as const
const PageQ = Type.Object({ cursor: Type.Optional(TextLine({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) })
const EntryParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), entryId: Type.Integer({ minimum: 1, maximum: 2147483647 }) })
const tags = ['redblack']

/** Public: published periods, an entity's history and the trend. No reporter, phone or person in any of them. */
export const redblackPublicRoutes =
  (reads: Reads): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/periods', {
      config: PUBLIC,
      schema: { tags, summary: '红黑榜（已发布）', querystring: PageQ, response: { 200: RbPeriodList } },
      handler: (req) => reads.list({ includeDrafts: false, ...req.query }),
    })
    app.get('/periods/:id', {
      config: PUBLIC,
      schema: { tags, summary: '一期红黑榜', params: IdParams, response: { 200: RbPublicPeriod } },
      handler: (req) => reads.getPublic(req.params.id),
    })
    app.get('/entities/:id', {
      config: PUBLIC,
      schema: { tags, summary: '主体的上榜记录', params: IdParams, response: { 200: RbEntityHistory } },
      handler: (req) => reads.history(req.params.id),
    })
    app.get('/trend', {
      config: PUBLIC,
      schema: { tags, summary: '红黑榜趋势（每期红榜、黑榜数）', response: { 200: RbTrend } },
      handler: () => reads.trend(),
    })
  }

export interface RedblackAdmin {
  reads: Reads
  periods: Periods
  entities: Entities
  suggestions: Suggestions
  exports: Exports
  evidence: Evidence
}

export const redblackAdminRoutes =
  (s: RedblackAdmin): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/periods', {
      config: { access: DISTRICT },
      schema: { tags, summary: '红黑榜（含草稿）', querystring: PageQ, response: { 200: RbPeriodList } },
      handler: (req) => s.reads.list({ includeDrafts: true, districtOrgId: req.auth!.orgId, ...req.query }),
    })
    app.post('/periods', {
      config: { access: DISTRICT },
      schema: { tags, summary: '新建红黑榜草稿', body: Type.Optional(Type.Object({})), response: { 200: RbPeriod } },
      handler: (req) => s.periods.createDraft(req.auth!),
    })
    app.get('/periods/:id', {
      config: { access: DISTRICT },
      schema: { tags, summary: '红黑榜（草稿实时计算标记）', params: IdParams, response: { 200: RbPeriod } },
      handler: (req) => s.periods.get(req.auth!, req.params.id),
    })
    app.post('/periods/:id/entries', {
      config: { access: DISTRICT },
      schema: { tags, summary: '添加上榜条目', params: IdParams, body: RbEntryBody, response: { 200: RbPeriod } },
      handler: (req) => s.periods.addEntry(req.auth!, req.params.id, req.body),
    })
    app.put('/periods/:id/entries/:entryId', {
      config: { access: DISTRICT },
      schema: { tags, summary: '修改上榜条目', params: EntryParams, body: RbEntryBody, response: { 200: RbPeriod } },
      handler: (req) => s.periods.updateEntry(req.auth!, req.params.id, req.params.entryId, req.body),
    })
    app.delete('/periods/:id/entries/:entryId', {
      config: { access: DISTRICT },
      schema: { tags, summary: '删除上榜条目', params: EntryParams, response: { 200: RbPeriod } },
      handler: (req) => s.periods.deleteEntry(req.auth!, req.params.id, req.params.entryId),
    })
    app.post('/periods/:id/publish', {
      config: { access: DISTRICT },
      schema: { tags, summary: '发布（编号连续、不重复；标记随之固定）', params: IdParams, body: Type.Optional(Type.Object({})), response: { 200: RbPeriod } },
      handler: (req) => s.periods.publish(req.auth!, req.params.id),
    })
    app.post('/periods/:id/erratum', {
      config: { access: DISTRICT },
      schema: { tags, summary: '发布勘误', params: IdParams, body: RbErratumBody, response: { 200: RbPeriod } },
      handler: (req) => s.periods.erratum(req.auth!, req.params.id, req.body.text),
    })
    app.get('/periods/:id/export.xlsx', {
      config: { access: DISTRICT },
      schema: { tags, summary: '导出本期条目（.xlsx）', params: IdParams, response: { 200: Type.Any() } },
      handler: (req, reply) => s.exports.period(req, reply, req.auth!, req.params.id),
    })
    app.get('/export.xlsx', {
      config: { access: DISTRICT },
      schema: { tags, summary: '导出全部已发布条目（.xlsx）', response: { 200: Type.Any() } },
      handler: (req, reply) => s.exports.all(req, reply, req.auth!),
    })
    app.get('/suggestions', {
      config: { access: DISTRICT },
      schema: {
        tags,
        summary: '起草建议：逾期、退回、反弹（同一地点反复反映）与按时办结率最高的单位',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }),
        response: { 200: RbSuggestions },
      },
      handler: (req) => s.suggestions.get(req.auth!, req.query),
    })
    app.get('/entities', {
      config: { access: DISTRICT },
      schema: {
        tags,
        summary: '红黑榜主体',
        querystring: Type.Object({ ...PageQ.properties, q: Type.Optional(TextLine({ maxLength: 40 })), kind: Type.Optional(RbEntityKindSchema) }),
        response: { 200: RbEntityList },
      },
      handler: (req) => s.entities.list(req.auth!, req.query),
    })
    app.post('/entities', {
      config: { access: DISTRICT },
      schema: { tags, summary: '新增主体（物业公司、物业项目、企业等）', body: RbEntityBody, response: { 200: RbEntity } },
      handler: (req) => s.entities.create(req.auth!, req.body),
    })
    app.get('/entities/:id/evidence', {
      config: { access: DISTRICT },
      schema: {
        tags,
        summary: '可引用的证据：近期反映、已发布通报条目、卡口禁止通行记录',
        params: IdParams,
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })) }),
        response: { 200: RbEvidenceCandidates },
      },
      handler: (req) => s.evidence.candidates(req.auth!, req.params.id, req.query),
    })
    app.get('/rules', {
      config: { access: DISTRICT },
      schema: { tags, summary: '红黑榜规则（当前版本）', response: { 200: RbRules } },
      handler: () => s.reads.rules(),
    })
    app.put('/rules', {
      config: { access: DISTRICT },
      schema: { tags, summary: '修改规则（生成新版本）', body: RbRulesBody, response: { 200: RbRules } },
      handler: (req) => s.reads.putRules(req.auth!, req.body),
    })
  }
