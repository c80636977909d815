import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ComplaintListQuery, ComplaintRow, ComplaintsDashboard, DashQuery, DayString, GateCheckItem, GateCheckListQuery, GateDashboard, Id, Page, QuarantineByOrg, QuarantineDashboard, isDay } from '@cc/shared'
import { badRequest } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { complaintList, complaintsDashboard } from './dashboard.complaints.js'
import { dashboardXlsx, drillComplaintsXlsx, drillGateXlsx } from './dashboard.export.js'
import { gateCheckList, gateDashboard } from './dashboard.gate.js'
import { quarantineByOrg, quarantineDashboard } from './dashboard.quarantine.js'
import { parseRange, resolveTarget } from './dashboard.scope.js'

/** District, street and community read the same dashboard, each for its own scope. */
const READ = { roles: ['district_admin', 'street_admin', 'community_worker'], scope: { kind: 'org', from: 'query', key: 'orgId' } } as const

/** Dashboard (prefix /api/v1/dashboard): rollup-backed numbers and the lists behind each of them. */
export const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const target = (auth: AuthContext, orgId?: number) => resolveTarget(app.pool, auth, orgId)

  app.get('/complaints', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '反映统计：按日、类别、街道/社区；签收和整改及时率、满意率、退回、当前超期', querystring: DashQuery, response: { 200: ComplaintsDashboard } },
    handler: async (req) => {
      const range = parseRange(req.query)
      return complaintsDashboard(app.pool, await target(req.auth!, req.query.orgId), range)
    },
  })

  app.get('/complaints/list', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '统计数字背后的反映清单（不含反映人）', querystring: ComplaintListQuery, response: { 200: Page(ComplaintRow) } },
    handler: async (req) => complaintList(app.pool, app.db, await target(req.auth!, req.query.orgId), req.query),
  })

  const { cursor: _c, limit: _l, ...complaintListProps } = ComplaintListQuery.properties
  const { cursor: _gc, limit: _gl, ...gateListProps } = GateCheckListQuery.properties
  /** The file's name: the list's own title from the screen, or a plain one. */
  const FileTitle = Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[^/\\\\:*?"<>|]+$' }))

  app.get('/complaints/list.xlsx', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '导出统计数字背后的反映清单（.xlsx，不含反映人）', querystring: Type.Object({ ...complaintListProps, title: FileTitle }), response: { 200: Type.Any() } },
    handler: async (req, reply) => {
      const { title, ...q } = req.query
      return drillComplaintsXlsx(req, reply, app.pool, app.db, await target(req.auth!, q.orgId), q, title ?? '反映明细')
    },
  })

  app.get('/gate/checks.xlsx', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '导出卡口核验记录（.xlsx，不含人员信息，最多 31 天）', querystring: Type.Object({ ...gateListProps, title: FileTitle }), response: { 200: Type.Any() } },
    handler: async (req, reply) => {
      const { title, ...q } = req.query
      return drillGateXlsx(req, reply, app.pool, app.db, await resolveTarget(app.pool, req.auth!, q.orgId, ['district', 'street', 'community', 'compound']), q, title ?? '核验明细')
    },
  })

  app.get('/gate', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '卡口查验：按小时、按日、劝返原因、按街道/社区', querystring: DashQuery, response: { 200: GateDashboard } },
    handler: async (req) => {
      const range = parseRange(req.query)
      return gateDashboard(app.pool, await target(req.auth!, req.query.orgId), range)
    },
  })

  app.get('/gate/checks', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '核验人次 / 放行 / 劝返 / 登记的查验记录（不含人员信息，最多 31 天）', querystring: GateCheckListQuery, response: { 200: Page(GateCheckItem) } },
    handler: async (req) => gateCheckList(app.pool, await resolveTarget(app.pool, req.auth!, req.query.orgId, ['district', 'street', 'community', 'compound']), req.query),
  })

  app.get('/quarantine', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '隔离人数按日（日报快照，今天为实时）', querystring: DashQuery, response: { 200: QuarantineDashboard } },
    handler: async (req) => {
      const range = parseRange(req.query)
      return quarantineDashboard(app.pool, app.db, await target(req.auth!, req.query.orgId), range)
    },
  })

  app.get('/quarantine/by-org', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '某日隔离人数（各街道 / 社区）', querystring: Type.Object({ day: DayString, orgId: Type.Optional(Id) }), response: { 200: QuarantineByOrg } },
    handler: async (req) => {
      if (!isDay(req.query.day)) throw badRequest('日期不正确')
      return quarantineByOrg(app.pool, app.db, await target(req.auth!, req.query.orgId), req.query.day)
    },
  })

  app.get('/export.xlsx', {
    config: { access: READ },
    schema: { tags: ['dashboard'], summary: '导出统计表（.xlsx）', querystring: DashQuery, response: { 200: Type.Any() } },
    handler: async (req, reply) => {
      const range = parseRange(req.query)
      return dashboardXlsx(req, reply, app.pool, app.db, await target(req.auth!, req.query.orgId), range)
    },
  })
}
