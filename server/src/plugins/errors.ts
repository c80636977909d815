import fp from 'fastify-plugin'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { BLOCK_PATTERN, ERRORS, LINE_PATTERN, type Problem } from '@cc/shared'
import { AppError } from '../errors.js'

const FIELD_LABELS: Record<string, string> = {
  phone: '手机号',
  code: '验证码',
  username: '用户名',
  password: '密码',
  description: '问题描述',
  categoryId: '问题类别',
  reason: '原因',
  note: '说明',
}

const KEYWORD_MESSAGES: Record<string, string> = {
  required: '必须填写',
  pattern: '格式不正确',
  format: '格式不正确',
  minLength: '内容太短',
  maxLength: '内容太长',
  minimum: '数值太小',
  maximum: '数值太大',
  minItems: '数量太少',
  maxItems: '数量太多',
  type: '类型不正确',
  enum: '取值无效',
  const: '取值无效',
  anyOf: '取值无效',
  additionalProperties: '包含不允许的字段',
}

interface AjvError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
}

function fieldOf(e: AjvError, context?: string): string {
  const p = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
  const missing = e.keyword === 'required' ? String(e.params.missingProperty ?? '') : ''
  const field = [p, missing].filter(Boolean).join('.') || context || ''
  return field
}

/** Connection-level failures (server gone, shutting down, starting up, network) as opposed to bad queries. */
const PG_DOWN = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006'])
function databaseUnavailable(err: Error, code: string | undefined): boolean {
  if (code && PG_DOWN.has(code)) return true
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(err.message ?? '')
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  return reply.code(p.status).type('application/problem+json; charset=utf-8').send(p)
}

function statusProblem(status: number): Problem {
  const match = Object.entries(ERRORS).find(([, v]) => v.status === status)
  const [code, v] = match ?? ['INTERNAL', ERRORS.INTERNAL]
  return { type: `about:blank`, title: v.title, status, code }
}

/** Turns every error into application/problem+json with a Chinese title; 5xx text never leaks. */
export default fp(async (app) => {
  app.setErrorHandler((err: FastifyError & { validation?: AjvError[]; code?: string }, req: FastifyRequest, reply) => {
    if (err instanceof AppError) {
      if (err.status >= 500) req.log.error({ err }, 'upstream failure')
      return sendProblem(reply, {
        type: `urn:cc:error:${err.code}`,
        title: ERRORS[err.code].title,
        status: err.status,
        code: err.code,
        detail: err.detail,
        ...(err.extra ?? {}),
      })
    }
    if (err.validation) {
      const errors = err.validation.map((e) => {
        const field = fieldOf(e, err.validationContext)
        const label = FIELD_LABELS[field.split('.').pop() ?? ''] ?? field
        const controlChars = e.keyword === 'pattern' && (e.params.pattern === LINE_PATTERN || e.params.pattern === BLOCK_PATTERN)
        return { path: field, message: `${label}${controlChars ? '含有不可见的控制字符，请删除后重试' : (KEYWORD_MESSAGES[e.keyword] ?? '不符合要求')}` }
      })
      return sendProblem(reply, {
        type: 'urn:cc:error:VALIDATION',
        title: ERRORS.VALIDATION.title,
        status: 400,
        code: 'VALIDATION',
        detail: errors[0]?.message,
        errors,
      })
    }
    // PostgreSQL constraint violations that slipped past the service: the input was bad, not the server.
    const pgCode = (err as unknown as { code?: string }).code
    if (databaseUnavailable(err, pgCode)) {
      // The database is down or restarting: a temporary state the client should retry, not a server bug.
      req.log.error({ err: { message: err.message, code: pgCode } }, 'database unavailable')
      reply.header('retry-after', '5')
      return sendProblem(reply, { type: 'urn:cc:error:UNAVAILABLE', title: ERRORS.UNAVAILABLE.title, status: 503, code: 'UNAVAILABLE' })
    }
    if (pgCode === '23505') return sendProblem(reply, { type: 'urn:cc:error:CONFLICT', title: '数据已存在，请勿重复提交', status: 409, code: 'CONFLICT' })
    // 22021: a NUL or invalid byte sequence reached PostgreSQL — the schemas refuse those; this is the backstop.
    if (pgCode === '22021') return sendProblem(reply, { type: 'urn:cc:error:VALIDATION', title: ERRORS.VALIDATION.title, status: 400, code: 'VALIDATION', detail: '内容含有无法保存的字符' })
    if (pgCode === '23503' || pgCode === '23514' || pgCode === '22P02' || pgCode === '22003' || pgCode === '23502')
      return sendProblem(reply, { type: 'urn:cc:error:VALIDATION', title: ERRORS.VALIDATION.title, status: 400, code: 'VALIDATION' })
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error')
      return sendProblem(reply, statusProblem(500))
    }
    if (status === 413) return sendProblem(reply, { ...statusProblem(413), code: 'PAYLOAD_TOO_LARGE' })
    if (status === 415) return sendProblem(reply, { ...statusProblem(415), code: 'UNSUPPORTED_MEDIA' })
    if (status === 429) return sendProblem(reply, { ...statusProblem(429), code: 'RATE_LIMITED' })
    if (status === 401) return sendProblem(reply, statusProblem(401))
    return sendProblem(reply, { type: 'urn:cc:error:VALIDATION', title: ERRORS.VALIDATION.title, status, code: 'VALIDATION' })
  })

})
