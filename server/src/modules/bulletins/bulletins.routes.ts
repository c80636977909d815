import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { AdminBulletin, Bulletin, BulletinSummary, ErratumBody, IdParams, ItemEditBody, PublishBody, TextLine } from '@cc/shared'
import type { BulletinsService } from './bulletins.service.js'

const List = Type.Object({ items: Type.Array(BulletinSummary), nextCursor: Type.Union([Type.String(), Type.Null()]) })
const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const
const PageQ = Type.Object({ cursor: Type.Optional(TextLine({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) })

/** Public: anyone with the link reads published bulletins. No reporter identity is stored in them. */
export const bulletinsPublicRoutes =
  (svc: BulletinsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: { public: true } },
      schema: { tags: ['bulletins'], summary: '整改通报列表', querystring: PageQ, response: { 200: List } },
      handler: (req) => svc.list({ includeDrafts: false, ...req.query }),
    })
    app.get('/:id', {
      config: { access: { public: true } },
      schema: { tags: ['bulletins'], summary: '整改通报', params: IdParams, response: { 200: Bulletin } },
      handler: (req) => svc.get(req.params.id),
    })
  }

export const bulletinsAdminRoutes =
  (svc: BulletinsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: DISTRICT },
      schema: { tags: ['bulletins'], summary: '通报（含草稿）', querystring: PageQ, response: { 200: List } },
      handler: (req) => svc.list({ includeDrafts: true, ...req.query }),
    })
    app.get('/:id', {
      config: { access: DISTRICT },
      schema: { tags: ['bulletins'], summary: '通报（含草稿）', params: IdParams, response: { 200: AdminBulletin } },
      handler: (req) => svc.getAny(req.params.id),
    })
    app.post('/draft', {
      config: { access: DISTRICT },
      schema: { tags: ['bulletins'], summary: '生成草稿：收录上期以来核验通过的事项', response: { 200: AdminBulletin } },
      handler: (req) => svc.draft(req.auth!),
    })
    app.put('/:id/items/:itemId', {
      config: { access: DISTRICT },
      schema: {
        tags: ['bulletins'],
        summary: '编辑条目公开措辞（电话、身份证号自动隐去）',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), itemId: Type.Integer({ minimum: 1 }) }),
        body: ItemEditBody,
        response: { 200: AdminBulletin },
      },
      handler: (req) => svc.editItem(req.params.id, req.params.itemId, req.body),
    })
    app.post('/:id/publish', {
      config: { access: DISTRICT },
      schema: {
        tags: ['bulletins'],
        summary: '发布（编号连续、不重复；含7位以上数字时须 confirmDigits 确认，否则 422 PUBLIC_DIGITS）',
        params: IdParams,
        body: Type.Optional(PublishBody),
        response: { 200: AdminBulletin },
      },
      // Publishing took no body before the digits check: a bare POST still means "no confirmation".
      preValidation: async (req) => {
        if (req.body === undefined || req.body === null) req.body = {}
      },
      handler: (req) => svc.publish(req.auth!, req.params.id, { confirmDigits: req.body?.confirmDigits }),
    })
    app.post('/:id/erratum', {
      config: { access: DISTRICT },
      schema: { tags: ['bulletins'], summary: '发布勘误', params: IdParams, body: ErratumBody, response: { 200: AdminBulletin } },
      handler: (req) => svc.erratum(req.auth!, req.params.id, req.body.text, { confirmDigits: req.body.confirmDigits }),
    })
  }
