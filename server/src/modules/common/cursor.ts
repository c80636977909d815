import { AppError } from '../../errors.js'

/** Keyset cursors: opaque to clients, an id underneath (ids grow with time in every list we page). */
export const encodeCursor = (id: number) => Buffer.from(`i:${id}`).toString('base64url')

export function decodeCursor(c: string | undefined): number | null {
  if (!c) return null
  const m = /^i:(\d{1,10})$/.exec(Buffer.from(c, 'base64url').toString())
  if (!m) throw new AppError('VALIDATION', '分页参数无效')
  return Number(m[1])
}
