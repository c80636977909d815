import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify from '../../server/node_modules/fastify/fastify.js'
import { contentDisposition, keyset, neutralise, sendXlsx } from '../../server/src/modules/common/xlsx.js'
import { neutralise as quarantineNeutralise, XLSX as quarantineXlsx } from '../../server/src/modules/quarantine/quarantine.export.js'

// An aborted fetch leaves undici's spare connection open: close it rather than wait for it.
const app = Fastify({ logger: false, forceCloseConnections: true })
const LONG = '一个很长的表名'.repeat(6)
let base = ''
let stoppedAt = -1
let finished = false

app.get('/sheets', (req, reply) =>
  sendXlsx(req, reply, {
    filename: '测试 "报表";.xlsx',
    sheetRows: 3,
    sheets: [
      { name: LONG, columns: [{ header: '值' }, { header: '时间' }], rows: [1, 2, 3, 4, 5, 6, 7].map((n) => [`=A${n}`, new Date(Date.UTC(2026, 0, n, 2))]) },
      { name: '第二页', columns: [{ header: 'x' }], rows: (async function* () { yield ['@x'] })() },
    ],
  }),
)
app.get('/fails-first', (req, reply) =>
  sendXlsx(req, reply, {
    filename: 'x.xlsx',
    sheets: [{ name: 'x', columns: [{ header: 'x' }], rows: (async function* () { throw Object.assign(new Error('查询条件无效'), { statusCode: 400 }) })() }],
  }),
)
app.get('/fails-later', (req, reply) =>
  sendXlsx(req, reply, {
    filename: 'x.xlsx',
    sheets: [{ name: 'x', columns: [{ header: 'x' }], rows: (async function* () {
      for (let i = 0; i < 200_000; i++) {
        if (i === 150_000) throw new Error('数据库断开')
        yield [`第${i}行：${'长文本'.repeat(20)}`]
      }
    })() }],
  }),
)
app.get('/endless', (req, reply) =>
  sendXlsx(req, reply, {
    filename: 'x.xlsx',
    sheets: [{ name: 'x', columns: [{ header: 'x' }], rows: (async function* () {
      let i = 0
      try {
        for (; i < 10_000_000; i++) yield [`第${i}行：${'长文本'.repeat(20)}`]
        finished = true
      } finally {
        stoppedAt = i
      }
    })() }],
  }),
)

beforeAll(async () => {
  base = await app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => app.close())

describe('common/xlsx', () => {
  it('neutralises cells that start like a formula, also after a tab or CR, and nothing else', () => {
    for (const v of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(v)).toBe(`'${v}`)
    for (const v of ['1+1', '东门=无人', 'a@b.c', '', 5, -5, null, true]) expect(neutralise(v)).toBe(v)
    // The quarantine export still gets the same function and content type.
    expect(quarantineNeutralise).toBe(neutralise)
    expect(quarantineXlsx).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  })

  it('names the file in UTF-8 with a safe ASCII fallback', () => {
    expect(contentDisposition('反映事项.xlsx')).toBe(`attachment; filename="____.xlsx"; filename*=UTF-8''${encodeURIComponent('反映事项.xlsx')}`)
    expect(contentDisposition('a";b.xlsx')).toBe(`attachment; filename="a__b.xlsx"; filename*=UTF-8''a%22%3Bb.xlsx`)
  })

  it('continues a long list on the next sheet, keeps dates as dates, and cuts sheet names to 31 characters', async () => {
    const res = await fetch(`${base}/sheets`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('测试 "报表";.xlsx')}`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await res.arrayBuffer()) as never)
    expect(wb.worksheets.map((w) => w.name)).toEqual([LONG.slice(0, 31), `${LONG.slice(0, 25)} (2)`, `${LONG.slice(0, 25)} (3)`, '第二页'])
    const values = wb.worksheets.slice(0, 3).flatMap((w) => (w.getColumn(1).values as unknown[]).slice(2))
    expect(values).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `'=A${n}`))
    const date = wb.worksheets[0]!.getCell('B2')
    expect(date.value).toEqual(new Date(Date.UTC(2026, 0, 1, 2)))
    expect(date.numFmt).toBe('yyyy-mm-dd hh:mm')
    expect(wb.worksheets[0]!.getCell('A1').font?.bold).toBe(true)
    expect(wb.worksheets[3]!.getCell('A2').value).toBe("'@x")
  })

  it('answers an error in the first read with its status, before any file goes out', async () => {
    const res = await fetch(`${base}/fails-first`)
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('json')
  })

  it('aborts the download on an error after the file started, instead of ending a truncated file', async () => {
    const res = await fetch(`${base}/fails-later`)
    expect(res.status).toBe(200)
    await expect(res.arrayBuffer()).rejects.toThrow()
  })

  it('stops reading rows when the client leaves', async () => {
    const ctl = new AbortController()
    const res = await fetch(`${base}/endless`, { signal: ctl.signal })
    const reader = res.body!.getReader()
    let got = 0
    while (got < 20_000) got += (await reader.read()).value?.length ?? 0
    ctl.abort()
    for (let i = 0; i < 100 && stoppedAt < 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect(finished).toBe(false)
    expect(stoppedAt).toBeGreaterThan(0)
    expect(stoppedAt).toBeLessThan(1_000_000)
  })

  it('reads keyset batches in order, asking for the next while the last is used, and stops on a short page', async () => {
    const calls: (number | null)[] = []
    const data = Array.from({ length: 10 }, (_, i) => i + 1)
    const page = async (after: number | null, size: number) => {
      calls.push(after)
      return data.filter((x) => x > (after ?? 0)).slice(0, size)
    }
    const out: number[] = []
    for await (const x of keyset(page, (x) => x, 4)) out.push(x)
    expect(out).toEqual(data)
    expect(calls).toEqual([null, 4, 8])
  })
})
