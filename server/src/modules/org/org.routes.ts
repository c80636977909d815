import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, MARKET_KINDS, ORG_KINDS, STAFF_ROLES, TextLine } from '@cc/shared'
import { notFound } from '../../errors.js'
import { childrenOf, getUnit, listByKinds, searchMarkets } from './org.repository.js'

const Unit = Type.Object({
  id: Type.Integer(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  kind: Type.Union(ORG_KINDS.map((k) => Type.Literal(k))),
  name: Type.String(),
  marketKind: Type.Union([...MARKET_KINDS.map((k) => Type.Literal(k)), Type.Null()]),
  staffed: Type.Union([Type.Boolean(), Type.Null()]),
  hasProperty: Type.Union([Type.Boolean(), Type.Null()]),
})

export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Place names are public: residents pick them when reporting, bulletins print them.
  app.get('/places', {
    config: { access: { public: true } },
    schema: {
      tags: ['org'],
      summary: '街道—社区—小区（选择地点用）',
      response: { 200: Type.Object({ items: Type.Array(Unit) }) },
    },
    handler: async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return { items: await listByKinds(app.db, ['street', 'community', 'grid', 'compound']) }
    },
  })

  app.get('/markets', {
    config: { access: { public: true } },
    schema: {
      tags: ['org'],
      summary: '搜索市场主体（超市、农贸市场、物管项目……）',
      querystring: Type.Object({ q: TextLine({ minLength: 1, maxLength: 40 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Intersect([Unit, Type.Object({ communityName: Type.String(), propertyCompany: Type.Union([Type.String(), Type.Null()]) })])) }) },
    },
    handler: async (req) => ({ items: await searchMarkets(app.db, req.query.q.trim(), req.query.limit ?? 20) }),
  })

  app.get('/units/:id', {
    config: { access: { roles: STAFF_ROLES, scope: { kind: 'org', from: 'params', key: 'id' } } },
    schema: {
      tags: ['org'],
      summary: '本辖区单位及其下级',
      params: IdParams,
      response: { 200: Type.Object({ unit: Unit, children: Type.Array(Unit) }) },
    },
    handler: async (req) => {
      const unit = await getUnit(app.db, req.params.id)
      if (!unit) throw notFound('单位')
      return { unit, children: await childrenOf(app.db, unit.id) }
    },
  })
}
