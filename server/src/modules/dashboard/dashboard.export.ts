import type { FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import type { Db } from '../../db/client.js'
import { COMPLAINT_STATUS_LABELS, type ComplaintListQuery, type GateCheckListQuery } from '@cc/shared'
import { audit } from '../audit/audit.service.js'
import { mapRows, sendXlsx, type XlsxSheet } from '../common/xlsx.js'
import { complaintList, complaintsDashboard } from './dashboard.complaints.js'
import { gateCheckList, gateDashboard } from './dashboard.gate.js'
import { quarantineDashboard } from './dashboard.quarantine.js'
import type { Range, Target } from './dashboard.scope.js'

const pct = (r: number | null) => (r === null ? '' : `${(r * 100).toFixed(1)}%`)
const COMPLAINT_COLS = ['受理', '已签收', '按时签收', '签收及时率', '已整改', '按时整改', '整改及时率', '已评价', '满意', '满意率', '被退回（件）', '退回（次）', '已堵漏']
type C = Awaited<ReturnType<typeof complaintsDashboard>>['totals']
const complaintCells = (c: C) => [c.received, c.signed, c.signedOnTime, pct(c.signOnTimeRate), c.rectified, c.rectifiedOnTime, pct(c.rectifyOnTimeRate), c.rated, c.satisfied, pct(c.satisfactionRate), c.returned, c.returns, c.plugged]
const cols = (first: string, rest: string[]) => [{ header: first, width: 14 }, ...rest.map((header) => ({ header, width: 11 }))]

/** The dashboard's tables as one workbook (small: a row per day, category, org or hour). */
export async function dashboardXlsx(req: FastifyRequest, reply: FastifyReply, pool: pg.Pool, db: Db, t: Target, range: Range) {
  const [c, g, q] = await Promise.all([complaintsDashboard(pool, t, range), gateDashboard(pool, t, range), quarantineDashboard(pool, db, t, range)])
  const childLabel = t.kind === 'district' ? '街道' : '社区'
  const sheets: XlsxSheet[] = [
    { name: '按日', columns: cols('受理日期', COMPLAINT_COLS), rows: [...c.byDay.map((d) => [d.day, ...complaintCells(d)]), ['合计', ...complaintCells(c.totals)]] },
    { name: '按类别', columns: cols('类别', COMPLAINT_COLS), rows: c.byCategory.map((d) => [d.name, ...complaintCells(d)]) },
  ]
  if (c.byOrg.length) {
    sheets.push({ name: `按${childLabel}`, columns: cols(childLabel, [...COMPLAINT_COLS, '当前未办结', '当前超期']), rows: c.byOrg.map((d, i) => [d.name, ...complaintCells(d), c.now.byOrg[i]?.open ?? 0, c.now.byOrg[i]?.overdue ?? 0]) })
  }
  const gateCols = ['查验', '放行', '劝返', '登记']
  sheets.push(
    { name: '卡口按小时', columns: cols('时段', gateCols), rows: g.byHour.map((h) => [`${String(h.hour).padStart(2, '0')}:00`, h.total, h.pass, h.deny, h.register]) },
    { name: '卡口按日', columns: cols('日期', gateCols), rows: g.byDay.map((d) => [d.day, d.total, d.pass, d.deny, d.register]) },
    { name: '劝返原因', columns: cols('原因', ['人次']), rows: g.denials.map((d) => [d.text, d.n]) },
    {
      name: '隔离日报',
      columns: cols('日期', ['居家隔离', '集中隔离', '健康监测', '待研判', '已解除', '无需管控', '转出', '失联', '登记人数', '当日新增', '当日解除', '当日转出']),
      rows: q.items.map((d) => [d.day, d.home, d.centralised, d.monitoring, d.registered, d.released, d.cleared, d.transferred, d.lost, d.total, d.newToday, d.releasedToday, d.transferredToday]),
    },
  )
  return sendXlsx(req, reply, { filename: `${t.name}统计_${range.from}至${range.to}.xlsx`, sheets })
}

/** Reads a cursor-paged list to the end, a page at a time (the same query as the screen's list). */
async function* pages<R>(page: (cursor: string | null) => Promise<{ items: R[]; nextCursor: string | null }>): AsyncGenerator<R> {
  let cursor: string | null = null
  do {
    const r: { items: R[]; nextCursor: string | null } = await page(cursor)
    for (const x of r.items) yield x
    cursor = r.nextCursor
  } while (cursor)
}

const yes = (b: boolean) => (b ? '是' : '否')
const beijing = (iso: string | null) => (iso ? new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ') : '')
const EXPORT_PAGE = 500

/**
 * The reports behind a number as .xlsx: exactly the drill-down list's rows (same filter, same order), in
 * the unit-safe shape the list already has — no reporter, typed text redacted.
 */
export async function drillComplaintsXlsx(req: FastifyRequest, reply: FastifyReply, pool: pg.Pool, db: Db, t: Target, q: ComplaintListQuery, title: string) {
  await audit(db, req, { action: 'dashboard.export_list', targetType: 'complaints', detail: { orgId: t.id, ...q } })
  const rows = pages((cursor) => complaintList(pool, db, t, { ...q, cursor: cursor ?? undefined, limit: EXPORT_PAGE }))
  return sendXlsx(req, reply, {
    filename: `${title}.xlsx`,
    sheets: [
      {
        name: '反映明细',
        columns: [
          { header: '跟踪码', width: 16 }, { header: '反映时间', width: 17 }, { header: '类别', width: 14 }, { header: '地点', width: 28 },
          { header: '问题摘要', width: 48 }, { header: '状态', width: 10 }, { header: '责任单位', width: 16 }, { header: '签收期限', width: 17 },
          { header: '整改期限', width: 17 }, { header: '签收超期', width: 9 }, { header: '整改超期', width: 9 }, { header: '我也遇到', width: 9 },
        ],
        rows: mapRows(rows, (r) => [
          r.trackingCode, beijing(r.createdAt), r.categoryName, r.placeName, r.excerpt,
          r.status === 'submitted' ? '待受理' : COMPLAINT_STATUS_LABELS[r.status], r.assigneeName ?? '',
          beijing(r.signDueAt), beijing(r.rectifyDueAt), yes(r.signOverdue), yes(r.rectifyOverdue), r.followers,
        ]),
      },
    ],
  })
}

const VERDICTS: Record<string, string> = { pass: '放行', deny: '劝返', register: '登记' }
const SUBJECTS: Record<string, string> = { pass: '通行证', card: '通行卡', visitor: '外来人员', none: '无凭证' }

/** The gate checks behind a number as .xlsx: where, when, verdict and reason — no person. */
export async function drillGateXlsx(req: FastifyRequest, reply: FastifyReply, pool: pg.Pool, db: Db, t: Target, q: GateCheckListQuery, title: string) {
  await audit(db, req, { action: 'dashboard.export_list', targetType: 'gate_checks', detail: { orgId: t.id, ...q } })
  const rows = pages((cursor) => gateCheckList(pool, t, { ...q, cursor: cursor ?? undefined, limit: EXPORT_PAGE }))
  return sendXlsx(req, reply, {
    filename: `${title}.xlsx`,
    sheets: [
      {
        name: '核验明细',
        columns: [
          { header: '核验时间', width: 17 }, { header: '小区', width: 18 }, { header: '卡口', width: 12 }, { header: '进出', width: 6 },
          { header: '结果', width: 8 }, { header: '原因', width: 24 }, { header: '凭证', width: 10 }, { header: '离线核验', width: 9 },
        ],
        rows: mapRows(rows, (r) => [
          beijing(r.checkedAt), r.compoundName, r.gateName, r.direction === 'in' ? '进' : '出', VERDICTS[r.verdict] ?? r.verdict,
          r.reasonText, SUBJECTS[r.subjectKind] ?? '其他', yes(r.offline),
        ]),
      },
    ],
  })
}
