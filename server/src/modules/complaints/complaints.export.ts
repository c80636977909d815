import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'drizzle-orm'
import { AdminListQuery, COMPLAINT_STATUS_LABELS, redactFor, type ComplaintStatus } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { audit } from '../audit/audit.service.js'
import { keyset, mapRows, sendXlsx } from '../common/xlsx.js'
import { listFilters, type ListFilters } from './complaints.filters.js'
import { prepared } from './complaints.repository.js'

const DISTRICT = { roles: ['district_admin'], scope: { kind: 'none' } } as const
const { cursor: _c, limit: _l, ...filterProps } = AdminListQuery.properties
const ExportQuery = Type.Object(filterProps)

interface ExportRow {
  id: number
  trackingCode: string
  createdAt: string
  categoryName: string
  streetName: string | null
  placeName: string
  description: string
  status: ComplaintStatus
  assigneeName: string | null
  assignedAt: string | null
  signDueAt: string | null
  signedAt: string | null
  rectifyDueAt: string | null
  rectifiedAt: string | null
  signOverdue: boolean
  rectifyOverdue: boolean
  returns: number
  rating: 'satisfied' | 'unsatisfied' | null
  followers: number
  bulletinTitle: string | null
}

const t = (col: string) => sql.raw(`to_char(${col} AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')`)

/**
 * One keyset batch of the district's list, in the list's own order (oldest first) and filters. The reporter
 * (id, name, phone, anonymous flag) is never selected; typed text is redacted as for a unit, since a file
 * leaves the system.
 */
export function exportBatch(db: Db, q: ListFilters, after: number | null, size: number) {
  const conds = [sql`TRUE`, ...listFilters(q)]
  if (after) conds.push(sql`c.id > ${after}`)
  return prepared<ExportRow>(
    db,
    sql`
    -- The page's rows straight from complaints in keyset order (no id-only page joined back: that needs
    -- good statistics to avoid a hash of the whole table), then names for its few distinct places.
    WITH c AS MATERIALIZED (
      SELECT c.id, c.tracking_code, c.created_at, c.category_id, c.street_org_id, c.place_org_id, c.address, c.description, c.status,
        c.assignee_org_id, c.assigned_at, c.sign_due_at, c.signed_at, c.rectify_due_at, c.rectified_at, c.sign_overdue, c.rectify_overdue,
        c.returns, c.rating
      FROM complaints c WHERE ${sql.join(conds, sql` AND `)} ORDER BY c.id LIMIT ${size}
    ),
    places AS MATERIALIZED (SELECT p.id, org_place_name(p.path) AS name FROM org_units p WHERE p.id IN (SELECT place_org_id FROM c))
    SELECT c.id, c.tracking_code AS "trackingCode", ${t('c.created_at')} AS "createdAt", cat.name AS "categoryName", st.name AS "streetName",
      COALESCE(pl.name, c.address) AS "placeName", c.description, c.status, a.name AS "assigneeName",
      ${t('c.assigned_at')} AS "assignedAt", ${t('c.sign_due_at')} AS "signDueAt", ${t('c.signed_at')} AS "signedAt",
      ${t('c.rectify_due_at')} AS "rectifyDueAt", ${t('c.rectified_at')} AS "rectifiedAt",
      c.sign_overdue AS "signOverdue", c.rectify_overdue AS "rectifyOverdue", c.returns, c.rating,
      (SELECT count(*)::int FROM complaint_followers f WHERE f.complaint_id = c.id) AS followers,
      (SELECT b.title FROM bulletin_items bi JOIN bulletins b ON b.id = bi.bulletin_id AND b.status = 'published'
        WHERE bi.complaint_id = c.id ORDER BY b.published_at DESC, b.id DESC LIMIT 1) AS "bulletinTitle"
    FROM c
    JOIN complaint_categories cat ON cat.id = c.category_id
    LEFT JOIN places pl ON pl.id = c.place_org_id
    LEFT JOIN org_units st ON st.id = c.street_org_id
    LEFT JOIN org_units a ON a.id = c.assignee_org_id
    ORDER BY c.id`,
  )
}

const COLUMNS = [
  ['编号', 9], ['跟踪码', 16], ['反映时间', 17], ['类别', 14], ['街道', 12], ['地点', 28], ['问题描述', 48], ['状态', 10],
  ['责任单位', 16], ['交办时间', 17], ['签收期限', 17], ['签收时间', 17], ['整改期限', 17], ['整改时间', 17],
  ['签收超期', 9], ['整改超期', 9], ['退回次数', 9], ['评价', 9], ['我也遇到', 9], ['通报', 34],
] as const

const yes = (b: boolean) => (b ? '是' : '否')

/** The district's complaint lists as a streamed .xlsx (prefix /api/v1/admin). */
export const complaintsExportRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/complaints/export.xlsx', {
      config: { access: DISTRICT },
      schema: {
        tags: ['admin'],
        summary: '导出反映事项（.xlsx，与列表相同的筛选；不含反映人，号码隐去）',
        querystring: ExportQuery,
        response: { 200: Type.Any() },
      },
      handler: async (req, reply) => {
        await audit(db, req, { action: 'complaints.export', targetType: 'complaints', detail: { filters: req.query } })
        const rows = keyset<ExportRow, number>((after, size) => exportBatch(db, req.query, after, size), (r) => r.id)
        return sendXlsx(req, reply, {
          filename: `反映事项-${today()}.xlsx`,
          sheets: [
            {
              name: '反映事项',
              columns: COLUMNS.map(([header, width]) => ({ header, width })),
              rows: mapRows(rows, (r) => [
                r.id,
                r.trackingCode,
                r.createdAt,
                r.categoryName,
                r.streetName ?? '',
                redactFor('unit', r.placeName ?? ''),
                redactFor('unit', r.description),
                r.status === 'submitted' ? '待受理' : COMPLAINT_STATUS_LABELS[r.status],
                r.assigneeName ?? '',
                r.assignedAt ?? '',
                r.signDueAt ?? '',
                r.signedAt ?? '',
                r.rectifyDueAt ?? '',
                r.rectifiedAt ?? '',
                yes(r.signOverdue),
                yes(r.rectifyOverdue),
                r.returns,
                r.rating === 'satisfied' ? '满意' : r.rating === 'unsatisfied' ? '不满意' : '',
                r.followers,
                r.bulletinTitle ?? '',
              ]),
            },
          ],
        })
      },
    })
  }

/** Beijing date for file names. */
export const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
