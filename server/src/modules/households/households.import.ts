import { Worker } from 'node:worker_threads'
import { sql } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import { idCheckChar, idNumberError, inScope, isMobilePhone, normaliseIdNumber, redactPublicText } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import type { Db } from '../../db/client.js'
import { AppError, badRequest, conflict, notFound } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { RESIDENT_RELATIONS, type ImportRow } from './households.table.js'
import { addressOf, isUniqueViolation, linkByPhoneFor, PASS_VALID_DAYS, sealPerson } from './households.people.js'
import { normaliseRoom } from './households.service.js'

export const MAX_IMPORT_ROWS = 20_000
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024
const PREVIEW_HOURS = 24
const MAX_ERRORS_SHOWN = 500
const SAMPLE_ROWS = 20
const WORKER_TIMEOUT_MS = 60_000

/** Template columns, in order; the first four and the ID number are required. */
export const COLUMNS = ['楼栋', '单元', '房号', '姓名', '身份证号', '手机号', '与户主关系', '独居老人', '无智能手机', '残疾'] as const
type Column = (typeof COLUMNS)[number]
const REQUIRED: Column[] = ['楼栋', '房号', '姓名', '身份证号']
const ALIASES: Record<Column, string[]> = {
  楼栋: ['楼栋', '楼号', '幢', '栋', '楼栋号', '幢号', '楼'],
  单元: ['单元', '单元号'],
  房号: ['房号', '房间号', '室', '门牌号', '房间', '室号'],
  姓名: ['姓名', '名字', '居民姓名'],
  身份证号: ['身份证号', '身份证号码', '身份证', '公民身份号码', '证件号码'],
  手机号: ['手机号', '手机号码', '联系电话', '电话', '手机'],
  与户主关系: ['与户主关系', '关系', '与户主的关系'],
  独居老人: ['独居老人', '独居'],
  无智能手机: ['无智能手机', '没有智能手机'],
  残疾: ['残疾', '残疾人'],
}
const RELATION_SYNONYMS: Record<string, string> = {
  本人: '户主', 户主本人: '户主', 妻: '配偶', 夫: '配偶', 妻子: '配偶', 丈夫: '配偶', 爱人: '配偶',
  子: '子女', 女: '子女', 儿子: '子女', 女儿: '子女', 长子: '子女', 次子: '子女', 长女: '子女', 次女: '子女',
  父亲: '父母', 母亲: '父母', 父: '父母', 母: '父母', 岳父: '父母', 岳母: '父母', 公公: '父母', 婆婆: '父母',
  祖父: '祖父母', 祖母: '祖父母', 外祖父: '祖父母', 外祖母: '祖父母', 孙子: '孙子女', 孙女: '孙子女', 外孙: '孙子女', 外孙女: '孙子女',
  兄: '兄弟姐妹', 弟: '兄弟姐妹', 姐: '兄弟姐妹', 妹: '兄弟姐妹', 哥哥: '兄弟姐妹', 弟弟: '兄弟姐妹', 姐姐: '兄弟姐妹', 妹妹: '兄弟姐妹',
  租客: '租户', 租住: '租户', 承租人: '租户',
}
const YES = new Set(['是', 'y', 'yes', '1', '√', '✓', 'true', '有', '对'])
const NO = new Set(['否', 'n', 'no', '0', '×', 'false', '无', '不是', '-'])
const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 }

type Cell = string | number | null
interface SheetRows {
  rows: { n: number; cells: Cell[] }[]
  tooMany: boolean
}

/** Runs the spreadsheet worker (see households.sheet-worker.mjs) with its own heap and time limits. */
function runWorker<T>(job: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./households.sheet-worker.mjs', import.meta.url), {
      workerData: job,
      transferList: transfer,
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    const timer = setTimeout(() => {
      void w.terminate()
      reject(badRequest('表格太复杂，读取超时，请分批导入'))
    }, WORKER_TIMEOUT_MS)
    w.once('message', (m: { ok: boolean; message?: string } & T) => {
      clearTimeout(timer)
      void w.terminate()
      if (m.ok) resolve(m)
      else reject(badRequest('表格无法读取，请确认是用 Excel 或 WPS 保存的 .xlsx 或 .csv 文件'))
    })
    w.once('error', (e) => {
      clearTimeout(timer)
      // ERR_WORKER_OUT_OF_MEMORY: a file that expands to more than the worker may hold.
      reject((e as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ? badRequest('表格解压后过大，请分批导入') : e)
    })
  })
}

