import { ERRORS, type ErrorCode } from '@cc/shared'

/** The one error type of the API. `detail` is shown to the user, so it is Chinese too. */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? ERRORS[code].title)
    this.status = ERRORS[code].status
  }
}

export const notFound = (what = '内容') => new AppError('NOT_FOUND', `找不到该${what}`)
export const conflict = (detail: string) => new AppError('CONFLICT', detail)
export const forbidden = (detail?: string) => new AppError('FORBIDDEN', detail)
export const badRequest = (detail: string) => new AppError('VALIDATION', detail)
