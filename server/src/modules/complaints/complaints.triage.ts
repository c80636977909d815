import { eq, sql } from 'drizzle-orm'
import { OPEN_STATUSES, type AdminStats, type ComplaintStatus } from '@cc/shared'
import { AppError, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { notify, staffOf } from '../notify/notify.service.js'
import { orgUnits } from '../org/org.table.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { categories, complaintFollowers, complaints } from './complaints.table.js'
import { listPage, loadComplaints, prepared } from './complaints.repository.js'
import { endOfDayShanghai } from './clock.js'
import { listFilters } from './complaints.filters.js'
import { actorOf, fmt, row, type ComplaintCore } from './complaints.core.js'
import type { ComplaintViews } from './complaints.views.js'

/** The district: lists, triage (accept, reject, merge), assignment, request decisions, home numbers. */
export function createTriage(core: ComplaintCore, _views: ComplaintViews) {
  const { db, lockComplaint, transition, event, residentsOf, notifyResidents } = core
  return {
    async list(auth: AuthContext, q: { status?: ComplaintStatus; statuses?: string; pending?: boolean; code?: string; categoryId?: number; streetId?: number; overdue?: boolean; cursor?: string; limit?: number }, mode: 'admin' | 'tasks') {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const conds = [sql`TRUE`]
      if (mode === 'tasks') {
        if (!auth.orgPath) return { items: [], nextCursor: null }
        // The caller's unit and everything under it, on the path copied onto the report. Written as a range,
        // not LIKE: a LIKE pattern that is a parameter cannot use the index in a prepared statement's plan.
        const path = auth.orgPath
        const upper = path.slice(0, -1) + String.fromCharCode(path.charCodeAt(path.length - 1) + 1)
        conds.push(sql`c.assignee_path ~>=~ ${path} AND c.assignee_path ~<~ ${upper}`)
        if (!q.status) conds.push(sql`c.status IN ('assigned', 'signed', 'rectified', 'verified')`)
      }
      conds.push(...listFilters(q))
      const asc = mode === 'admin'
      if (after) conds.push(asc ? sql`c.id > ${Math.min(after, 2147483647)}` : sql`c.id < ${Math.min(after, 2147483647)}`)
      // Filters and keyset order on complaints alone (each served by an index ending in id); names are
      // joined for the page only.
      const ids = sql`SELECT c.id FROM complaints c WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.id ${asc ? sql`ASC` : sql`DESC`} LIMIT ${limit + 1}`
      const rows = await listPage(db, ids, asc ? 'asc' : 'desc')
      const page = rows.slice(0, limit)
      return { items: page.map(row), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null }
    },

    /** Merge candidates: other live reports of the same category at the same place, newest first. */
    async similarTo(id: number) {
      const [c] = await db.select({ categoryId: complaints.categoryId, placeOrgId: complaints.placeOrgId, address: complaints.address }).from(complaints).where(eq(complaints.id, id))
      if (!c) throw new AppError('NOT_FOUND', '找不到该反映事项')
      const place = c.placeOrgId ? sql`c.place_org_id = ${c.placeOrgId}` : sql`c.place_org_id IS NULL AND lower(btrim(c.address)) = lower(btrim(${c.address}))`
      const rows = await loadComplaints(db, sql`c.id <> ${id} AND c.category_id = ${c.categoryId} AND ${place} AND c.status NOT IN ('merged', 'rejected', 'closed')`, sql`c.id DESC`, 10)
      return rows.map(row)
    },

    async accept(auth: AuthContext, id: number, note?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'accepted', actorOf(auth), note ?? null)
        await notifyResidents(tx, c, '您的反映已受理', `跟踪码 ${c.trackingCode}：区指挥部已受理，将交办责任单位整改。`)
      })
    },

    async reject(auth: AuthContext, id: number, reason: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'rejected', actorOf(auth), reason, { rejectReason: reason })
        await notifyResidents(tx, c, '您的反映未予受理', `跟踪码 ${c.trackingCode}：${reason}`)
      })
    },

    /** Into another open report, named by id or by the tracking code the editor has in front of them. */
    async merge(auth: AuthContext, id: number, to: { targetId?: number; targetCode?: string }) {
      const code = to.targetCode?.trim().toUpperCase()
      const found = !to.targetId && code ? (await db.select({ id: complaints.id }).from(complaints).where(eq(complaints.trackingCode, code)))[0] : undefined
      if (!to.targetId && code && !found) throw new AppError('NOT_FOUND', `找不到跟踪码为 ${code} 的反映`)
      const targetId = to.targetId ?? found?.id
      if (!targetId) throw new AppError('VALIDATION', '请填写要合并到的事项编号或跟踪码')
      if (id === targetId) throw new AppError('VALIDATION', '不能合并到自身')
      await db.transaction(async (tx) => {
        // Lock in id order so two merges in opposite directions cannot deadlock.
        const [first, second] = id < targetId ? [id, targetId] : [targetId, id]
        const a = await lockComplaint(tx, first)
        const b = await lockComplaint(tx, second)
        const [c, target] = a.id === id ? [a, b] : [b, a]
        if (!OPEN_STATUSES.includes(target.status) || target.status === 'submitted' && target.mergedIntoId) throw conflict('只能合并到仍在办理中的事项')
        await transition(tx, c, 'merged', actorOf(auth), `合并至 ${target.trackingCode}`, { mergedIntoId: target.id })
        const people = (await residentsOf(tx, c)).filter((u) => u !== target.reporterId)
        if (people.length) await tx.insert(complaintFollowers).values(people.map((userId) => ({ complaintId: target.id, userId }))).onConflictDoNothing()
        await event(tx, target.id, actorOf(auth), 'merged_in', `并入 ${c.trackingCode}`, {}, { from: c.id })
        await notify(tx, people, { title: '您的反映已合并办理', body: `同一问题已有人反映，合并至 ${target.trackingCode} 一并办理。`, complaintId: target.id })
      })
    },

    async assign(auth: AuthContext, id: number, b: { unitOrgId: number; signHours?: number; rectifyDueAt?: string; note?: string }) {
      const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, b.unitOrgId))
      if (!unit || !['community', 'street', 'market'].includes(unit.kind)) throw new AppError('VALIDATION', '只能交办给街道、社区或市场主体')
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        const [cat] = await tx.select().from(categories).where(eq(categories.id, c.categoryId))
        const now = new Date()
        const signDueAt = new Date(now.getTime() + (b.signHours ?? cat!.signHours) * 3600_000)
        const rectifyDueAt = b.rectifyDueAt ? new Date(b.rectifyDueAt) : endOfDayShanghai(now, cat!.rectifyDays)
        if (rectifyDueAt <= signDueAt) throw new AppError('VALIDATION', '整改期限必须晚于签收期限')
        await transition(tx, c, 'assigned', actorOf(auth), b.note ?? `交办 ${unit.name}`, {
          assigneeOrgId: unit.id,
          assignedAt: now,
          signDueAt,
          rectifyDueAt,
          signedAt: null,
          signReminded: false,
          rectifyReminded: false,
          signOverdue: false,
          rectifyOverdue: false,
          escalatedAt: null,
          pendingRequest: null,
          pendingReason: null,
          pendingUntil: null,
          pendingAt: null,
        })
        await notify(tx, await staffOf(tx, unit.id), {
          title: '新交办整改任务',
          body: `${c.trackingCode}：请于 ${fmt(signDueAt)} 前签收，${fmt(rectifyDueAt)} 前完成整改。`,
          complaintId: c.id,
        })
        await notifyResidents(tx, c, '您的反映已交办', `跟踪码 ${c.trackingCode}：已交办责任单位整改。`)
      })
    },


    /** Read from the counters the triggers keep (migration 0007), not counted over every report. */
    async stats(): Promise<AdminStats> {
      const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}::complaint_status`), sql`, `)
      const [r] = await prepared<AdminStats & { deltas: number }>(
        db,
        sql`
        SELECT
          (SELECT coalesce(sum(n), 0)::int FROM complaint_daily_counts
            WHERE day = (now() AT TIME ZONE 'Asia/Shanghai')::date AND kind = 'received') AS "receivedToday",
          coalesce(sum(n) FILTER (WHERE status IN (${open})), 0)::int AS open,
          coalesce(sum(n) FILTER (WHERE status IN ('assigned', 'signed') AND overdue), 0)::int AS overdue,
          coalesce(sum(n) FILTER (WHERE status IN ('verified', 'published', 'closed')), 0)::int AS "pluggedTotal",
          (sum(n) FILTER (WHERE on_time))::float / NULLIF(sum(n) FILTER (WHERE on_time IS NOT NULL), 0) AS "onTimeRate",
          (sum(n) FILTER (WHERE rating = 'satisfied'))::float / NULLIF(sum(n) FILTER (WHERE rating IS NOT NULL), 0) AS "satisfactionRate",
          coalesce(sum(n) FILTER (WHERE pending), 0)::int AS "pendingRequests",
          coalesce(sum(n) FILTER (WHERE status IN ('submitted', 'reopened')), 0)::int AS "toTriage",
          coalesce(sum(n) FILTER (WHERE status = 'accepted'), 0)::int AS "toAssign",
          coalesce(sum(n) FILTER (WHERE status = 'rectified'), 0)::int AS "toVerify",
          count(*)::int AS deltas
        FROM complaint_counters`,
      )
      const { deltas, ...stats } = r!
      // Fold the deltas once they pile up; after the answer, and harmless if another fold is running.
      if (deltas > 300) void db.execute(sql`SELECT complaint_counters_compact()`).catch(() => {})
      return stats
    },

  }
}
