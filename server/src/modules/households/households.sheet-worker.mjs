// Reads (and writes) register spreadsheets with exceljs in a worker thread. Plain JavaScript on purpose:
// - an uploaded file is untrusted input: a zip bomb or a huge sheet hits this thread's own heap limit and
//   time limit, not the API's event loop or memory;
// - the worker is started without the parent's loader flags, so exceljs loads under plain Node (tsx 4.19
//   cannot load one of its transitive dependencies, async-function's "module-sync" entry).
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { parentPort, workerData } from 'node:worker_threads'

const require = createRequire(import.meta.url)
const ExcelJS = require('exceljs')

/** A cell as the validator needs it: text, or a number (an ID number typed as a number has lost digits). */
function cellValue(v) {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'boolean') return v ? '是' : '否'
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text ?? '').join('')
    // A formula counts as the value Excel last computed; one saved without it (generated files) is empty,
    // never the text "[object Object]".
    if ('formula' in v || 'sharedFormula' in v || 'result' in v) return cellValue(v.result)
    if ('text' in v) return cellValue(v.text)
    if ('error' in v) return null
    return null
  }
  return String(v)
}

function rowCells(values) {
  // exceljs rows are 1-based arrays (index 0 unused), possibly sparse.
  const out = []
  const vals = Array.isArray(values) ? values : []
  for (let i = 1; i < vals.length; i++) out.push(cellValue(vals[i]))
  return out
}

const blank = (cells) => cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))

/** Header cells compare like households.import.ts's headerKey: width, spaces, "*" and a "(…)" note ignored. */
const headerKey = (c) =>
  String(c ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*＊]/g, '')
    .replace(/[(（][^)）]*[)）]$/, '')

async function readXlsx(buf, maxRows, headerHints = []) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  })
  const hints = new Set(headerHints)
  const looksLikeHeader = (cells) => cells.filter((c) => hints.has(headerKey(c))).length >= 2
  // The register is the first worksheet whose first row is the template's header (a workbook often opens
  // with a 说明 sheet); when none has it, the first worksheet, so the caller can say which columns are missing.
  let first = null
  for await (const sheet of reader) {
    const rows = []
    for await (const row of sheet) {
      const cells = rowCells(row.values)
      if (blank(cells)) continue
      rows.push({ n: row.number, cells })
      // header + maxRows data rows; one more tells the caller the file is too long.
      if (rows.length > maxRows + 1) return { rows, tooMany: true }
    }
    if (rows.length && looksLikeHeader(rows[0].cells)) return { rows, tooMany: false }
    first ??= { rows, tooMany: false }
  }
  return first ?? { rows: [], tooMany: false }
}

function decodeText(buf) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf)
  } catch {
    // Excel in Chinese Windows saves "CSV" in GBK; GB18030 is its superset.
    return new TextDecoder('gb18030').decode(buf)
  }
}

async function readCsv(buf, maxRows) {
  const text = decodeText(buf).replace(/^\uFEFF/, '')
  const wb = new ExcelJS.Workbook()
  // map: keep every value as typed text — the default mapper turns 18-digit ID numbers into floats.
  const sheet = await wb.csv.read(Readable.from([text]), { map: (v) => v, parserOptions: { ignoreEmpty: true, trim: false } })
  const rows = []
  let tooMany = false
  sheet.eachRow({ includeEmpty: false }, (row, n) => {
    if (tooMany) return
    const cells = rowCells(row.values)
    if (blank(cells)) return
    rows.push({ n, cells })
    if (rows.length > maxRows + 1) tooMany = true
  })
  return { rows, tooMany }
}

async function template(headers, example, widths) {
  const wb = new ExcelJS.Workbook()
  wb.creator = '崇川在线'
  const ws = wb.addWorksheet('住户登记')
  ws.columns = headers.map((h, i) => ({ header: h, key: `c${i}`, width: widths[i] ?? 12, style: { numFmt: '@' } }))
  ws.getRow(1).font = { bold: true }
  ws.addRow(example)
  ws.views = [{ state: 'frozen', ySplit: 1 }]
  return Buffer.from(await wb.xlsx.writeBuffer())
}

async function run(job) {
  try {
    if (job.kind === 'template') return { ok: true, file: await template(job.headers, job.example, job.widths ?? []) }
    const buf = Buffer.from(job.buf)
    const out = job.kind === 'xlsx' ? await readXlsx(buf, job.maxRows, job.headerHints) : await readCsv(buf, job.maxRows)
    return { ok: true, ...out }
  } catch (e) {
    return { ok: false, message: String(e && e.message ? e.message : e).slice(0, 200) }
  }
}

parentPort.postMessage(await run(workerData))
