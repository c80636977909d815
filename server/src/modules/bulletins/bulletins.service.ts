import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'
import { bulletinTitle, redactPublicText, type Bulletin, type BulletinSummary } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { AppError, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { actorOf, type ComplaintsService } from '../complaints/complaints.service.js'
import { complaints } from '../complaints/complaints.table.js'
import { bulletinCounters, bulletinItems, bulletins } from './bulletins.table.js'

const DRAFT_TITLE = '崇川区网友反馈问题整改通报(草稿)'

export function createBulletinsService(db: Db, complaintsSvc: ComplaintsService) {
  async function load(id: number, publicOnly: boolean): Promise<Bulletin> {
    const [b] = await db.select().from(bulletins).where(eq(bulletins.id, id))
    if (!b || (publicOnly && b.status !== 'published')) throw notFound('通报')
    const items = await db.select().from(bulletinItems).where(eq(bulletinItems.bulletinId, id)).orderBy(asc(bulletinItems.seq))
    const corrects = b.correctsId ? (await db.select({ title: bulletins.title }).from(bulletins).where(eq(bulletins.id, b.correctsId)))[0] : null
    const errata = await db
      .select({ id: bulletins.id, title: bulletins.title })
      .from(bulletins)
      .where(and(eq(bulletins.correctsId, id), eq(bulletins.status, 'published')))
      .orderBy(asc(bulletins.id))
    return {
      id: b.id,
      number: b.number,
      title: b.title,
      status: b.status,
      kind: b.kind,
      correctsId: b.correctsId,
      correctsTitle: corrects?.title ?? null,
      erratumText: b.erratumText,
      publishedAt: b.publishedAt?.toISOString() ?? null,
      items: items.map((i) => ({ id: i.id, seq: i.seq, complaintId: i.complaintId, problem: i.problem, place: i.place, measures: i.measures })),
      errata,
    }
  }

  return {
    get: (id: number) => load(id, true),
    getAny: (id: number) => load(id, false),

    async list(opts: { includeDrafts: boolean; cursor?: string; limit?: number }): Promise<{ items: BulletinSummary[]; nextCursor: string | null }> {
      const limit = opts.limit ?? 20
      const before = decodeCursor(opts.cursor)
      const rows = await db
        .select({
          id: bulletins.id,
          number: bulletins.number,
          title: bulletins.title,
          status: bulletins.status,
          kind: bulletins.kind,
          publishedAt: bulletins.publishedAt,
          itemCount: sql<number>`(SELECT count(*)::int FROM bulletin_items i WHERE i.bulletin_id = ${bulletins.id})`,
        })
        .from(bulletins)
        .where(and(opts.includeDrafts ? undefined : eq(bulletins.status, 'published'), before ? lt(bulletins.id, before) : undefined))
        .orderBy(desc(bulletins.id))
        .limit(limit + 1)
      const page = rows.slice(0, limit)
      return {
        items: page.map((r) => ({ ...r, publishedAt: r.publishedAt?.toISOString() ?? null })),
        nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null,
      }
    },

    /** Collects every verified report not yet in a bulletin into the one open draft (created if needed). */
    async draft(auth: AuthContext): Promise<Bulletin> {
      const id = await db.transaction(async (tx) => {
        // A district admin's scope org is the district the bulletin belongs to.
        const districtOrgId = auth.orgId!
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727100, ${districtOrgId})`)
        let [d] = await tx
          .select({ id: bulletins.id })
          .from(bulletins)
          .where(and(eq(bulletins.districtOrgId, districtOrgId), eq(bulletins.status, 'draft'), eq(bulletins.kind, 'regular')))
        if (!d) [d] = await tx.insert(bulletins).values({ districtOrgId, title: DRAFT_TITLE, createdBy: auth.userId }).returning({ id: bulletins.id })
        const fresh = await tx.execute(sql`
          SELECT c.id, cat.name AS category, c.description, COALESCE(org_place_name(p.path), c.address) AS place, a.name AS unit, c.rectify_text AS fix
          FROM complaints c
          JOIN complaint_categories cat ON cat.id = c.category_id
          LEFT JOIN org_units p ON p.id = c.place_org_id
          LEFT JOIN org_units a ON a.id = c.assignee_org_id
          WHERE c.status = 'verified' AND NOT EXISTS (SELECT 1 FROM bulletin_items i WHERE i.complaint_id = c.id)
          ORDER BY c.verified_at, c.id`)
        const [{ max }] = (await tx.select({ max: sql<number>`coalesce(max(${bulletinItems.seq}), 0)::int` }).from(bulletinItems).where(eq(bulletinItems.bulletinId, d!.id))) as [{ max: number }]
        const rows = fresh.rows as { id: number; category: string; description: string; place: string; unit: string | null; fix: string | null }[]
        if (rows.length)
          await tx.insert(bulletinItems).values(
            rows.map((r, i) => ({
              bulletinId: d!.id,
              complaintId: r.id,
              seq: max + i + 1,
              problem: redactPublicText(`网友反映${r.place}${r.category}：${r.description}`).slice(0, 500),
              place: redactPublicText(r.place).slice(0, 200),
              measures: redactPublicText(`${r.unit ?? '责任单位'}：${r.fix ?? ''}`).slice(0, 1000),
            })),
          )
        return d!.id
      })
      return load(id, false)
    },

    /** The editor's wording; phone and ID numbers are redacted whatever was typed. */
    async editItem(bulletinId: number, itemId: number, body: { problem: string; place: string; measures: string }): Promise<Bulletin> {
      const [b] = await db.select({ status: bulletins.status }).from(bulletins).where(eq(bulletins.id, bulletinId))
      if (!b) throw notFound('通报')
      if (b.status === 'published') throw conflict('已发布的通报不能修改，请发布勘误')
      const res = await db
        .update(bulletinItems)
        .set({ problem: redactPublicText(body.problem.trim()), place: redactPublicText(body.place.trim()), measures: redactPublicText(body.measures.trim()) })
        .where(and(eq(bulletinItems.id, itemId), eq(bulletinItems.bulletinId, bulletinId)))
        .returning({ id: bulletinItems.id })
      if (!res.length) throw notFound('通报条目')
      return load(bulletinId, false)
    },

    /** Gives the draft the next number under the district's counter lock, and publishes its items. */
    async publish(auth: AuthContext, id: number): Promise<Bulletin> {
      await db.transaction(async (tx) => {
        const [b] = await tx.select().from(bulletins).where(eq(bulletins.id, id)).for('update')
        if (!b) throw notFound('通报')
        if (b.status === 'published') throw conflict('该通报已发布')
        const items = await tx.select({ complaintId: bulletinItems.complaintId }).from(bulletinItems).where(eq(bulletinItems.bulletinId, id))
        if (b.kind === 'regular' && items.length === 0) throw new AppError('VALIDATION', '通报中没有条目，不能发布')
        await tx.insert(bulletinCounters).values({ districtOrgId: b.districtOrgId, lastNumber: 0 }).onConflictDoNothing()
        let number: number
        let title: string
        if (b.kind === 'regular') {
          const [c] = await tx
            .update(bulletinCounters)
            .set({ lastNumber: sql`${bulletinCounters.lastNumber} + 1` })
            .where(eq(bulletinCounters.districtOrgId, b.districtOrgId))
            .returning({ n: bulletinCounters.lastNumber })
          number = c!.n
          title = bulletinTitle(number)
        } else {
          // Errata have their own sequence per district, taken under the same counter lock.
          await tx.select().from(bulletinCounters).where(eq(bulletinCounters.districtOrgId, b.districtOrgId)).for('update')
          const [{ n }] = (await tx
            .select({ n: sql<number>`coalesce(max(${bulletins.number}), 0)::int + 1` })
            .from(bulletins)
            .where(and(eq(bulletins.districtOrgId, b.districtOrgId), eq(bulletins.kind, 'erratum')))) as [{ n: number }]
          number = n
          title = b.title
        }
        await tx.update(bulletins).set({ status: 'published', number, title, publishedAt: new Date() }).where(eq(bulletins.id, id))
        await complaintsSvc.markPublished(tx, items.map((i) => i.complaintId), actorOf(auth), title)
      })
      return load(id, false)
    },

    async erratum(auth: AuthContext, id: number, text: string): Promise<Bulletin> {
      const [b] = await db.select().from(bulletins).where(eq(bulletins.id, id))
      if (!b || b.status !== 'published') throw notFound('已发布的通报')
      if (b.kind === 'erratum') throw conflict('请对原通报发布勘误')
      const [e] = await db
        .insert(bulletins)
        .values({ districtOrgId: b.districtOrgId, kind: 'erratum', title: `关于《${b.title}》的勘误`, correctsId: b.id, erratumText: redactPublicText(text.trim()), createdBy: auth.userId })
        .returning({ id: bulletins.id })
      return this.publish(auth, e!.id)
    },
  }
}
export type BulletinsService = ReturnType<typeof createBulletinsService>
