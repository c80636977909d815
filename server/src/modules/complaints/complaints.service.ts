import { randomInt, randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import {
  COMPLAINT_STATUS_LABELS,
  OPEN_STATUSES,
  canTransition,
  maskPhone,
  redactPublicText,
  type AdminComplaint,
  type AdminStats,
  type ComplaintRow,
  type ComplaintStatus,
  type CreateComplaintBody,
  type ResidentComplaint,
  type SimilarItem,
  type UnitComplaint,
} from '@cc/shared'
import type { AppConfig } from '../../config.js'
import { decrypt } from '../../crypto.js'
import type { Db, Tx } from '../../db/client.js'
import { AppError, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { audit } from '../audit/audit.service.js'
import { users } from '../auth/auth.table.js'
import { districtAdmins, notify, staffOf } from '../notify/notify.service.js'
import { orgUnits } from '../org/org.table.js'
import { uploads } from '../uploads/uploads.table.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { categories, complaintEvents, complaintFollowers, complaintPhotos, complaints, type ComplaintRowDb } from './complaints.table.js'
import { eventsOf, followerIds, loadComplaint, loadComplaints, photosOf, type ComplaintJoined } from './complaints.repository.js'
import { endOfDayShanghai } from './clock.js'

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
function newTrackingCode(now = new Date()): string {
  const d = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(now).replace(/-/g, '').slice(2)
  let s = ''
  for (let i = 0; i < 5; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `CC${d}${s}`
}

const iso = (d: Date | null) => (d ? d.toISOString() : null)
const excerpt = (t: string, n = 60) => {
  const r = redactPublicText(t)
  return r.length > n ? `${r.slice(0, n)}…` : r
}

function row(c: ComplaintJoined): ComplaintRow {
  return {
    id: c.id,
    trackingCode: c.trackingCode,
    categoryName: c.categoryName,
    placeName: c.placeName,
    excerpt: excerpt(c.description),
    status: c.status,
    followers: c.followers,
    createdAt: c.createdAt.toISOString(),
    assigneeName: c.assigneeName,
    signDueAt: iso(c.signDueAt),
    rectifyDueAt: iso(c.rectifyDueAt),
    signOverdue: c.signOverdue,
    rectifyOverdue: c.rectifyOverdue,
    escalated: !!c.escalatedAt,
    hasPendingRequest: !!c.pendingRequest,
  }
}

export interface Actor {
  userId: number | null
  role: AuthContext['role'] | null
  orgId: number | null
}
export const actorOf = (a: AuthContext): Actor => ({ userId: a.userId, role: a.role, orgId: a.orgId })
const SYSTEM: Actor = { userId: null, role: null, orgId: null }

/** Street id of an org path ("/1/4/17/" → 4), or null. */
const streetOfPath = (path: string) => Number(path.split('/').filter(Boolean)[1]) || null

export function createComplaintsService(db: Db, config: AppConfig) {
  async function lockComplaint(tx: Tx, id: number): Promise<ComplaintRowDb> {
    const [c] = await tx.select().from(complaints).where(eq(complaints.id, id)).for('update')
    if (!c) throw notFound('反映事项')
    return c
  }

  /** The only way a status changes: checked against the shared state machine, recorded as an event. */
  async function transition(tx: Tx, c: ComplaintRowDb, to: ComplaintStatus, actor: Actor, note: string | null, patch: Partial<typeof complaints.$inferInsert> = {}, kind = 'transition') {
    if (!canTransition(c.status, to)) throw conflict(`该事项当前为“${COMPLAINT_STATUS_LABELS[c.status]}”，不能改为“${COMPLAINT_STATUS_LABELS[to]}”`)
    const res = await tx
      .update(complaints)
      .set({ ...patch, status: to, updatedAt: new Date() })
      .where(and(eq(complaints.id, c.id), eq(complaints.status, c.status)))
      .returning({ id: complaints.id })
    if (res.length !== 1) throw conflict('该事项刚被他人处理，请刷新后再试')
    await event(tx, c.id, actor, kind, note, { from: c.status, to })
    c.status = to
  }

  async function event(tx: Tx, complaintId: number, actor: Actor, kind: string, note: string | null, s: { from?: ComplaintStatus; to?: ComplaintStatus } = {}, data: Record<string, unknown> = {}) {
    await tx.insert(complaintEvents).values({
      complaintId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorOrgId: actor.orgId,
      kind,
      fromStatus: s.from ?? null,
      toStatus: s.to ?? null,
      note,
      data,
    })
  }

  async function residentsOf(tx: Tx, c: ComplaintRowDb) {
    return [c.reporterId, ...(await followerIds(tx, c.id))]
  }

  async function attachPhotos(tx: Tx, complaintId: number, ownerId: number, ids: string[], stage: 'report' | 'rectify') {
    if (ids.length === 0) return
    const found = await tx
      .select({ id: uploads.id })
      .from(uploads)
      .where(and(inArray(uploads.id, ids), eq(uploads.ownerId, ownerId), eq(uploads.purpose, stage)))
    if (found.length !== ids.length) throw new AppError('VALIDATION', '照片无效或已过期，请重新上传')
    const used = await tx.select({ id: complaintPhotos.uploadId }).from(complaintPhotos).where(inArray(complaintPhotos.uploadId, ids))
    if (used.length) throw new AppError('VALIDATION', '照片已被使用，请重新上传')
    await tx.insert(complaintPhotos).values(ids.map((uploadId, seq) => ({ complaintId, uploadId, stage, seq })))
  }

  async function residentView(id: number, userId: number): Promise<ResidentComplaint> {
    const c = await loadComplaint(db, id)
    if (!c) throw notFound('反映事项')
    const b = await base(c)
    // The resident sees the unit's fix only once the district has verified it, redacted like public text.
    const fix = b.common.rectification
    const showFix = ['verified', 'published', 'closed'].includes(c.status)
    return {
      ...b.common,
      rectification: showFix && fix ? { ...fix, text: redactPublicText(fix.text) } : null,
      anonymous: c.anonymous,
      rejectReason: c.rejectReason,
      mergedIntoCode: c.mergedIntoCode,
      followers: c.followers,
      bulletinId: c.bulletinTitle ? c.bulletinId : null,
      bulletinTitle: c.bulletinTitle,
      rating: c.rating,
      canRate: c.status === 'published' && c.reporterId === userId,
      events: b.events.filter((e) => e.kind !== 'reminder' && e.kind !== 'escalation'),
    }
  }

  function clocks(c: ComplaintJoined) {
    return {
      assigneeOrgId: c.assigneeOrgId,
      assigneeName: c.assigneeName,
      assignedAt: iso(c.assignedAt),
      signDueAt: iso(c.signDueAt),
      rectifyDueAt: iso(c.rectifyDueAt),
      signedAt: iso(c.signedAt),
      signOverdue: c.signOverdue,
      rectifyOverdue: c.rectifyOverdue,
      escalated: !!c.escalatedAt,
      returns: c.returns,
      pendingRequest: c.pendingRequest ? { kind: c.pendingRequest, reason: c.pendingReason ?? '', until: iso(c.pendingUntil), at: c.pendingAt!.toISOString() } : null,
      lastReturnNote: null as string | null,
    }
  }

  async function base(c: ComplaintJoined) {
    const photos = await photosOf(db, c.id)
    const events = await eventsOf(db, c.id)
    const lastReturn = [...events].reverse().find((e) => e.kind === 'returned')
    return {
      photos,
      events,
      lastReturnNote: lastReturn?.note ?? null,
      common: {
        id: c.id,
        trackingCode: c.trackingCode,
        categoryId: c.categoryId,
        categoryName: c.categoryName,
        placeName: c.placeName,
        description: c.description,
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        photos: photos.report,
        rectification: c.rectifyText && c.rectifiedAt ? { text: c.rectifyText, photos: photos.rectify, at: c.rectifiedAt.toISOString() } : null,
      },
    }
  }

  /** The accountable unit's view. Built field by field: nothing about the reporter is even read. */
  async function unitView(id: number): Promise<UnitComplaint> {
    const c = await loadComplaint(db, id)
    if (!c) throw notFound('反映事项')
    const b = await base(c)
    return { ...b.common, ...clocks(c), lastReturnNote: b.lastReturnNote, followers: c.followers, events: b.events }
  }

  async function adminView(req: FastifyRequest, id: number): Promise<AdminComplaint> {
    const c = await loadComplaint(db, id)
    if (!c) throw notFound('反映事项')
    const b = await base(c)
    let reporter: AdminComplaint['reporter'] = null
    if (!c.anonymous) {
      const [u] = await db.select({ name: users.displayName, phoneEnc: users.phoneEnc }).from(users).where(eq(users.id, c.reporterId))
      reporter = { name: u!.name, phoneMasked: u!.phoneEnc ? maskPhone(decrypt(config.dataKey, u!.phoneEnc)) : null }
      await audit(db, req, { action: 'complaint.reporter.view', targetType: 'complaint', targetId: id })
    }
    return {
      ...b.common,
      ...clocks(c),
      lastReturnNote: b.lastReturnNote,
      placeOrgId: c.placeOrgId,
      streetName: c.streetName,
      anonymous: c.anonymous,
      followers: c.followers,
      rejectReason: c.rejectReason,
      mergedIntoId: c.mergedIntoId,
      rating: c.rating,
      reporter,
      events: b.events,
    }
  }

  const notifyResidents = async (tx: Tx, c: ComplaintRowDb, title: string, body: string) =>
    notify(tx, await residentsOf(tx, c), { title, body, complaintId: c.id, page: `/pages/complaint?id=${c.id}` })

  return {
    residentView,
    unitView,
    adminView,

    listCategories: () => db.select().from(categories).where(eq(categories.active, true)).orderBy(categories.sort, categories.id),

    async create(auth: AuthContext, body: CreateComplaintBody, clientKey: string | undefined): Promise<ResidentComplaint> {
      if (!body.placeOrgId && !body.address?.trim()) throw new AppError('VALIDATION', '请选择或填写问题发生的地点')
      const [cat] = await db.select().from(categories).where(and(eq(categories.id, body.categoryId), eq(categories.active, true)))
      if (!cat) throw new AppError('VALIDATION', '请选择问题类别')
      let streetOrgId: number | null = null
      if (body.placeOrgId) {
        const [place] = await db.select({ kind: orgUnits.kind, path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.id, body.placeOrgId))
        if (!place || !['compound', 'community', 'market', 'street'].includes(place.kind)) throw new AppError('VALIDATION', '请选择小区、社区或市场主体')
        streetOrgId = streetOfPath(place.path)
      }
      const key = clientKey ?? randomUUID()
      const id = await db.transaction(async (tx) => {
        const inserted = await tx
          .insert(complaints)
          .values({
            trackingCode: newTrackingCode(),
            reporterId: auth.userId,
            clientKey: key,
            categoryId: cat.id,
            placeOrgId: body.placeOrgId ?? null,
            address: body.address?.trim() || null,
            streetOrgId,
            description: body.description.trim(),
            anonymous: body.anonymous,
            lat: body.lat ?? null,
            lng: body.lng ?? null,
          })
          .onConflictDoNothing({ target: [complaints.reporterId, complaints.clientKey] })
          .returning({ id: complaints.id, trackingCode: complaints.trackingCode })
        if (inserted.length === 0) {
          // The same submit again (the idempotency store was bypassed or expired): answer with the first one.
          const [prev] = await tx.select({ id: complaints.id }).from(complaints).where(and(eq(complaints.reporterId, auth.userId), eq(complaints.clientKey, key)))
          return prev!.id
        }
        const c = inserted[0]!
        await attachPhotos(tx, c.id, auth.userId, body.photoIds, 'report')
        await event(tx, c.id, actorOf(auth), 'submitted', null, { to: 'submitted' })
        await notify(tx, [auth.userId], { title: '已收到您的反映', body: `跟踪码 ${c.trackingCode}，我们将尽快受理。`, complaintId: c.id })
        return c.id
      })
      return residentView(id, auth.userId)
    },

    async similar(userId: number, q: { categoryId: number; placeOrgId?: number; address?: string }): Promise<SimilarItem[]> {
      if (!q.placeOrgId && !q.address?.trim()) return []
      const place = q.placeOrgId ? sql`c.place_org_id = ${q.placeOrgId}` : sql`c.address ILIKE ${`%${q.address!.trim().replace(/[\\%_]/g, (x) => `\\${x}`)}%`}`
      const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)
      const rows = await loadComplaints(db, sql`c.category_id = ${q.categoryId} AND ${place} AND c.status IN (${open}) AND c.reporter_id <> ${userId}`, sql`c.id DESC`, 5)
      const mine = new Set(
        rows.length
          ? ((await db.execute(sql`SELECT complaint_id FROM complaint_followers WHERE user_id = ${userId} AND complaint_id IN (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`)).rows as { complaint_id: number }[]).map((r) => r.complaint_id)
          : [],
      )
      return rows.map((c) => ({
        id: c.id,
        trackingCode: c.trackingCode,
        categoryName: c.categoryName,
        placeName: c.placeName,
        excerpt: excerpt(c.description),
        status: c.status,
        followers: c.followers,
        followedByMe: mine.has(c.id),
        createdAt: c.createdAt.toISOString(),
      }))
    },

    async follow(auth: AuthContext, id: number): Promise<{ followers: number }> {
      return db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (!OPEN_STATUSES.includes(c.status)) throw conflict('该事项已办结，无需再反映')
        if (c.reporterId === auth.userId) throw conflict('这是您自己反映的问题')
        const ins = await tx.insert(complaintFollowers).values({ complaintId: id, userId: auth.userId }).onConflictDoNothing().returning()
        if (ins.length) await event(tx, id, actorOf(auth), 'follow', null)
        const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(complaintFollowers).where(eq(complaintFollowers.complaintId, id))) as [{ n: number }]
        return { followers: n }
      })
    },

    async mine(userId: number, cursor: string | undefined, limit = 20) {
      const before = decodeCursor(cursor)
      const rows = await loadComplaints(
        db,
        sql`(c.reporter_id = ${userId} OR EXISTS (SELECT 1 FROM complaint_followers f WHERE f.complaint_id = c.id AND f.user_id = ${userId})) ${before ? sql`AND c.id < ${before}` : sql``}`,
        sql`c.id DESC`,
        limit + 1,
      )
      const page = rows.slice(0, limit)
      return { items: await Promise.all(page.map((c) => residentView(c.id, userId))), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null }
    },

    /** District queue (oldest first) or a unit's tasks (newest first); scope always ANDed in. */
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

    async sign(auth: AuthContext, id: number) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'signed', actorOf(auth), null, { signedAt: new Date() })
      })
    },

    async request(auth: AuthContext, id: number, kind: 'extension' | 'reassign', reason: string, until?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (c.status !== 'assigned' && c.status !== 'signed') throw conflict('只有办理中的事项可以申请延期或改派')
        if (c.pendingRequest) throw conflict('已有申请在等待区指挥部审批')
        const untilDate = until ? new Date(until) : null
        if (kind === 'extension' && (!untilDate || untilDate <= (c.rectifyDueAt ?? new Date()))) throw new AppError('VALIDATION', '延期后的期限必须晚于原整改期限')
        await tx
          .update(complaints)
          .set({ pendingRequest: kind, pendingReason: reason, pendingUntil: untilDate, pendingAt: new Date() })
          .where(eq(complaints.id, id))
        await event(tx, id, actorOf(auth), kind === 'extension' ? 'extension_requested' : 'reassign_requested', reason, {}, untilDate ? { until: untilDate.toISOString() } : {})
        await notify(tx, await districtAdmins(tx), { title: kind === 'extension' ? '延期申请待审批' : '改派申请待审批', body: `${c.trackingCode}：${reason}`, complaintId: id })
      })
    },

    async decide(auth: AuthContext, id: number, approve: boolean, note?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (!c.pendingRequest) throw conflict('该事项没有待审批的申请')
        const kind = c.pendingRequest
        const unitId = c.assigneeOrgId!
        const clear = { pendingRequest: null, pendingReason: null, pendingUntil: null, pendingAt: null }
        if (approve && kind === 'reassign') {
          await transition(tx, c, 'accepted', actorOf(auth), note ?? '同意改派', { ...clear, assigneeOrgId: null, signDueAt: null, rectifyDueAt: null }, 'reassign_approved')
        } else {
          const patch = approve ? { ...clear, rectifyDueAt: c.pendingUntil, rectifyOverdue: false, rectifyReminded: false } : clear
          await tx.update(complaints).set(patch).where(eq(complaints.id, id))
          await event(tx, id, actorOf(auth), `${kind}_${approve ? 'approved' : 'refused'}`, note ?? null)
        }
        await notify(tx, await staffOf(tx, unitId), {
          title: `${kind === 'extension' ? '延期' : '改派'}申请${approve ? '已同意' : '未同意'}`,
          body: `${c.trackingCode}${note ? `：${note}` : ''}`,
          complaintId: id,
        })
      })
    },

    async rectify(auth: AuthContext, id: number, text: string, photoIds: string[]) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        const now = new Date()
        await tx.delete(complaintPhotos).where(and(eq(complaintPhotos.complaintId, id), eq(complaintPhotos.stage, 'rectify')))
        await transition(tx, c, 'rectified', actorOf(auth), null, {
          rectifyText: text.trim(),
          rectifiedAt: now,
          rectifiedOnTime: c.rectifiedOnTime === false ? false : now <= (c.rectifyDueAt ?? now),
        })
        await attachPhotos(tx, id, auth.userId, photoIds, 'rectify')
        await notify(tx, await districtAdmins(tx), { title: '整改已上报，待核验', body: `${c.trackingCode}`, complaintId: id })
      })
    },

    async verify(auth: AuthContext, id: number, note?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'verified', actorOf(auth), note ?? null, { verifiedAt: new Date() })
        await notifyResidents(tx, c, '整改已核验', `跟踪码 ${c.trackingCode}：整改已核验，将在整改通报中公布。`)
      })
    },

    async returnFix(auth: AuthContext, id: number, note: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'signed', actorOf(auth), note, { returns: c.returns + 1 }, 'returned')
        await notify(tx, await staffOf(tx, c.assigneeOrgId!), { title: '整改被退回', body: `${c.trackingCode}：${note}`, complaintId: id })
      })
    },

    async rate(auth: AuthContext, id: number, satisfied: boolean, comment?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (c.reporterId !== auth.userId) throw new AppError('FORBIDDEN', '只有反映人可以评价')
        if (satisfied) await transition(tx, c, 'closed', actorOf(auth), comment ?? '满意', { rating: 'satisfied', ratingComment: comment ?? null, closedAt: new Date() }, 'rated')
        else {
          await transition(tx, c, 'reopened', actorOf(auth), comment ?? '不满意', { rating: 'unsatisfied', ratingComment: comment ?? null }, 'rated')
          await notify(tx, await districtAdmins(tx), { title: '网友对整改不满意', body: `${c.trackingCode} 已重新打开`, complaintId: id })
        }
      })
    },

    /** Used by bulletins: moves verified items to published and tells their residents. */
    async markPublished(tx: Tx, ids: number[], actor: Actor, bulletinTitle: string) {
      for (const id of ids) {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'published', actor, bulletinTitle, { publishedAt: new Date() })
        await notifyResidents(tx, c, '整改情况已通报', `跟踪码 ${c.trackingCode} 已在《${bulletinTitle}》中公布，请您评价整改效果。`)
      }
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

    SYSTEM,
    event,
    lockComplaint,
  }
}
export type ComplaintsService = ReturnType<typeof createComplaintsService>

function fmt(d: Date) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d)
}
