import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Id, IdParams, Page, TextLine } from '@cc/shared'
import { AppError, badRequest } from '../../errors.js'
import type { ClaimsService } from './households.claims.js'
import { MAX_IMPORT_BYTES, type ImportService } from './households.import.js'
import {
  AddResidentBody,
  Building,
  Claim,
  ClaimBody,
  ClaimsQuery,
  Compound,
  CreateHouseholdBody,
  Household,
  HouseholdsQuery,
  ImportPreview,
  ImportResult,
  Member,
  MoveOutBody,
  PatchResidentBody,
  Reason,
} from './households.schemas.js'
import type { HouseholdsService } from './households.service.js'

const READERS = ['community_worker', 'street_admin', 'district_admin'] as const
const WORKER = ['community_worker'] as const
const scoped = <R extends readonly ('community_worker' | 'street_admin' | 'district_admin')[]>(roles: R, resource: string) =>
  ({ roles, scope: { kind: 'resource', resource, from: 'params', key: 'id' } }) as const

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The household register (prefix /api/v1/register): community workers edit, street and district read. */
export const registerRoutes =
  (svc: HouseholdsService, imports: ImportService, claims: ClaimsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/compounds', {
      config: { access: { roles: READERS, scope: { kind: 'none' } } },
      schema: { tags: ['register'], summary: '本辖区的小区及楼栋', response: { 200: Type.Object({ items: Type.Array(Compound) }) } },
      handler: (req) => svc.compounds(req.auth!),
    })

    app.get('/households', {
      config: { access: { roles: READERS, scope: { kind: 'org', from: 'query', key: 'compoundId' } } },
      schema: { tags: ['register'], summary: '住户列表（按楼栋、房号、姓名或手机尾号查找）', querystring: HouseholdsQuery, response: { 200: Page(Household) } },
      handler: (req) => svc.list(req.query),
    })

    app.post('/buildings', {
      config: { access: { roles: WORKER, scope: { kind: 'org', from: 'body', key: 'compoundId' } } },
      schema: {
        tags: ['register'],
        summary: '新增楼栋（同名则返回已有的）',
        body: Type.Object({ compoundId: Id, name: TextLine({ minLength: 1, maxLength: 20 }), units: Type.Integer({ minimum: 1, maximum: 20 }) }),
        response: { 200: Building, 201: Building },
      },
      handler: async (req, reply) => {
        const r = await svc.addBuilding(req, req.body)
        reply.code(r.created ? 201 : 200)
        return r.building
      },
    })

    app.post('/households', {
      config: { access: { roles: WORKER, scope: { kind: 'org', from: 'body', key: 'compoundId' } } },
      schema: { tags: ['register'], summary: '新建住户（房号已有则返回已有的）', body: CreateHouseholdBody, response: { 200: Household, 201: Household } },
      handler: async (req, reply) => {
        const r = await svc.createHousehold(req, req.body)
        reply.code(r.created ? 201 : 200)
        return r.household
      },
    })

    app.get('/households/:id', {
      config: { access: scoped(READERS, 'household') },
      schema: { tags: ['register'], summary: '住户及其成员', params: IdParams, response: { 200: Household } },
      handler: (req) => svc.getHousehold(req.params.id),
    })

    app.post('/households/:id/residents', {
      config: { access: scoped(WORKER, 'household') },
      schema: { tags: ['register'], summary: '登记成员（同时发放通行证）', params: IdParams, body: AddResidentBody, response: { 201: Member } },
      handler: async (req, reply) => {
        const m = await svc.addResident(req, req.params.id, req.body)
        reply.code(201)
        return m
      },
    })

    app.patch('/residents/:id', {
      config: { access: scoped(WORKER, 'resident') },
      schema: { tags: ['register'], summary: '修改成员信息', params: IdParams, body: PatchResidentBody, response: { 200: Member } },
      handler: (req) => svc.patchResident(req, req.params.id, req.body),
    })

    app.post('/residents/:id/move-out', {
      config: { access: scoped(WORKER, 'resident') },
      schema: { tags: ['register'], summary: '迁出（通行证随之注销）', params: IdParams, body: MoveOutBody, response: { 200: Member } },
      handler: (req) => svc.moveOut(req, req.params.id, req.body),
    })

    app.get('/imports/template', {
      config: { access: { roles: READERS, scope: { kind: 'none' } } },
      schema: { tags: ['register'], summary: '住户导入模板（.xlsx）', response: { 200: Type.Any() } },
      handler: async (_req, reply) => {
        const file = await imports.template()
        reply.type(XLSX).header('content-disposition', `attachment; filename="register-template.xlsx"; filename*=UTF-8''${encodeURIComponent('住户导入模板.xlsx')}`)
        return file
      },
    })

    app.post('/imports', {
      // The compound comes as a form field (or ?compoundId=); the service checks it against the caller's scope.
      config: { access: { roles: WORKER, scope: { kind: 'org', from: 'query', key: 'compoundId' } }, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['register'],
        summary: '上传住户表格（.xlsx / .csv，最多 20000 行、10 MB），返回逐行校验的预览',
        consumes: ['multipart/form-data'],
        querystring: Type.Object({ compoundId: Type.Optional(Id) }),
        response: { 201: ImportPreview },
      },
      handler: async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA', '请以 multipart/form-data 上传表格文件')
        let compoundId: number | undefined = req.query.compoundId
        let file: { name: string; buf: Buffer } | null = null
        try {
          for await (const part of req.parts({ limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } })) {
            if (part.type === 'file') file = { name: part.filename, buf: await part.toBuffer() }
            else if (part.fieldname === 'compoundId' && compoundId === undefined) compoundId = Number(part.value)
          }
        } catch (e) {
          const code = (e as { code?: string }).code
          if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', '表格文件不能超过 10 MB，请分批导入')
          if (code?.startsWith('FST_')) throw badRequest('一次只能上传一个表格文件')
          throw e
        }
        if (!file) throw badRequest('没有收到表格文件')
        if (!Number.isInteger(compoundId) || compoundId! < 1 || compoundId! > 2147483647) throw badRequest('请选择小区')
        const preview = await imports.preview(req, compoundId!, file.name, file.buf)
        reply.code(201)
        return preview
      },
    })

    app.post('/imports/:id/commit', {
      config: { access: scoped(WORKER, 'registerImport') },
      schema: { tags: ['register'], summary: '确认导入（全部成功或全部不写入；重复提交返回同一结果）', params: IdParams, response: { 200: ImportResult } },
      handler: (req) => imports.commit(req, req.params.id),
    })

    app.get('/claims', {
      config: { access: { roles: READERS, scope: { kind: 'none' } } },
      schema: { tags: ['register'], summary: '居民认领住户的申请', querystring: ClaimsQuery, response: { 200: Page(Claim) } },
      handler: (req) => claims.list(req.auth!, req.query),
    })

    app.post('/claims/:id/approve', {
      config: { access: scoped(WORKER, 'householdClaim') },
      schema: { tags: ['register'], summary: '通过认领（登记为住户并发放通行证）', params: IdParams, response: { 200: Claim } },
      handler: (req) => claims.approve(req, req.params.id),
    })

    app.post('/claims/:id/refuse', {
      config: { access: scoped(WORKER, 'householdClaim') },
      schema: { tags: ['register'], summary: '不通过认领（原因告知居民）', params: IdParams, body: Type.Object({ reason: Reason }), response: { 200: Claim } },
      handler: (req) => claims.refuse(req, req.params.id, req.body.reason.trim()),
    })
  }

