import { createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, ROOT, staffToken, type TestApp } from '../helper.js'
import { categoryId, RENGANG_XINCUN } from './flow.js'

/**
 * A large export goes out as a stream: memory stays flat however long the list is. Prints the time and the
 * peak RSS growth of this process (server and client share it) for EXPORT_ROWS rows (default 100,000).
 */
const ROWS = Number(process.env.EXPORT_ROWS ?? 100_000)
const OUT = path.join(ROOT, 'test/.artifacts/export-large.xlsx')

let app: TestApp
let base: string
let admin: Awaited<ReturnType<typeof staffToken>>

beforeAll(async () => {
  app = await createTestApp()
  admin = await staffToken(app, 'district_admin', [])
  const resident = await residentLogin(app, '13512349999')
  const place = await findOrgByNames(app.db, RENGANG_XINCUN)
  const street = await findOrgByNames(app.db, ['任港街道'])
  const t0 = Date.now()
  await app.pool.query(
    `INSERT INTO complaints (tracking_code, reporter_id, client_key, category_id, place_org_id, street_org_id, description, anonymous, status, created_at)
     SELECT 'BX' || lpad(g::text, 10, '0'), $1, 'bulk-' || g, $2, $3, $4,
       CASE WHEN g % 10 = 0 THEN '=cmd|'' /C calc''!A0 第' || g || '条' ELSE '小区东门无人值守，进出人员未测温未登记，第' || g || '条反映' END,
       g % 5 = 0, 'submitted', now() - make_interval(secs => $5 - g)
     FROM generate_series(1, $5::int) g`,
    [resident.userId, await categoryId(app), place.id, street.id, ROWS],
  )
  console.log(`[export-large] inserted ${ROWS} complaints in ${Date.now() - t0} ms`)
  base = await app.listen({ host: '127.0.0.1', port: 0 })
  await mkdir(path.dirname(OUT), { recursive: true })
}, 600_000)
afterAll(async () => {
  await rm(OUT, { force: true })
  await app.close2()
})

describe('a large complaint export', () => {
  it(`streams ${ROWS} rows with flat memory`, async () => {
    // Warm the code paths (exceljs, prepared statements) so the measurement is the export itself.
    const warm = await fetch(`${base}/api/v1/admin/complaints/export.xlsx?code=NONE`, { headers: admin.headers })
    await warm.arrayBuffer()

    const rss0 = process.memoryUsage().rss
    let peak = rss0
    const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
    const t0 = performance.now()
    const res = await fetch(`${base}/api/v1/admin/complaints/export.xlsx`, { headers: admin.headers })
    expect(res.status).toBe(200)
    const ttfb = performance.now() - t0
    await pipeline(Readable.fromWeb(res.body as never), createWriteStream(OUT))
    const ms = performance.now() - t0
    clearInterval(sample)
    const size = (await stat(OUT)).size
    console.log(
      `[export-large] ${ROWS} rows: ${(ms / 1000).toFixed(2)} s (first byte ${ttfb.toFixed(0)} ms), ${(size / 1e6).toFixed(1)} MB, ` +
        `peak RSS growth ${((peak - rss0) / 1e6).toFixed(0)} MB (RSS before ${(rss0 / 1e6).toFixed(0)} MB)`,
    )

    // The file is whole: every row there, the hostile ones neutralised.
    let n = 0
    let hostile = 0
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(OUT, { sharedStrings: 'ignore', worksheets: 'emit', styles: 'ignore', hyperlinks: 'ignore' })
    for await (const ws of reader) {
      for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
        if (row.number === 1) continue
        n++
        const d = row.getCell(7).value as string
        if (d.startsWith("'=cmd")) hostile++
        expect(d.startsWith('=')).toBe(false)
      }
    }
    const total = (await app.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n
    expect(n).toBe(total)
    expect(hostile).toBe(ROWS / 10)
    // Streaming keeps the process well under what a buffered workbook of this size needs.
    expect(peak - rss0).toBeLessThan(200e6)
  }, 600_000)
})
