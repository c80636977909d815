import { sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { RB_ENTITY_KIND_LABELS, RB_LIST_LABELS, redactPublicText, type RbEntityKind, type RbFlag, type RbList } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { keyset, mapRows, sendXlsx } from '../common/xlsx.js'

interface Row {
  id: number
  period_title: string
  published_at: Date | null
  list: RbList
  seq: number
  name: string
  kind: RbEntityKind
  street: string
  company: string | null
  reason: string
  flags: RbFlag[] | null
  evidence: string | null
}

const COLUMNS = [
  { header: '期数', width: 30 },
  { header: '发布时间', width: 18 },
  { header: '榜单', width: 8 },
  { header: '序号', width: 6 },
  { header: '主体', width: 28 },
  { header: '类型', width: 10 },
  { header: '街道', width: 12 },
  { header: '物业公司', width: 14 },
  { header: '上榜理由', width: 40 },
  { header: '标记', width: 12 },
  { header: '处理建议', width: 40 },
  { header: '证据', width: 40 },
]

const fmt = (d: Date | null) => (d ? new Date(d).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '')

/**
 * One row per entry, in the district's order (period, red before black, seq). Reasons were redacted when typed
 * and are again here; evidence is its label (tracking codes for the district, never a reporter).
 */
const toCells = (r: Row): unknown[] => [
  r.period_title,
  fmt(r.published_at),
  RB_LIST_LABELS[r.list],
  r.seq,
  r.name,
  RB_ENTITY_KIND_LABELS[r.kind],
  r.street,
  r.company ?? '',
  redactPublicText(r.reason),
  (r.flags ?? []).map((f) => f.label).join('、'),
  (r.flags ?? []).map((f) => f.recommendation).join('；'),
  r.evidence ?? '',
]

export function createExports(db: Db) {
  const page = (districtOrgId: number, periodId: number | null, after: [number, number] | null, size: number) =>
    db
      .execute(sql`
        SELECT en.id, p.id AS period_id, p.title AS period_title, p.published_at, en.list, en.seq, e.name, e.kind, s.name AS street,
               c.name AS company, en.reason, en.flags,
               (SELECT string_agg(ev.label, '；' ORDER BY ev.id) FROM redblack_evidence ev WHERE ev.entry_id = en.id) AS evidence
        FROM redblack_entries en
        JOIN redblack_periods p ON p.id = en.period_id
        JOIN redblack_entities e ON e.id = en.entity_id
        JOIN org_units s ON s.id = e.street_org_id
        LEFT JOIN redblack_entities c ON c.id = e.company_id
        WHERE p.district_org_id = ${districtOrgId}
          ${periodId ? sql`AND p.id = ${periodId}` : sql`AND p.status = 'published'`}
          ${after ? sql`AND (p.id, en.id) > (${after[0]}, ${after[1]})` : sql``}
        ORDER BY p.id, en.id LIMIT ${size}`)
      .then((r) => r.rows as unknown as (Row & { period_id: number })[])

  return {
    async period(req: FastifyRequest, reply: FastifyReply, auth: AuthContext, id: number) {
      const r = await db.execute(sql`SELECT title FROM redblack_periods WHERE id = ${id} AND district_org_id = ${auth.orgId}`)
      const head = r.rows[0] as { title: string } | undefined
      if (!head) throw notFound('红黑榜')
      const rows = (await page(auth.orgId!, id, null, 10_000)).sort((a, b) => Number(a.list === 'black') - Number(b.list === 'black') || a.seq - b.seq)
      return sendXlsx(req, reply, { filename: `${head.title}.xlsx`, sheets: [{ name: '红黑榜', columns: COLUMNS, rows: rows.map(toCells) }] })
    },

    async all(req: FastifyRequest, reply: FastifyReply, auth: AuthContext) {
      const rows = keyset<Row & { period_id: number }, [number, number]>((after, size) => page(auth.orgId!, null, after, size), (row) => [row.period_id, row.id])
      return sendXlsx(req, reply, { filename: '崇川区疫情防控红黑榜(全部).xlsx', sheets: [{ name: '红黑榜', columns: COLUMNS, rows: mapRows(rows, toCells) }] })
    },
  }
}
export type Exports = ReturnType<typeof createExports>
