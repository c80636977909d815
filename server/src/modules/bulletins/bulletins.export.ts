import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'drizzle-orm'
import { redactPublicText } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import { keyset, mapRows, sendXlsx } from '../common/xlsx.js'
import { today } from '../complaints/complaints.export.js'

const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const

interface ItemRow {
  bulletinId: number
  seq: number
  number: number
  title: string
  publishedAt: string
  trackingCode: string
  categoryName: string
  problem: string
  place: string
  measures: string
}

interface ErratumRow {
  id: number
  title: string
  correctsTitle: string
  publishedAt: string
  erratumText: string | null
}

const bj = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`)

/**
 * Published bulletins, one row per item, keyset on (bulletin, seq). The text is what the public reads
 * (redacted again on the way out, as the public view does); drafts never leave.
 */
async function itemBatch(db: Db, only: number | undefined, after: [number, number] | null, size: number) {
  const r = await db.execute(sql`
    SELECT bi.bulletin_id AS "bulletinId", bi.seq, b.number, b.title, ${bj('b.published_at')} AS "publishedAt", c.tracking_code AS "trackingCode",
      cat.name AS "categoryName", bi.problem, bi.place, bi.measures
    FROM bulletin_items bi
    JOIN bulletins b ON b.id = bi.bulletin_id AND b.status = 'published'
    JOIN complaints c ON c.id = bi.complaint_id
    JOIN complaint_categories cat ON cat.id = c.category_id
    WHERE TRUE ${only ? sql`AND bi.bulletin_id = ${only}` : sql``}
      ${after ? sql`AND (bi.bulletin_id, bi.seq) > (${after[0]}, ${after[1]})` : sql``}
    ORDER BY bi.bulletin_id, bi.seq LIMIT ${size}`)
  return r.rows as unknown as ItemRow[]
}

async function errata(db: Db, only: number | undefined) {
  const r = await db.execute(sql`
    SELECT e.id, e.title, o.title AS "correctsTitle", ${bj('e.published_at')} AS "publishedAt", e.erratum_text AS "erratumText"
    FROM bulletins e JOIN bulletins o ON o.id = e.corrects_id
    WHERE e.kind = 'erratum' AND e.status = 'published' ${only ? sql`AND e.corrects_id = ${only}` : sql``}
    ORDER BY e.id`)
  return r.rows as unknown as ErratumRow[]
}

/** Published bulletins with their items as a streamed .xlsx (prefix /api/v1/admin/bulletins). */
export const bulletinsExportRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/export.xlsx', {
      config: { access: DISTRICT },
      schema: {
        tags: ['bulletins'],
        summary: '导出已发布的整改通报及条目（.xlsx；可只导出一期）',
        querystring: Type.Object({ id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) }),
        response: { 200: Type.Any() },
      },
      handler: async (req, reply) => {
        const only = req.query.id
        let name = `整改通报-${today()}.xlsx`
        if (only) {
          const b = (await db.execute(sql`SELECT title FROM bulletins WHERE id = ${only} AND status = 'published'`)).rows[0] as { title: string } | undefined
          if (!b) throw notFound('通报')
          name = `${b.title}.xlsx`
        }
        const items = keyset<ItemRow, [number, number]>((after, size) => itemBatch(db, only, after, size), (r) => [r.bulletinId, r.seq])
        const fixes = await errata(db, only)
        return sendXlsx(req, reply, {
          filename: name,
          sheets: [
            {
              name: '通报条目',
              columns: [
                { header: '期数', width: 7 }, { header: '通报', width: 34 }, { header: '发布时间', width: 17 }, { header: '序号', width: 6 },
                { header: '跟踪码', width: 16 }, { header: '类别', width: 14 }, { header: '问题', width: 40 }, { header: '地点', width: 28 },
                { header: '整改措施', width: 40 },
              ],
              rows: mapRows(items, (r) => [
                r.number, r.title, r.publishedAt, r.seq, r.trackingCode, r.categoryName,
                redactPublicText(r.problem), redactPublicText(r.place), redactPublicText(r.measures),
              ]),
            },
            {
              name: '勘误',
              columns: [{ header: '勘误', width: 40 }, { header: '更正的通报', width: 34 }, { header: '发布时间', width: 17 }, { header: '内容', width: 60 }],
              rows: fixes.map((e) => [e.title, e.correctsTitle, e.publishedAt, redactPublicText(e.erratumText ?? '')]),
            },
          ],
        })
      },
    })
  }
