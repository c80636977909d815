import type { FastifyReply, FastifyRequest } from 'fastify'
import type pg from 'pg'
import type { Db } from '../../db/client.js'
import { sendXlsx, type XlsxSheet } from '../common/xlsx.js'
import { complaintsDashboard } from './dashboard.complaints.js'
import { gateDashboard } from './dashboard.gate.js'
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
