import type { RouteLocationRaw } from 'vue-router'
import type { ComplaintMetric, DashFilter, GateVerdictFilter } from '../../api/dashboard'

/**
 * Where each number of the dashboard leads: the list behind it, with the same filter. The lists live under
 * the role's base (`/d`, `/s`, `/c`) so the tabbar and the back arrow stay the role's own.
 */
export const METRIC_LABELS: Record<ComplaintMetric, string> = {
  received: '受理',
  signed: '已签收',
  signedOnTime: '按时签收',
  signedLate: '超时签收',
  rectified: '已整改',
  rectifiedOnTime: '按时整改',
  rectifiedLate: '超时整改',
  rated: '已评价',
  satisfied: '满意',
  unsatisfied: '不满意',
  returned: '被退回重办',
  plugged: '已堵漏洞',
  overdue: '当前超期',
  open: '当前在办',
}
/** These two are "now", whatever the date range. */
export const NOW_METRICS: ComplaintMetric[] = ['overdue', 'open']

export interface DrillContext {
  base: string
  filter: DashFilter
}

const clean = (q: Record<string, string | number | boolean | null | undefined>) => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '' && v !== false) out[k] = v === true ? '1' : String(v)
  return out
}

export function complaintDrill(
  ctx: DrillContext,
  p: { metric: ComplaintMetric; day?: string; categoryId?: number; orgId?: number | null; unplaced?: boolean; allTime?: boolean; title: string },
): RouteLocationRaw {
  const ranged = !p.day && !p.allTime
  return {
    path: `${ctx.base}/dashboard/complaints`,
    query: clean({
      metric: p.metric,
      all: p.allTime,
      from: ranged ? ctx.filter.from : undefined,
      to: ranged ? ctx.filter.to : undefined,
      day: p.day,
      org: p.orgId ?? ctx.filter.orgId,
      cat: p.categoryId,
      unplaced: p.unplaced,
      t: p.title,
    }),
  }
}

export function gateDrill(
  ctx: DrillContext,
  p: { verdict: GateVerdictFilter; day?: string; hour?: number; reason?: string; orgId?: number | null; title: string },
): RouteLocationRaw {
  return {
    path: `${ctx.base}/dashboard/gate`,
    query: clean({
      verdict: p.verdict,
      from: p.day ? undefined : ctx.filter.from,
      to: p.day ? undefined : ctx.filter.to,
      day: p.day,
      hour: p.hour,
      reason: p.reason,
      org: p.orgId ?? ctx.filter.orgId,
      t: p.title,
    }),
  }
}

export function quarantineDrill(ctx: DrillContext, day: string): RouteLocationRaw {
  return { path: `${ctx.base}/dashboard/quarantine`, query: clean({ day, org: ctx.filter.orgId }) }
}

/** The gate's list of checks covers at most 31 days (the checks themselves are kept 28). */
export const GATE_LIST_MAX_DAYS = 31
export function spanDays(from?: string, to?: string) {
  if (!from || !to) return 0
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

/** An export's file name from a list's title and period: characters a file name cannot hold become "-". */
export function fileTitleOf(title: string, when: string): string {
  return `${title} ${when}`.replace(/[/\\:*?"<>|]+/g, '-').replace(/\s+/g, ' ').trim().slice(0, 60)
}
