import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { OPEN_STATUSES, redactFor, type CreateComplaintBody, type ResidentComplaint, type SimilarItem } from '@cc/shared'
import { AppError, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { photoUrl } from '../uploads/uploads.service.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { categories, complaintFollowers, complaints } from './complaints.table.js'
import { loadComplaints, prepared, residentPage, toDate, type ComplaintJoined } from './complaints.repository.js'
import { actorOf, excerpt, newTrackingCode, streetOfPath, type ComplaintCore } from './complaints.core.js'
import type { ComplaintViews } from './complaints.views.js'

/** How long a report shown as similar may be joined (我也遇到) by the resident it was shown to. */
const SHOWN_TTL = '1 day'

/** Intake: a resident reports, finds similar reports, follows one, lists their own. */
export function createIntake(core: ComplaintCore, views: ComplaintViews) {
  const { db, config, lockComplaint, event, attachPhotos } = core
  const { residentView } = views

  // Categories and org units are reference data that hardly ever change (units never move; a rename or a
  // retired category shows after at most REF_TTL_MS): remembering them saves a submit one of its two queries.
  type Ref = { categoryName: string | null; kind: string | null; path: string | null; placeName: string | null }
  const REF_TTL_MS = 30_000
  const refs = new Map<string, { at: number; ref: Ref }>()
  async function placeAndCategory(categoryId: number, placeOrgId: number | null): Promise<Ref | undefined> {
    const k = `${categoryId}:${placeOrgId}`
    const hit = refs.get(k)
    if (hit && Date.now() - hit.at < REF_TTL_MS) return hit.ref
    // One look-up for the category and the place; their names are also what the receipt shows.
    const [ref] = await prepared<Ref>(
      db,
      sql`SELECT cat.name AS "categoryName", p.kind, p.path, org_place_name(p.path) AS "placeName"
        FROM (SELECT 1) one
        LEFT JOIN complaint_categories cat ON cat.id = ${categoryId}::int AND cat.active
        LEFT JOIN org_units p ON p.id = ${placeOrgId}::int`,
    )
    if (refs.size > 10_000) refs.clear()
    if (ref) refs.set(k, { at: Date.now(), ref })
    return ref
  }

  return {
    listCategories: () => db.select().from(categories).where(eq(categories.active, true)).orderBy(categories.sort, categories.id),

    async create(auth: AuthContext, body: CreateComplaintBody, clientKey: string | undefined): Promise<ResidentComplaint & { replayed: boolean }> {
      if (!body.placeOrgId && !body.address?.trim()) throw new AppError('VALIDATION', '请选择或填写问题发生的地点')
      const ref = await placeAndCategory(body.categoryId, body.placeOrgId ?? null)
      if (!ref?.categoryName) throw new AppError('VALIDATION', '请选择问题类别')
      if (body.placeOrgId && (!ref.kind || !['compound', 'community', 'market', 'street'].includes(ref.kind))) throw new AppError('VALIDATION', '请选择小区、社区或市场主体')
      const placeOrgId = body.placeOrgId ?? null
      const address = body.address?.trim() || null
      const description = body.description.trim()
      const streetOrgId = ref.path ? streetOfPath(ref.path) : null
      const key = clientKey ?? randomUUID()
      // The report, its first event and the receipt message (plus the WeChat outbox row notify() would write)
      // in one statement: atomic without BEGIN/COMMIT round trips. A retry of a submit that already landed
      // (the key is unique per reporter) inserts nothing and is answered with the first report below.
      const writeWith = (trackingCode: string, notice = { title: '已收到您的反映', body: `跟踪码 ${trackingCode}，我们将尽快受理。` }) => sql`
        WITH c AS (
          INSERT INTO complaints (tracking_code, reporter_id, client_key, category_id, place_org_id, address, street_org_id, description, anonymous, lat, lng)
          SELECT ${trackingCode}, ${auth.userId}::int, ${key}::text, ${body.categoryId}::int, ${placeOrgId}::int, ${address}::text, ${streetOrgId}::int, ${description}::text, ${body.anonymous}::boolean, ${body.lat ?? null}::float8, ${body.lng ?? null}::float8
          -- The hourly quota counts reports actually filed (every instance sees the same rows); a retry of a
          -- filed report is no new report and never spends it. Only the newest quota-many reports can be
          -- within the hour (ids grow with time): reading those, not the reporter's whole history, keeps it cheap.
          WHERE (SELECT count(*) FROM (SELECT q.created_at FROM complaints q WHERE q.reporter_id = ${auth.userId}::int ORDER BY q.id DESC LIMIT ${config.complaintsPerHour}::int) r
                 WHERE r.created_at > now() - interval '1 hour') < ${config.complaintsPerHour}::int
          ON CONFLICT (reporter_id, client_key) DO NOTHING
          RETURNING id, created_at
        ), e AS (
          INSERT INTO complaint_events (complaint_id, actor_user_id, actor_role, actor_org_id, kind, to_status)
          SELECT id, ${auth.userId}::int, ${auth.role}::role, ${auth.orgId}::int, 'submitted', 'submitted' FROM c
        ), m AS (
          INSERT INTO messages (user_id, title, body, complaint_id) SELECT ${auth.userId}::int, ${notice.title}::text, ${notice.body}::text, id FROM c
        ), o AS (
          INSERT INTO outbox (channel, user_id, payload)
          SELECT 'wechat', u.id, ${JSON.stringify({ title: notice.title.slice(0, 20), body: notice.body.slice(0, 20), page: '' })}::jsonb
          FROM c, users u WHERE u.id = ${auth.userId}::int AND u.wechat_openid IS NOT NULL
        )
        SELECT id, created_at AS "createdAt" FROM c`
      // Tracking codes are short and random: two reports of one day can draw the same one (about once in a
      // few thousand per day). Draw again rather than answer the resident with a conflict.
      let trackingCode = newTrackingCode()
      let inserted: { id: number; createdAt: string } | undefined
      for (let attempt = 1; ; attempt++) {
        const write = writeWith(trackingCode)
        try {
          inserted =
            body.photoIds.length === 0
              ? (await prepared<{ id: number; createdAt: string }>(db, write))[0]
              : await db.transaction(async (tx) => {
                  const [r] = await prepared<{ id: number; createdAt: string }>(tx, write)
                  if (r) await attachPhotos(tx, r.id, auth.userId, body.photoIds, 'report')
                  return r
                })
          break
        } catch (e) {
          const clash = (e as { code?: string; constraint?: string }).code === '23505' && (e as { constraint?: string }).constraint === 'complaints_tracking_uq'
          if (!clash || attempt >= 5) throw e
          trackingCode = newTrackingCode()
        }
      }
      if (!inserted) {
        // The same submit again (the idempotency store was bypassed or expired): answer with the first one.
        const [prev] = await db.select({ id: complaints.id }).from(complaints).where(and(eq(complaints.reporterId, auth.userId), eq(complaints.clientKey, key)))
        if (!prev) throw new AppError('RATE_LIMITED', `操作太频繁：每小时最多反映 ${config.complaintsPerHour} 件，请稍后再试`)
        return Object.assign(await residentView(prev!.id, auth.userId), { replayed: true })
      }
      // Answer from what was just written instead of reloading it through the eight-table join.
      const createdAt = toDate(inserted.createdAt)!
      const c: ComplaintJoined = {
        id: inserted.id,
        trackingCode,
        reporterId: auth.userId,
        categoryId: body.categoryId,
        categoryName: ref.categoryName,
        placeOrgId,
        placeName: ref.placeName ?? address ?? '',
        streetName: null,
        description,
        anonymous: body.anonymous,
        status: 'submitted',
        createdAt,
        rejectReason: null,
        mergedIntoId: null,
        mergedIntoCode: null,
        assigneeOrgId: null,
        assigneeName: null,
        assignedAt: null,
        signDueAt: null,
        rectifyDueAt: null,
        signedAt: null,
        rectifiedAt: null,
        signOverdue: false,
        rectifyOverdue: false,
        escalatedAt: null,
        returns: 0,
        rectifyText: null,
        pendingRequest: null,
        pendingReason: null,
        pendingUntil: null,
        pendingAt: null,
        rating: null,
        publishedAt: null,
        followers: 0,
        bulletinId: null,
        bulletinTitle: null,
      }
      const photos = { report: body.photoIds.map((id) => ({ id, url: photoUrl(id), thumbUrl: photoUrl(id, true) })), rectify: [] }
      // The event row's `at` is now() of the same statement/transaction, i.e. created_at.
      const events = [{ at: createdAt.toISOString(), kind: 'submitted', fromStatus: null, toStatus: 'submitted' as const, actorLabel: '网友', note: null }]
      return Object.assign(await residentView(c.id, auth.userId, { c, photos, events }), { replayed: false })
    },

    async similar(userId: number, q: { categoryId: number; placeOrgId?: number; address?: string }): Promise<SimilarItem[]> {
      if (!q.placeOrgId && !q.address?.trim()) return []
      const place = q.placeOrgId ? sql`c.place_org_id = ${q.placeOrgId}` : sql`c.address ILIKE ${`%${q.address!.trim().replace(/[\\%_]/g, (x) => `\\${x}`)}%`}`
      const open = sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)
      const rows = await loadComplaints(db, sql`c.category_id = ${q.categoryId} AND ${place} AND c.status IN (${open}) AND c.reporter_id <> ${userId}`, sql`c.id DESC`, 5)
      if (rows.length) {
        // Remember what this resident was shown: 我也遇到 is allowed on these reports only (see follow()).
        await db.execute(sql`DELETE FROM complaint_similar_shown WHERE user_id = ${userId} AND shown_at < now() - ${SHOWN_TTL}::interval`)
        await db.execute(sql`
          INSERT INTO complaint_similar_shown (user_id, complaint_id)
          SELECT ${userId}, unnest(${`{${rows.map((r) => r.id).join(',')}}`}::int[])
          ON CONFLICT (user_id, complaint_id) DO UPDATE SET shown_at = now()`)
      }
      const mine = new Set(
        rows.length
          ? ((await db.execute(sql`SELECT complaint_id FROM complaint_followers WHERE user_id = ${userId} AND complaint_id IN (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`)).rows as { complaint_id: number }[]).map((r) => r.complaint_id)
          : [],
      )
      // Other residents' reports: a typed address is their text too, redacted like the excerpt.
      return rows.map((c) => ({
        id: c.id,
        trackingCode: c.trackingCode,
        categoryName: c.categoryName,
        placeName: redactFor('resident', c.placeName),
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
        const shown = await tx.execute(sql`SELECT 1 FROM complaint_similar_shown WHERE user_id = ${auth.userId} AND complaint_id = ${id} AND shown_at > now() - ${SHOWN_TTL}::interval`)
        if (!shown.rows.length) throw new AppError('FORBIDDEN', '只能对填写反映时提示的相似问题点“我也遇到”')
        const ins = await tx.insert(complaintFollowers).values({ complaintId: id, userId: auth.userId }).onConflictDoNothing().returning()
        if (ins.length) await event(tx, id, actorOf(auth), 'follow', null)
        const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(complaintFollowers).where(eq(complaintFollowers.complaintId, id))) as [{ n: number }]
        return { followers: n }
      })
    },

    async mine(userId: number, cursor: string | undefined, limit = 20) {
      const before = decodeCursor(cursor)
      // One statement for the page, photos and events included: no query per item.
      const loaded = await residentPage(db, userId, before === null ? null : Math.min(before, 2147483647), limit + 1)
      const page = loaded.slice(0, limit)
      return {
        items: await Promise.all(page.map((l) => residentView(l.c.id, userId, l))),
        nextCursor: loaded.length > limit ? encodeCursor(page.at(-1)!.c.id) : null,
      }
    },

    /** District queue (oldest first) or a unit's tasks (newest first); scope always ANDed in. */
  }
}
