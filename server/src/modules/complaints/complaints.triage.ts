import { eq, sql } from 'drizzle-orm'
import { OPEN_STATUSES, type AdminStats, type ComplaintStatus } from '@cc/shared'
import { AppError, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { notify, staffOf } from '../notify/notify.service.js'
import { orgUnits } from '../org/org.table.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { categories, complaintFollowers, complaints } from './complaints.table.js'
import { loadComplaints } from './complaints.repository.js'
import { endOfDayShanghai } from './clock.js'
import { actorOf, fmt, row, type ComplaintCore } from './complaints.core.js'
import type { ComplaintViews } from './complaints.views.js'

/** The district: lists, triage (accept, reject, merge), assignment, request decisions, home numbers. */
export function createTriage(core: ComplaintCore, _views: ComplaintViews) {
  const { db, lockComplaint, transition, event, residentsOf, notifyResidents } = core
  return {
    async list(auth: AuthContext, q: { status?: ComplaintStatus; categoryId?: number; streetId?: number; overdue?: boolean; cursor?: string; limit?: number }, mode: 'admin' | 'tasks') {
      const limit = q.limit ?? 20
      const after = decodeCursor(q.cursor)
      const conds = [sql`TRUE`]
      if (mode === 'tasks') {
        conds.push(sql`a.path LIKE ${`${auth.orgPath}%`}`)
        if (!q.status) conds.push(sql`c.status IN ('assigned', 'signed', 'rectified', 'verified')`)
      }
      if (q.status) conds.push(sql`c.status = ${q.status}`)
      if (q.categoryId) conds.push(sql`c.category_id = ${q.categoryId}`)
      if (q.streetId) conds.push(sql`c.street_org_id = ${q.streetId}`)
      if (q.overdue) conds.push(sql`(c.sign_overdue OR c.rectify_overdue) AND c.status IN ('assigned', 'signed')`)
      const asc = mode === 'admin'
      if (after) conds.push(asc ? sql`c.id > ${after}` : sql`c.id < ${after}`)
      const rows = await loadComplaints(db, sql.join(conds, sql` AND `), asc ? sql`c.id ASC` : sql`c.id DESC`, limit + 1)
      const page = rows.slice(0, limit)
      return { items: page.map(row), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null }
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

    async merge(auth: AuthContext, id: number, targetId: number) {
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


    async stats(): Promise<AdminStats> {
      const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)
      const r = await db.execute(sql`
        SELECT
          count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')::int AS "receivedToday",
          count(*) FILTER (WHERE status IN (${open}))::int AS open,
          count(*) FILTER (WHERE status IN ('assigned', 'signed') AND (sign_overdue OR rectify_overdue))::int AS overdue,
          count(*) FILTER (WHERE status IN ('verified', 'published', 'closed'))::int AS "pluggedTotal",
          (count(*) FILTER (WHERE rectified_on_time))::float / NULLIF(count(*) FILTER (WHERE rectified_on_time IS NOT NULL), 0) AS "onTimeRate",
          (count(*) FILTER (WHERE rating = 'satisfied'))::float / NULLIF(count(*) FILTER (WHERE rating IS NOT NULL), 0) AS "satisfactionRate",
          count(*) FILTER (WHERE pending_request IS NOT NULL)::int AS "pendingRequests",
          count(*) FILTER (WHERE status IN ('submitted', 'reopened'))::int AS "toTriage",
          count(*) FILTER (WHERE status = 'rectified')::int AS "toVerify"
        FROM complaints`)
      return r.rows[0] as unknown as AdminStats
    },

  }
}