/** The resident's side (prefix /api/v1/me): find a compound, claim a household, follow the claim. */
export const meRegisterRoutes =
  (claims: ClaimsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    const RESIDENT = { roles: ['resident'], scope: { kind: 'none' } } as const

    app.get('/register/compounds', {
      config: { access: RESIDENT },
      schema: {
        tags: ['register'],
        summary: '可认领住户的小区及楼栋',
        querystring: Type.Object({ q: Type.Optional(TextLine({ maxLength: 20 })) }),
        response: { 200: Type.Object({ items: Type.Array(Compound) }) },
      },
      handler: (req) => claims.claimableCompounds(req.query.q),
    })

    app.post('/household-claims', {
      config: { access: RESIDENT, rateLimit: { max: 20, timeWindow: '1 hour' } },
      schema: { tags: ['register'], summary: '认领我的住户（待社区审核；重复提交返回同一申请）', body: ClaimBody, response: { 200: Claim, 201: Claim } },
      handler: async (req, reply) => {
        const r = await claims.submit(req.auth!, req.body)
        reply.code(r.created ? 201 : 200)
        return r.claim
      },
    })

    app.get('/household-claims', {
      config: { access: RESIDENT },
      schema: { tags: ['register'], summary: '我的住户认领申请', response: { 200: Type.Object({ items: Type.Array(Claim) }) } },
      handler: (req) => claims.mine(req.auth!),
    })
  }
