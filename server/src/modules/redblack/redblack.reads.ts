import { sql } from 'drizzle-orm'
import { evaluateRedBlack, redactPublicText, type RbEntityHistory, type RbRules, type RbRulesBody, type RbTrend } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { loadEntities, toRef } from './redblack.entities.js'
import { rbRules } from './redblack.table.js'
import { COUNTS, activeRules, publicPeriod, publishedHistory, toHistoryItems, toSummary } from './redblack.view.js'

/** Lists, the public period, the trend, an entity's history and the rules: everything that only reads. */
export function createReads(db: Db) {
  return {
    async list(opts: { districtOrgId?: number | null; includeDrafts: boolean; cursor?: string; limit?: number }) {
      const limit = opts.limit ?? 20
      const before = decodeCursor(opts.cursor)
      const r = await db.execute(sql`
        SELECT p.id, p.number, p.title, p.status, p.kind, p.published_at, ${COUNTS}
        FROM redblack_periods p
        WHERE true
          ${opts.includeDrafts ? sql`` : sql`AND p.status = 'published'`}
          ${opts.districtOrgId ? sql`AND p.district_org_id = ${opts.districtOrgId}` : sql``}
          ${before ? sql`AND p.id < ${before}` : sql``}
        ORDER BY p.id DESC LIMIT ${limit + 1}`)
      const rows = r.rows as unknown as Parameters<typeof toSummary>[0][]
      const page = rows.slice(0, limit)
      return { items: page.map(toSummary), nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null }
    },

    getPublic: (id: number) => publicPeriod(db, id),

    /** Red vs black per published regular period, oldest first (the chart's x axis). */
    async trend(): Promise<RbTrend> {
      const r = await db.execute(sql`
        SELECT p.id, p.number, p.title, p.published_at, ${COUNTS}
        FROM redblack_periods p WHERE p.status = 'published' AND p.kind = 'regular' ORDER BY p.published_at, p.id`)
      return {
        items: (r.rows as { id: number; number: number; title: string; published_at: Date; red: number; black: number }[]).map((p) => ({
          periodId: p.id,
          number: p.number,
          title: p.title,
          publishedAt: new Date(p.published_at).toISOString(),
          red: p.red,
          black: p.black,
        })),
      }
    },

    /** Only entities that have been published are public: a draft's new entity stays unknown until then. */
    async history(id: number): Promise<RbEntityHistory> {
      const entity = (await loadEntities(db, [id])).get(id)
      const rows = (await publishedHistory(db, [id])).get(id) ?? []
      if (!entity || !rows.length) throw notFound('红黑榜主体')
      const rules = await activeRules(db)
      return {
        entity: toRef(entity),
        flags: evaluateRedBlack(toHistoryItems(rows), entity.kind, rules),
        history: rows.map((h) => ({
          periodId: h.period_id,
          number: h.number,
          title: h.title,
          publishedAt: new Date(h.published_at).toISOString(),
          list: h.list,
          reason: redactPublicText(h.reason),
          viaProject: h.via,
        })),
      }
    },

    async rules(): Promise<RbRules> {
      const r = await activeRules(db)
      return { version: r.version, windowDays: r.windowDays, awardMinReds: r.awardMinReds, sanctions: r.sanctions, awards: r.awards, createdAt: r.createdAt.toISOString() }
    },

    /** A new rules version; published periods keep the version they were judged by. */
    async putRules(auth: AuthContext, body: RbRulesBody): Promise<RbRules> {
      await db.transaction(async (tx) => {
        // Versions are taken one at a time: two editors saving at once get consecutive versions, not a clash.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(727300, 1)`)
        const [{ v }] = (await tx.execute(sql`SELECT coalesce(max(version), 0)::int + 1 AS v FROM redblack_rules`)).rows as [{ v: number }]
        await tx.insert(rbRules).values({ version: v, windowDays: body.windowDays, awardMinReds: body.awardMinReds, sanctions: body.sanctions, awards: body.awards, createdBy: auth.userId })
      })
      return this.rules()
    },
  }
}
export type Reads = ReturnType<typeof createReads>
