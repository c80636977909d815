import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import type { FastifyReply, FastifyRequest } from 'fastify'

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * Spreadsheet injection: a cell a person typed that starts like a formula (= + - @, or a tab/CR that
 * Excel strips before looking) is written as text, prefixed with an apostrophe.
 */
export const neutralise = (v: unknown) => (typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)

/** `attachment` with an ASCII fallback and the real (Chinese) name as RFC 5987 `filename*`. */
export function contentDisposition(filename: string) {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_') || 'export.xlsx'
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

export interface XlsxColumn {
  header: string
  width?: number
}

export interface XlsxSheet {
  name: string
  columns: XlsxColumn[]
  /** Rows in column order; an async iterable is read lazily, so a million rows never sit in memory. */
  rows: Iterable<unknown[]> | AsyncIterable<unknown[]>
}

export interface XlsxOptions {
  filename: string
  sheets: XlsxSheet[]
  /** Rows per sheet before a list continues on the next one (default Excel's limit; smaller in tests). */
  sheetRows?: number
}

/** How many rows go out between checks for backpressure and a client that left. */
const CHECK_EVERY = 500
const PLAIN_STYLE: Partial<ExcelJS.Style> = {}
const DATE_STYLE: Partial<ExcelJS.Style> = { numFmt: 'yyyy-mm-dd hh:mm' }

/** Data rows per sheet: Excel's limit minus the header row. */
const SHEET_ROWS = 1_048_575

/**
 * Streams an .xlsx to the client through exceljs' streaming WorkbookWriter (no shared strings, so memory
 * stays flat). Call as `return sendXlsx(req, reply, {...})` from a route handler.
 *
 * The first row of the first sheet is read before anything is sent, so an error in the first query still
 * becomes a proper problem+json answer. An error after that can no longer change the status: the response
 * is destroyed, and the client sees a failed download instead of a silently truncated file.
 */
export async function sendXlsx(req: FastifyRequest, reply: FastifyReply, opts: XlsxOptions): Promise<FastifyReply> {
  const iterators = opts.sheets.map((s) => toAsyncIterator(s.rows))
  const first = iterators.length ? await iterators[0]!.next() : { done: true as const, value: undefined }

  const out = new PassThrough()
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  reply.type(XLSX).header('content-disposition', contentDisposition(opts.filename)).header('cache-control', 'no-store')
  reply.send(out)

  const sheetRows = opts.sheetRows ?? SHEET_ROWS
  const gone = () => req.raw.destroyed || reply.raw.destroyed || out.destroyed
  void (async () => {
    try {
      for (const [i, sheet] of opts.sheets.entries()) {
        let part = 1
        const open = () => {
          const name = part === 1 ? sheet.name.slice(0, 31) : `${sheet.name.slice(0, 25)} (${part})`
          const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
          ws.columns = sheet.columns.map((c) => ({ header: c.header, width: c.width ?? 14 }))
          ws.getRow(1).font = { bold: true }
          ws.getRow(1).commit()
          return ws
        }
        let ws = open()
        const it = iterators[i]!
        let n = 0
        let inSheet = 0
        let next = i === 0 ? first : await it.next()
        while (!next.done) {
          // Excel stops at 1,048,576 rows a sheet: a longer list continues on the next sheet.
          if (inSheet === sheetRows) {
            ws.commit()
            part++
            ws = open()
            inSheet = 0
          }
          const row = ws.addRow(next.value.map(neutralise))
          // exceljs finds a cell's style id through a WeakMap keyed by the style object, and every new cell
          // gets a fresh one: sharing one object per kind halves the time of a large export.
          row.eachCell((c) => void (c.style = c.value instanceof Date ? DATE_STYLE : PLAIN_STYLE))
          row.commit()
          inSheet++
          if (++n % CHECK_EVERY === 0) {
            if (gone()) {
              await it.return?.()
              return
            }
            if (out.writableNeedDrain) await drained(out)
            // Rows from memory (or a fast source) resolve in microtasks only: let I/O, zlib and other
            // requests run between chunks instead of starving the event loop for the whole file.
            else await new Promise(setImmediate)
            // exceljs hands each 64 KB of sheet XML to the zip's deflate stream without waiting for it: when
            // deflate (or the client) is slower than the rows come, wait here instead of queueing the file.
            while (queued(ws) > MAX_QUEUED && !gone()) await new Promise((r) => setTimeout(r, 2))
          }
          next = await it.next()
        }
        ws.commit()
      }
      await wb.commit()
    } catch (err) {
      req.log.error({ err }, 'xlsx export failed mid-stream')
      for (const it of iterators) await it.return?.().catch(() => undefined)
      out.destroy(err as Error)
    }
  })()
  return reply
}

/**
 * Sheet XML written by exceljs but not yet compressed: its stream's pipe targets are the zip entry's input
 * (archiver's readable-stream v2, which has no `writableLength` getter, hence `_writableState`). Without a
 * limit here the whole uncompressed sheet queued in memory (75 MB per 100 k rows) while deflate caught up.
 */
const MAX_QUEUED = 2 * 1024 * 1024
type Pipe = { writableLength?: number; _writableState?: { length?: number } }
function queued(ws: unknown) {
  const pipes = (ws as { stream?: { pipes?: Pipe[] } }).stream?.pipes ?? []
  return pipes.reduce((n, p) => n + (p.writableLength ?? p._writableState?.length ?? 0), 0)
}

/** Resolves on 'drain' or when the stream closes (a client that left never drains). */
function drained(s: PassThrough) {
  return new Promise<void>((resolve) => {
    const done = () => {
      s.off('drain', done)
      s.off('close', done)
      resolve()
    }
    s.on('drain', done)
    s.on('close', done)
  })
}

function toAsyncIterator<T>(rows: Iterable<T> | AsyncIterable<T>): AsyncIterator<T> {
  if (Symbol.asyncIterator in rows) return (rows as AsyncIterable<T>)[Symbol.asyncIterator]()
  const it = (rows as Iterable<T>)[Symbol.iterator]()
  return { next: async () => it.next(), return: async () => it.return?.() ?? { done: true, value: undefined } }
}

/**
 * Keyset batches: `page(after)` returns the next rows ordered by the key, at most `size` of them; the
 * generator stops on a short page. One query per batch, each an index range scan, no open transaction.
 * The next batch is asked for while this one is written, so the database and the writer overlap.
 */
export async function* keyset<R, K>(page: (after: K | null, size: number) => Promise<R[]>, keyOf: (row: R) => K, size = 2000): AsyncGenerator<R> {
  let pending: Promise<R[]> | null = page(null, size)
  try {
    while (pending) {
      const rows: R[] = await pending
      pending = rows.length === size ? page(keyOf(rows[rows.length - 1]!), size) : null
      for (const r of rows) yield r
    }
  } finally {
    // A reader that stopped early (client gone) leaves a query in flight: its failure is nobody's error.
    pending?.catch(() => undefined)
  }
}

/** Maps an async iterable (e.g. `keyset(...)`) to row arrays. */
export async function* mapRows<R>(src: AsyncIterable<R>, fn: (row: R) => unknown[]): AsyncGenerator<unknown[]> {
  for await (const r of src) yield fn(r)
}
