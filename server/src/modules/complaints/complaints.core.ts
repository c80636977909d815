import { randomInt } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import {
  COMPLAINT_STATUS_LABELS,
  canTransition,
  redactFor,
  type ComplaintRow,
  type ComplaintStatus,
} from '@cc/shared'
import type { AppConfig } from '../../config.js'
import type { Db, Tx } from '../../db/client.js'
import { AppError, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { notify } from '../notify/notify.service.js'
import { uploads } from '../uploads/uploads.table.js'
import { complaintEvents, complaintPhotos, complaints, type ComplaintRowDb } from './complaints.table.js'
import { followerIds, type ComplaintListRow } from './complaints.repository.js'

const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'
// Built once: constructing an Intl.DateTimeFormat costs more than the rest of a submit's JavaScript.
const BEIJING_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' })
export function newTrackingCode(now = new Date()): string {
  const d = BEIJING_DATE.format(now).replace(/-/g, '').slice(2)
  let s = ''
  for (let i = 0; i < 5; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return `CC${d}${s}`
}

export const iso = (d: Date | null) => (d ? d.toISOString() : null)
/** List excerpts reach units and other residents: redacted as strictly as the unit's detail view. */
export const excerpt = (t: string, n = 60) => {
  const r = redactFor('unit', t)
  return r.length > n ? `${r.slice(0, n)}…` : r
}

export function row(c: ComplaintListRow): ComplaintRow {
  return {
    id: c.id,
    trackingCode: c.trackingCode,
    categoryName: c.categoryName,
    // A typed address is the reporter's words too (unit task lists use these rows).
    placeName: redactFor('unit', c.placeName),
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
export const SYSTEM: Actor = { userId: null, role: null, orgId: null }

/** Street id of an org path ("/1/4/17/" → 4), or null. */
export const streetOfPath = (path: string) => Number(path.split('/').filter(Boolean)[1]) || null

/** The building blocks every phase shares: row locks, the state machine applied, events, notifications. */
export function createComplaintCore(db: Db, config: AppConfig) {
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
  const notifyResidents = async (tx: Tx, c: ComplaintRowDb, title: string, body: string) =>
    notify(tx, await residentsOf(tx, c), { title, body, complaintId: c.id, page: `/pages/complaint?id=${c.id}` })
  return { db, config, lockComplaint, transition, event, residentsOf, attachPhotos, notifyResidents }
}
export type ComplaintCore = ReturnType<typeof createComplaintCore>

export function fmt(d: Date) {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d)
}
