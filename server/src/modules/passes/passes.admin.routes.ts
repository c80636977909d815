import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, Page } from '@cc/shared'
import { Card, CardsBody, PassActionBody, PassesQuery, PassRow } from '../households/households.schemas.js'
import type { PassAction, PassesAdminService } from './passes.admin.service.js'
import type { Signer } from './passes.signing.js'

const READERS = ['community_worker', 'street_admin', 'district_admin'] as const
const LIST = { roles: READERS, scope: { kind: 'org', from: 'query', key: 'compoundId' } } as const
const ACT = { roles: ['community_worker'], scope: { kind: 'resource', resource: 'pass', from: 'params', key: 'id' } } as const

const ACTIONS: Record<PassAction, string> = { suspend: '暂停通行证（填写原因，留痕）', restore: '恢复暂停的通行证', revoke: '注销通行证（不可恢复）' }

/** The community worker's pass administration (prefix /api/v1/passes). Residents' own passes are under /me. */
export const passesAdminRoutes =
  (svc: PassesAdminService, signer: Signer): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: LIST },
      schema: { tags: ['passes'], summary: '小区通行证列表', querystring: PassesQuery, response: { 200: Page(PassRow) } },
      handler: (req) => svc.list(req.query),
    })

    for (const action of Object.keys(ACTIONS) as PassAction[])
      app.post(`/:id/${action}`, {
        config: { access: ACT },
        schema: { tags: ['passes'], summary: ACTIONS[action], params: IdParams, body: PassActionBody, response: { 200: PassRow } },
        handler: (req) => svc.change(req, req.params.id, action, req.body.reason.trim()),
      })

    app.post('/cards', {
      // Each pass in the list is checked against the caller's scope by the service.
      config: { access: { roles: ['community_worker'], scope: { kind: 'none' } } },
      schema: {
        tags: ['passes'],
        summary: '为无智能手机的住户制作（或补办）通行卡：每张卡一个静态签名二维码，旧卡作废',
        body: CardsBody,
        response: { 200: Type.Object({ items: Type.Array(Card) }) },
      },
      handler: async (req) => ({ items: await svc.issueCards(req, req.body.passIds, signer) }),
    })
  }