/** What the file is, by its bytes; the name must agree. */
export function sniff(buf: Buffer, fileName: string): 'xlsx' | 'csv' {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? ''
  if (buf.length === 0) throw badRequest('文件是空的')
  if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) throw new AppError('UNSUPPORTED_MEDIA', '这是旧版 .xls 文件，请在 Excel 或 WPS 中另存为 .xlsx 后再上传')
  const zip = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))
  if (zip && ext === 'xlsx') return 'xlsx'
  const head = buf.subarray(0, 64 * 1024)
  if (!zip && ext === 'csv' && !head.includes(0)) return 'csv'
  throw new AppError('UNSUPPORTED_MEDIA', '只支持 .xlsx 或 .csv 格式的表格文件（请用模板填写）')
}

const headerKey = (s: Cell) =>
  String(s ?? '')
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[*＊]/g, '')
    .replace(/[(（][^)）]*[)）]$/, '')

function mapHeader(cells: Cell[]): Map<Column, number> {
  const at = new Map<Column, number>()
  cells.forEach((c, i) => {
    const k = headerKey(c)
    const col = (Object.keys(ALIASES) as Column[]).find((name) => ALIASES[name].includes(k))
    if (col && !at.has(col)) at.set(col, i)
  })
  const missing = REQUIRED.filter((c) => !at.has(c))
  if (missing.length) throw badRequest(`第一行应为表头，缺少列：${missing.join('、')}（请下载模板对照）`)
  return at
}

const text = (c: Cell) => (c === null ? '' : typeof c === 'number' ? String(c) : c.normalize('NFKC').trim())

/** "1", "1幢", "1栋", "1号楼", "１幢" → "1幢" (the seed's and most registers' spelling). */
const buildingKey = (s: string) => {
  const t = s.replace(/\s+/g, '')
  const m = /^(\d+)(幢|栋|号楼|号|座)?$/.exec(t)
  return m ? `${Number(m[1])}幢` : t
}

interface Building {
  id: number
  name: string
  units: number
}

