import ExcelJS from 'exceljs'
import { sql } from 'drizzle-orm'
import { STATE_LABELS, RISK_LABELS, type QuarantineState, type Risk } from '@cc/shared'
import type { FastifyRequest } from 'fastify'
import type { AppConfig } from '../../config.js'
import { decrypt } from '../../crypto.js'
import type { Db } from '../../db/client.js'
import { forbidden } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { dailyCounts } from './quarantine.today.js'
import { neutralise } from '../common/xlsx.js'

// One definition of the content type and of spreadsheet-injection neutralising for every export.
export { XLSX, neutralise } from '../common/xlsx.js'
const MAX_ROWS = 100_000

async function book(name: string, columns: { header: string; width: number }[], rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet(name)
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width }))
  ws.getRow(1).font = { bold: true }
  for (const r of rows) ws.addRow(r.map(neutralise))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

export function createExports(db: Db, config: AppConfig) {
  return {
    /** 日报: the counts table of an org's communities, with a totals row. */
    async counts(orgPath: string) {
      const c = await dailyCounts(db, orgPath)
      const states: QuarantineState[] = ['registered', 'home', 'centralised', 'monitoring', 'released', 'cleared', 'transferred', 'lost']
      const rows = c.rows.map((x) => [x.streetName, x.communityName, ...states.map((s) => x.states[s]), x.total, x.newToday, x.releasedToday, x.transferredToday])
      rows.push(['合计', '', ...states.map((s) => c.totals[s]), c.totals.people, c.totals.newToday, c.totals.releasedToday, c.totals.transferredToday])
      const file = await book(
        `日报${c.day}`,
        [{ header: '街道', width: 12 }, { header: '社区', width: 14 }, ...states.map((s) => ({ header: s === 'released' ? '已解除（累计）' : STATE_LABELS[s], width: 10 })),
          { header: '合计人数', width: 10 }, { header: '今日新增', width: 10 }, { header: '今日解除', width: 10 }, { header: '今日转运', width: 10 }],
        rows,
      )
      return { file, name: `返乡人员日报-${c.day}.xlsx` }
    },

    /**
     * The returnee list of a scope. ID numbers are masked; a district admin may export them in full by
     * giving a reason, which is audited.
     */
    async returnees(req: FastifyRequest, q: { orgPath: string; state?: string; reason?: string }) {
      const full = Boolean(q.reason?.trim())
      if (full && req.auth?.role !== 'district_admin') throw forbidden('只有区级管理员可以导出完整身份证号')
      const r = await db.execute(sql`
        SELECT r.id, cm.name AS community, r.name, r.name_masked AS "nameMasked", r.id_masked AS "idMasked", ${full ? sql`r.id_enc AS "idEnc",` : sql``}
          r.phone_last4 AS "phoneLast4", r.address, r.state, t.origin_name AS origin, t.arrived_on AS "arrivedOn", t.transport_no AS "transportNo", t.risk,
          qc.start_on AS "startOn", qc.end_on AS "endOn", s.name AS site, qc.room
        FROM returnees r JOIN org_units cm ON cm.id = r.community_id
        LEFT JOIN quarantine_cases qc ON qc.id = r.current_case_id LEFT JOIN returnee_trips t ON t.id = qc.trip_id LEFT JOIN quarantine_sites s ON s.id = qc.site_id
        WHERE r.org_path LIKE ${`${q.orgPath}%`} ${q.state ? sql`AND r.state = ${q.state}` : sql``}
        ORDER BY cm.name, r.id LIMIT ${MAX_ROWS}`)
      const rows = (r.rows as Record<string, unknown>[]).map((x) => [
        x.community,
        full ? x.name : x.nameMasked,
        full ? decrypt(config.dataKey, x.idEnc as Buffer) : x.idMasked,
        x.phoneLast4 ? `尾号${x.phoneLast4}` : '',
        x.address,
        STATE_LABELS[x.state as QuarantineState],
        x.origin ?? '',
        x.arrivedOn ?? '',
        x.transportNo ?? '',
        RISK_LABELS[(x.risk as Risk) ?? 'none'] ?? '',
        x.startOn ?? '',
        x.endOn ?? '',
        x.site ? `${x.site}${x.room ?? ''}` : '',
      ])
      if (full) await audit(db, req, { action: 'returnees.export_full', targetType: 'returnees', detail: { reason: q.reason, rows: rows.length, orgPath: q.orgPath, state: q.state ?? null } })
      const file = await book(
        '返乡人员',
        [['社区', 12], ['姓名', 10], ['身份证号', 22], ['手机', 10], ['住址', 24], ['状态', 10], ['来源地', 22], ['抵崇日期', 12], ['车次/航班/车牌', 14], ['风险', 10], ['开始', 12], ['期满', 12], ['隔离点', 24]].map(
          ([header, width]) => ({ header: header as string, width: width as number }),
        ),
        rows,
      )
      return { file, name: `返乡人员名单.xlsx` }
    },
  }
}
export type Exports = ReturnType<typeof createExports>
