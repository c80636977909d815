import { and, asc, desc, eq, lt, sql } from 'drizzle-orm'
import { bulletinTitle, personalDetailHints, redactPublicText, suspectDigitRuns, type AdminBulletin, type Bulletin, type BulletinSummary, type DigitsToConfirm } from '@cc/shared'
import type { Db, Tx } from '../../db/client.js'
import { AppError, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { actorOf, type ComplaintsService } from '../complaints/complaints.service.js'
import { complaints } from '../complaints/complaints.table.js'
import { bulletinCounters, bulletinItems, bulletins } from './bulletins.table.js'

const DRAFT_TITLE = '崇川区网友反馈问题整改通报(草稿)'

/** Serialises everything that reads-then-writes a district's draft: drafting, editing, publishing. */
async function lockDistrictBulletins(tx: Tx, districtOrgId: number) {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(727100, ${districtOrgId})`)
}

/** Refuses to make 7+ digit numbers public unless the editor said yes (a hotline, say): a phone is for ever. */
function requireDigitsConfirmed(found: DigitsToConfirm, confirmed: boolean | undefined) {
  if (!found.length || confirmed) return
  const where = found.map((f) => `${f.seq ? `第${f.seq}条` : '勘误'}：${f.digits.join('、')}`).join('；')
  throw new AppError('PUBLIC_DIGITS', `以下号码将被公开，请确认是热线等公开号码而非个人电话或证件号：${where}`, { items: found })
}

const itemDigits = (i: { problem: string; place: string; measures: string }) => [i.problem, i.place, i.measures].flatMap(suspectDigitRuns)

export function createBulletinsService(db: Db, complaintsSvc: ComplaintsService) {
  /** The editor's view (with warnings) or the public one; public text is redacted again on the way out. */
  async function load(id: number, publicOnly: boolean): Promise<AdminBulletin> {
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
      erratumText: b.erratumText && (publicOnly ? redactPublicText(b.erratumText) : b.erratumText),
      erratumWarnings: publicOnly || !b.erratumText ? [] : personalDetailHints(b.erratumText),
      publishedAt: b.publishedAt?.toISOString() ?? null,
      items: items.map((i) => {
        const item = { id: i.id, seq: i.seq, complaintId: i.complaintId, problem: i.problem, place: i.place, measures: i.measures }
        // Rows published before redaction caught every format are immutable; the public view still must not show them.
        if (publicOnly) return { ...item, problem: redactPublicText(i.problem), place: redactPublicText(i.place), measures: redactPublicText(i.measures), warnings: [] }
        return { ...item, warnings: [...new Set([i.problem, i.place, i.measures].flatMap(personalDetailHints))] }
      }),
      errata,
    }
  }

  return {
    get: (id: number): Promise<Bulletin> => load(id, true),
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
          // Qualified by hand: in a one-table select drizzle renders ${bulletins.id} as a bare "id", which inside
          // this sub-query means the item's own id (every item scanned, wrong count).
          itemCount: sql<number>`(SELECT count(*)::int FROM bulletin_items i WHERE i.bulletin_id = ${sql.identifier('bulletins')}.${sql.identifier('id')})`,
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

    /** Collects every verified report not yet in a bulletin this round into the one open draft (created if needed). */
    async draft(auth: AuthContext): Promise<AdminBulletin> {
      const id = await db.transaction(async (tx) => {
        // A district admin's scope org is the district the bulletin belongs to.
        const districtOrgId = auth.orgId!
        await lockDistrictBulletins(tx, districtOrgId)
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
          WHERE c.status = 'verified' AND NOT EXISTS (
            -- Already drafted, or published since its last verification. A report published before, then
            -- reopened and verified again, belongs in the next bulletin.
            SELECT 1 FROM bulletin_items i JOIN bulletins b ON b.id = i.bulletin_id
            WHERE i.complaint_id = c.id AND (b.status = 'draft' OR b.published_at >= c.verified_at))
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
    async editItem(bulletinId: number, itemId: number, body: { problem: string; place: string; measures: string }): Promise<AdminBulletin> {
      await db.transaction(async (tx) => {
        const [head] = await tx.select({ districtOrgId: bulletins.districtOrgId }).from(bulletins).where(eq(bulletins.id, bulletinId))
        if (!head) throw notFound('通报')
        // Under the publish lock: an edit racing a publish would otherwise hit the immutability trigger (500).
        await lockDistrictBulletins(tx, head.districtOrgId)
        const [b] = await tx.select({ status: bulletins.status }).from(bulletins).where(eq(bulletins.id, bulletinId))
        if (b!.status === 'published') throw conflict('已发布的通报不能修改，请发布勘误')
        const res = await tx
          .update(bulletinItems)
          .set({ problem: redactPublicText(body.problem.trim()), place: redactPublicText(body.place.trim()), measures: redactPublicText(body.measures.trim()) })
          .where(and(eq(bulletinItems.id, itemId), eq(bulletinItems.bulletinId, bulletinId)))
          .returning({ id: bulletinItems.id })
        if (!res.length) throw notFound('通报条目')
      })
      return load(bulletinId, false)
    },

    /** Gives the draft the next number under the district's counter lock, and publishes its items. */
    async publish(auth: AuthContext, id: number, opts: { confirmDigits?: boolean } = {}): Promise<AdminBulletin> {
      await db.transaction(async (tx) => {
        const [head] = await tx.select({ districtOrgId: bulletins.districtOrgId }).from(bulletins).where(eq(bulletins.id, id))
        if (!head) throw notFound('通报')
        // The same lock the draft takes: otherwise a draft committing after the items below are read adds a
        // complaint to a bulletin that is already public, and that complaint stays `verified` for ever.
        await lockDistrictBulletins(tx, head.districtOrgId)
        const [b] = await tx.select().from(bulletins).where(eq(bulletins.id, id)).for('update')
        if (!b) throw notFound('通报')
        if (b.status === 'published') throw conflict('该通报已发布')
        const items = await tx.select().from(bulletinItems).where(eq(bulletinItems.bulletinId, id)).orderBy(asc(bulletinItems.seq))
        if (b.kind === 'regular' && items.length === 0) throw new AppError('VALIDATION', '通报中没有条目，不能发布')
        const digits: DigitsToConfirm = items.map((i) => ({ itemId: i.id, seq: i.seq, digits: itemDigits(i) })).filter((x) => x.digits.length)
        if (b.erratumText && suspectDigitRuns(b.erratumText).length) digits.push({ itemId: null, seq: null, digits: suspectDigitRuns(b.erratumText) })
        requireDigitsConfirmed(digits, opts.confirmDigits)
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

    async erratum(auth: AuthContext, id: number, text: string, opts: { confirmDigits?: boolean } = {}): Promise<AdminBulletin> {
      const [b] = await db.select().from(bulletins).where(eq(bulletins.id, id))
      if (!b || b.status !== 'published') throw notFound('已发布的通报')
      if (b.kind === 'erratum') throw conflict('请对原通报发布勘误')
      const erratumText = redactPublicText(text.trim())
      // Asked before the erratum row exists, so a refusal leaves no half-made erratum behind.
      const found = suspectDigitRuns(erratumText)
      requireDigitsConfirmed(found.length ? [{ itemId: null, seq: null, digits: found }] : [], opts.confirmDigits)
      const [e] = await db
        .insert(bulletins)
        .values({ districtOrgId: b.districtOrgId, kind: 'erratum', title: `关于《${b.title}》的勘误`, correctsId: b.id, erratumText, createdBy: auth.userId })
        .returning({ id: bulletins.id })
      return this.publish(auth, e!.id, { confirmDigits: true })
    },
  }
}
export type BulletinsService = ReturnType<typeof createBulletinsService>
