import type pg from 'pg'
import { DASH_MAX_DAYS, inScope, isDay } from '@cc/shared'
import { AppError, badRequest, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'

export type TargetKind = 'district' | 'street' | 'community' | 'compound'

/** The org a dashboard call is about, with the ids the rollups are keyed by. */
export interface Target {
  id: number
  name: string
  kind: TargetKind
  path: string
  streetId: number | null
  communityId: number | null
}

const idsOf = (path: string) => path.split('/').filter(Boolean).map(Number)

/**
 * `orgId` was already checked against the caller's scope by the access plugin. Without it the caller's own
 * scope: the district, the street, or the community of a community worker (a grid worker's community).
 */
export async function resolveTarget(pool: pg.Pool, auth: AuthContext, orgId: number | undefined, kinds: readonly TargetKind[] = ['district', 'street', 'community']): Promise<Target> {
  let id = orgId
  if (!id) {
    const own = idsOf(auth.orgPath ?? '')
    id = auth.role === 'community_worker' ? own[2] : own[own.length - 1]
    if (!id) throw new AppError('FORBIDDEN', '您的账号没有所属单位')
  }
  const r = await pool.query<{ id: number; name: string; kind: string; path: string }>({
    name: 'dash_target',
    text: 'SELECT id, name, kind::text, path FROM org_units WHERE id = $1',
    values: [id],
  })
  const o = r.rows[0]
  if (!o) throw notFound('单位')
  if (!kinds.includes(o.kind as TargetKind)) throw badRequest(kinds.includes('compound') ? '请选择街道、社区或小区' : '请选择街道或社区')
  // Defence in depth: the plugin checks a named org; the derived one must lie inside the caller's path too
  // (a community worker's community is above a grid worker's own path, which is their own community).
  if (orgId && (!auth.orgPath || !inScope(auth.orgPath, o.path))) throw new AppError('OUT_OF_SCOPE')
  const ids = idsOf(o.path)
  return { id: o.id, name: o.name, kind: o.kind as TargetKind, path: o.path, streetId: ids[1] ?? null, communityId: ids[2] ?? null }
}

/** The Beijing calendar day of an instant. */
export const beijingDay = (d = new Date()) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10)

export interface Range {
  from: string
  to: string
}

/** from/to (or one day) in Beijing days, inclusive; default the last 30 days. Refuses nonsense in Chinese. */
export function parseRange(q: { from?: string; to?: string; day?: string }, maxDays = DASH_MAX_DAYS, now = new Date()): Range {
  if (q.day) {
    if (!isDay(q.day)) throw badRequest('日期不正确')
    return { from: q.day, to: q.day }
  }
  if (q.from && !isDay(q.from)) throw badRequest('开始日期不正确')
  if (q.to && !isDay(q.to)) throw badRequest('结束日期不正确')
  const to = q.to ?? (q.from ? minDay(addDays(q.from, Math.min(29, maxDays - 1)), beijingDay(now)) : beijingDay(now))
  const from = q.from ?? addDays(to, -Math.min(29, maxDays - 1))
  if (from > to) throw badRequest('开始日期不能晚于结束日期')
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86400_000 + 1
  if (span > maxDays) throw badRequest(maxDays >= 366 ? '日期范围不能超过一年' : `日期范围不能超过 ${maxDays} 天`)
  return { from, to }
}
const minDay = (a: string, b: string) => (a < b ? a : b)

/** The child level a scope breaks down into (streets of the district, communities of a street). */
export function childOf(t: Target): { kind: 'street' | 'community'; column: 'street_id' | 'community_id' } | null {
  if (t.kind === 'district') return { kind: 'street', column: 'street_id' }
  if (t.kind === 'street') return { kind: 'community', column: 'community_id' }
  return null
}

/** The rollup filter of a target: `street_id = x` / `community_id = x`, parameter number `n`. */
export function rollupWhere(t: Target, n: number): { text: string; values: number[] } {
  if (t.kind === 'street') return { text: ` AND street_id = $${n}`, values: [t.id] }
  if (t.kind === 'community') return { text: ` AND community_id = $${n}`, values: [t.id] }
  return { text: '', values: [] }
}
