import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams, PASS_STATUSES } from '@cc/shared'
import type { MyPasses } from './passes.me.service.js'

const RESIDENT = { roles: ['resident'], scope: { kind: 'none' } } as const
const MyPass = Type.Object({
  passId: Type.Integer(),
  compoundId: Type.Integer(),
  compoundName: Type.String(),
  nameMasked: Type.String(),
  status: Type.Union(PASS_STATUSES.map((s) => Type.Literal(s))),
  validUntil: Type.String(),
  device: Type.Boolean(),
  deviceKey: Type.Union([Type.String(), Type.Null()]),
})
const Payload = Type.Object({
  v: Type.Literal(1),
  kid: Type.String(),
  pid: Type.Integer(),
  cid: Type.Integer(),
  n: Type.String(),
  k: Type.Literal('phone'),
  dpk: Type.String(),
  nbf: Type.Integer(),
  exp: Type.Integer(),
})

/** 我的通行码: the resident's passes and the device credential their phone shows as a rotating QR. */
export const myPassesRoutes =
  (svc: MyPasses): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/', {
      config: { access: RESIDENT },
      schema: { tags: ['passes'], summary: '我的通行证', response: { 200: Type.Object({ items: Type.Array(MyPass) }) } },
      handler: async (req) => svc.list(req.auth!.userId),
    })

    // Only the pass's own resident may bind a key: the service answers 404 for anyone else's pass.
    app.post('/:id/device', {
      config: { access: RESIDENT },
      schema: {
        tags: ['passes'],
        summary: '绑定本机密钥，领取通行凭证（换手机时原设备作废）',
        params: IdParams,
        body: Type.Object({ publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{80,100}$' }) }),
        response: { 200: Type.Object({ credential: Type.String(), payload: Payload, exp: Type.String() }) },
      },
      handler: async (req) => svc.registerDevice(req.auth!.userId, req.params.id, req.body.publicKey),
    })
  }