/** Spreadsheet import: parse → validate every row → preview kept server-side → one all-or-nothing commit. */
export function createImportService(db: Db, config: AppConfig) {
  async function compoundInScope(req: FastifyRequest, compoundId: number) {
    const c = (await db.execute(sql`SELECT id, kind, name, path FROM org_units WHERE id = ${compoundId}`)).rows[0] as
      | { id: number; kind: string; name: string; path: string }
      | undefined
    if (!c) throw notFound('小区')
    if (!req.auth!.orgPath || !inScope(req.auth!.orgPath, c.path)) throw new AppError('OUT_OF_SCOPE')
    if (c.kind !== 'compound') throw badRequest('请选择小区')
    return c
  }

  async function preview(req: FastifyRequest, compoundId: number, fileName: string, buf: Buffer) {
    const compound = await compoundInScope(req, compoundId)
    const kind = sniff(buf, fileName)
    const copy = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer
    const sheet = await runWorker<SheetRows>({ kind, buf: copy, maxRows: MAX_IMPORT_ROWS, headerHints: REQUIRED.flatMap((c) => ALIASES[c]) }, [copy])
    if (sheet.rows.length === 0) throw badRequest('表格是空的')
    if (sheet.tooMany) throw badRequest(`一次最多导入 ${MAX_IMPORT_ROWS} 行，请分批导入`)
    const [header, ...data] = sheet.rows
    // The header first: a single row that is not the header is a wrong sheet, not an empty register.
    const col = mapHeader(header!.cells)
    if (data.length === 0) throw badRequest('表格只有表头，没有住户数据')
    const get = (cells: Cell[], c: Column) => {
      const i = col.get(c)
      return i === undefined ? null : (cells[i] ?? null)
    }

    const buildings = (await db.execute(sql`SELECT id, name, units FROM buildings WHERE compound_id = ${compoundId}`)).rows as unknown as Building[]
    const byName = new Map<string, Building>()
    for (const b of buildings) {
      byName.set(b.name, b)
      if (!byName.has(buildingKey(b.name))) byName.set(buildingKey(b.name), b)
    }

    const errors: { row: number; column: string; message: string }[] = []
    const rows: ImportRow[] = []
    const firstRowOf = new Map<string, number>()
    const err = (row: number, column: string, message: string) => errors.push({ row, column, message })

    for (const { n, cells } of data) {
      const before = errors.length
      const bRaw = text(get(cells, '楼栋'))
      const b = bRaw ? (byName.get(bRaw) ?? byName.get(buildingKey(bRaw))) : undefined
      if (!bRaw) err(n, '楼栋', '缺少楼栋')
      // Echoed back, but never a phone or ID number a shifted column put here (answers carry masked data only).
      else if (!b) err(n, '楼栋', `未知楼栋“${redactPublicText(bRaw).slice(0, 20)}”（本小区没有这栋楼）`)

      const uRaw = text(get(cells, '单元')).replace(/单元$/, '')
      const unit = uRaw === '' ? 1 : /^\d{1,2}$/.test(uRaw) ? Number(uRaw) : (CN_DIGITS[uRaw] ?? NaN)
      if (!Number.isInteger(unit) || unit < 1) err(n, '单元', `单元“${uRaw.slice(0, 10)}”应为数字`)
      else if (b && unit > b.units) err(n, '单元', `${b.name}只有${b.units}个单元`)

      const room = normaliseRoom(text(get(cells, '房号')))
      if (!room) err(n, '房号', '缺少房号')
      else if (room.length > 12) err(n, '房号', '房号太长')

      const name = text(get(cells, '姓名')).replace(/\s+/g, '')
      if (!name) err(n, '姓名', '缺少姓名')
      // A leading = + - @ is a spreadsheet formula (it would run when the register is opened in Excel again).
      else if (name.length > 30 || /[\p{Cc}\d<>[\]{}]/u.test(name) || /^[=+\-@]/.test(name)) err(n, '姓名', '姓名格式不对')

      const idCell = get(cells, '身份证号')
      let id = ''
      if (typeof idCell === 'number')
        err(n, '身份证号', idCell > 1e14 ? '身份证号被表格存成了数字，后几位已丢失：请把该列设为“文本”后重新填写' : '身份证号格式错误')
      else {
        const problem = idNumberError(idCell ?? '')
        if (problem) err(n, '身份证号', problem === '身份证号校验位不正确，请核对' ? '身份证号校验位错误' : problem)
        else id = normaliseIdNumber(idCell!)
      }

      const phoneRaw = text(get(cells, '手机号'))
        .replace(/[\s-]/g, '')
        .replace(/^(\+?86)(?=1\d{10}$)/, '')
      if (phoneRaw && !isMobilePhone(phoneRaw)) err(n, '手机号', '手机号格式错误')

      const relRaw = text(get(cells, '与户主关系'))
      const relation = !relRaw ? '其他' : (RESIDENT_RELATIONS as readonly string[]).includes(relRaw) ? relRaw : (RELATION_SYNONYMS[relRaw] ?? '其他')

      const flag = (c: Column) => {
        const v = text(get(cells, c)).toLowerCase()
        if (v === '' || NO.has(v)) return false
        if (YES.has(v)) return true
        err(n, c, `“${c}”一栏请填“是”或“否”`)
        return false
      }
      const elderlyAlone = flag('独居老人')
      const noSmartphone = flag('无智能手机')
      const disabled = flag('残疾')

      if (id) {
        const person = sealPerson(config, name || '无名', id, phoneRaw && isMobilePhone(phoneRaw) ? phoneRaw : null)
        const first = firstRowOf.get(person.idHash)
        if (first !== undefined) err(n, '身份证号', `本文件中重复（与第${first}行）`)
        else firstRowOf.set(person.idHash, n)
        if (errors.length === before)
          rows.push({
            row: n,
            buildingId: b!.id,
            unit,
            room,
            ...person,
            idEnc: person.idEnc.toString('base64'),
            phoneEnc: person.phoneEnc?.toString('base64') ?? null,
            relation,
            elderlyAlone,
            noSmartphone,
            disabled,
          })
      }
    }

    // People already registered: one query for the whole file.
    const hashes = [...firstRowOf.keys()]
    if (hashes.length) {
      const found = await db.execute(sql`
        SELECT r.id_hash AS "idHash", r.compound_id AS "compoundId", c.path, h.building_id AS "buildingId", h.unit, h.room, b.name AS "buildingName", b.units
        FROM residents r JOIN households h ON h.id = r.household_id JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = r.compound_id
        WHERE r.moved_out IS NULL AND r.id_hash IN (SELECT jsonb_array_elements_text(${JSON.stringify(hashes)}::jsonb))`)
      const rowByNum = new Map(rows.map((r) => [r.row, r]))
      const community = compound.path.split('/').slice(0, 4).join('/') + '/'
      for (const e of found.rows as { idHash: string; path: string; buildingId: number; unit: number; room: string; buildingName: string; units: number }[]) {
        const n = firstRowOf.get(e.idHash)!
        const r = rowByNum.get(n)
        const same = r && r.buildingId === e.buildingId && r.unit === e.unit && r.room === e.room
        const msg = same
          ? '此人已在本户登记，无需重复导入'
          : e.path.startsWith(community)
            ? `已登记在本社区其他房号（${addressOf(e)}）`
            : '已登记在其他社区，请先在原社区办理迁出'
        err(n, '身份证号', msg)
      }
    }

    const bad = new Set(errors.map((e) => e.row))
    const valid = rows.filter((r) => !bad.has(r.row))
    errors.sort((a, b) => a.row - b.row)
    await db.execute(sql`DELETE FROM register_imports WHERE expires_at < now()`)
    const ins = await db.execute(sql`
      INSERT INTO register_imports (compound_id, created_by, file_name, total, valid, error_count, rows, expires_at)
      VALUES (${compoundId}, ${req.auth!.userId}, ${fileName.slice(0, 200)}, ${data.length}, ${valid.length}, ${errors.length},
        ${JSON.stringify(errors.length ? [] : valid)}::jsonb, now() + make_interval(hours => ${PREVIEW_HOURS}))
      RETURNING id, expires_at AS "expiresAt"`)
    const saved = ins.rows[0] as { id: number; expiresAt: Date }
    const nameOf = new Map(buildings.map((b) => [b.id, b.name]))
    return {
      id: saved.id,
      compoundId,
      fileName,
      total: data.length,
      valid: valid.length,
      errorCount: errors.length,
      errors: errors.slice(0, MAX_ERRORS_SHOWN),
      sample: valid.slice(0, SAMPLE_ROWS).map((r) => ({
        row: r.row,
        building: nameOf.get(r.buildingId) ?? '',
        unit: r.unit,
        room: r.room,
        nameMasked: r.nameMasked,
        idMasked: r.idMasked,
        phoneLast4: r.phoneLast4,
        relation: r.relation,
        elderlyAlone: r.elderlyAlone,
        noSmartphone: r.noSmartphone,
        disabled: r.disabled,
      })),
      expiresAt: new Date(saved.expiresAt).toISOString(),
    }
  }

  /**
   * Writes the previewed rows in one transaction and a handful of statements: households that are
   * missing, every resident and every pass as multi-row inserts straight from the stored preview. A second
   * commit answers the first one's result.
   */
  async function commit(req: FastifyRequest, id: number) {
    try {
      return await db.transaction(async (tx) => {
        const imp = (await tx.execute(sql`
          SELECT id, compound_id AS "compoundId", error_count AS "errorCount", valid, committed_at AS "committedAt", result, expires_at < now() AS expired
          FROM register_imports WHERE id = ${id} FOR UPDATE`)).rows[0] as
          | { id: number; compoundId: number; errorCount: number; valid: number; committedAt: Date | null; result: { households: number; residents: number; passes: number } | null; expired: boolean }
          | undefined
        if (!imp) throw notFound('导入记录')
        if (imp.committedAt && imp.result) return imp.result
        if (imp.errorCount > 0) throw conflict(`预览中有 ${imp.errorCount} 处错误，请修改表格后重新上传；本次没有写入任何数据`)
        if (imp.expired) throw conflict('预览已过期，请重新上传表格')
        if (imp.valid === 0) throw conflict('没有可导入的住户')

        const X = sql`jsonb_to_recordset(i.rows) AS x("row" int, "buildingId" int, unit int, room text, name text, "nameMasked" text,
          "idEnc" text, "idHash" text, "idMasked" text, "phoneEnc" text, "phoneHash" text, "phoneLast4" text, relation text,
          "elderlyAlone" boolean, "noSmartphone" boolean, disabled boolean)`
        // Someone may have registered one of these people since the preview: say who, write nothing.
        const taken = await tx.execute(sql`
          SELECT x."row" FROM register_imports i, ${X} JOIN residents r ON r.id_hash = x."idHash" AND r.moved_out IS NULL
          WHERE i.id = ${id} ORDER BY x."row" LIMIT 5`)
        if (taken.rows.length)
          throw conflict(`第${(taken.rows as { row: number }[]).map((r) => r.row).join('、')}行的住户在预览后已被登记，请重新上传预览；本次没有写入任何数据`)

        const hh = await tx.execute(sql`
          INSERT INTO households (compound_id, building_id, unit, room)
          SELECT DISTINCT ${imp.compoundId}::int, x."buildingId", x.unit, x.room FROM register_imports i, ${X} WHERE i.id = ${id}
          ON CONFLICT (building_id, unit, room) DO NOTHING`)
        const res = await tx.execute(sql`
          INSERT INTO residents (household_id, compound_id, name, name_masked, id_enc, id_hash, id_masked, phone_enc, phone_hash, phone_last4,
            relation, elderly_alone, no_smartphone, disabled)
          SELECT h.id, ${imp.compoundId}::int, x.name, x."nameMasked", decode(x."idEnc", 'base64'), x."idHash", x."idMasked",
            decode(x."phoneEnc", 'base64'), x."phoneHash", x."phoneLast4", x.relation, x."elderlyAlone", x."noSmartphone", x.disabled
          FROM register_imports i, ${X} JOIN households h ON h.building_id = x."buildingId" AND h.unit = x.unit AND h.room = x.room
          WHERE i.id = ${id} ORDER BY x."row"
          RETURNING id`)
        const ids = (res.rows as { id: number }[]).map((r) => r.id)
        const passes = await tx.execute(sql`
          INSERT INTO passes (resident_id, compound_id, status, valid_until)
          SELECT unnest(${sql.raw(`'{${ids.join(',')}}'`)}::int[]), ${imp.compoundId}::int, 'active', now() + make_interval(days => ${PASS_VALID_DAYS})`)
        await linkByPhoneFor(tx, ids)
        const result = { households: hh.rowCount ?? 0, residents: ids.length, passes: passes.rowCount ?? 0 }
        await tx.execute(sql`UPDATE register_imports SET committed_at = now(), result = ${JSON.stringify(result)}::jsonb, rows = '[]'::jsonb WHERE id = ${id}`)
        await audit(tx, req, { action: 'register.import', targetType: 'register_import', targetId: id, detail: { compoundId: imp.compoundId, ...result } })
        return result
      })
    } catch (e) {
      if (isUniqueViolation(e, 'residents_id_hash_current_uq')) throw conflict('有住户在预览后已被登记，请重新上传预览；本次没有写入任何数据')
      throw e
    }
  }

  async function template(): Promise<Buffer> {
    const example = ['1幢', '1', '101', '张三', `32060219800101001${idCheckChar('32060219800101001')}`, '13800000000', '户主', '否', '否', '否']
    const r = await runWorker<{ file: Uint8Array }>({ kind: 'template', headers: COLUMNS, example, widths: [8, 6, 8, 10, 22, 14, 12, 10, 12, 8] })
    return Buffer.from(r.file)
  }

  return { preview, commit, template }
}
export type ImportService = ReturnType<typeof createImportService>
