import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ROLES, UploadReply } from '@cc/shared'
import { AppError, notFound } from '../../errors.js'
import type { Storage } from './storage.js'
import type { UploadsService } from './uploads.service.js'

export const uploadsRoutes =
  (svc: UploadsService, storage: Storage): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post('/', {
      config: { access: { roles: ROLES, scope: { kind: 'none' } }, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['uploads'],
        summary: '上传一张照片（重新编码、去除位置信息、生成缩略图）',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ purpose: Type.Optional(Type.Union([Type.Literal('report'), Type.Literal('rectify'), Type.Literal('travel_card')])) }),
        response: { 201: UploadReply },
      },
      handler: async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA', '请以 multipart/form-data 上传照片')
        const file = await req.file()
        if (!file) throw new AppError('VALIDATION', '没有收到照片')
        let buf: Buffer
        try {
          buf = await file.toBuffer()
        } catch (e) {
          if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', '照片不能超过 10 MB')
          throw e
        }
        const saved = await svc.save(req.auth!.userId, req.query.purpose ?? 'report', buf)
        reply.code(201)
        return saved
      },
    })

    // Capability URLs: the id is a random UUID handed only to those who may see the report.
    app.get('/:id/:variant', {
      config: { access: { public: true } },
      schema: {
        tags: ['uploads'],
        summary: '照片',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), variant: Type.Union([Type.Literal('full'), Type.Literal('thumb')]) }),
        response: { 200: Type.Any() },
      },
      handler: async (req, reply) => {
        const u = await svc.find(req.params.id)
        if (!u) throw notFound('照片')
        reply.header('cache-control', 'private, max-age=86400, immutable').type('image/jpeg')
        return reply.send(storage.get(req.params.variant === 'thumb' ? u.thumbKey : u.storageKey))
      },
    })
  }
