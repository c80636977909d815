/**
 * Error codes the API returns in problem+json bodies (`code`), with the Chinese title users see.
 * One list for server and h5 so the client can react to a code, not to a message.
 */
export const ERRORS = {
  VALIDATION: { status: 400, title: '提交的内容不完整或格式不对' },
  UNAUTHENTICATED: { status: 401, title: '请先登录' },
  TOKEN_EXPIRED: { status: 401, title: '登录已过期，请重新登录' },
  FORBIDDEN: { status: 403, title: '没有权限进行此操作' },
  OUT_OF_SCOPE: { status: 403, title: '不在您的管辖范围内' },
  NOT_FOUND: { status: 404, title: '找不到相关内容' },
  CONFLICT: { status: 409, title: '当前状态不允许此操作' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, title: '相同的请求正在处理，请稍候' },
  IDEMPOTENCY_MISMATCH: { status: 422, title: '重复提交的内容与首次不一致' },
  PUBLIC_DIGITS: { status: 422, title: '通报中含有7位以上的数字，请确认不是个人电话或证件号码后再发布' },
  BAD_CREDENTIALS: { status: 401, title: '用户名或密码错误' },
  BAD_SMS_CODE: { status: 401, title: '验证码错误或已过期' },
  SMS_TOO_FREQUENT: { status: 429, title: '验证码发送太频繁，请稍后再试' },
  RATE_LIMITED: { status: 429, title: '操作太频繁，请稍后再试' },
  ACCOUNT_DISABLED: { status: 403, title: '账号已停用' },
  WECHAT_FAILED: { status: 502, title: '微信登录失败，请重试' },
  SMS_FAILED: { status: 502, title: '短信发送失败，请稍后重试' },
  PAYLOAD_TOO_LARGE: { status: 413, title: '文件太大' },
  UNSUPPORTED_MEDIA: { status: 415, title: '不支持的文件类型' },
  INTERNAL: { status: 500, title: '服务器开小差了，请稍后再试' },
  UNAVAILABLE: { status: 503, title: '系统正在恢复，请稍后再试' },
} as const
export type ErrorCode = keyof typeof ERRORS

export interface Problem {
  type: string
  title: string
  status: number
  code: ErrorCode | string
  detail?: string
  errors?: { path: string; message: string }[]
}
