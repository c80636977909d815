import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { OPEN_STATUSES, type CreateComplaintBody, type ResidentComplaint, type SimilarItem } from '@cc/shared'
import { AppError, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { notify } from '../notify/notify.service.js'
import { orgUnits } from '../org/org.table.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { categories, complaintFollowers, complaints } from './complaints.table.js'
import { loadComplaints } from './complaints.repository.js'
import { actorOf, excerpt, newTrackingCode, streetOfPath, type ComplaintCore } from './complaints.core.js'
import type { ComplaintViews } from './complaints.views.js'

/** Intake: a resident reports, finds similar reports, follows one, lists their own. */
export function createIntake(core: ComplaintCore, views: ComplaintViews) {
  const { db, lockComplaint, event, attachPhotos } = core
  const { residentView } = views
  return {
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
  }
}
