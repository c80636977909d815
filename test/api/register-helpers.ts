import { idCheckChar } from '@cc/shared'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import type { TestApp } from '../helper.js'

export const RENGANG_XINCUN = ['任港街道', '大庆社区', '第一网格', '任港路新村']
export const HAOCHENG_XINCUN = ['和平桥街道', '濠城社区', '第二网格', '濠城新村']
export const DAQING = ['任港街道', '大庆社区']
export const HAOCHENG = ['和平桥街道', '濠城社区']

let serial = 0
/** A valid, unique ID number (崇川区, born 1960–1999) that the seed cannot have used (sequence 9xx). */
export function makeId(n = ++serial, region = '320602'): string {
  const year = 1960 + (n % 40)
  const rest = Math.floor(n / 40)
  const month = (rest % 12) + 1
  const day = (Math.floor(rest / 12) % 28) + 1
  const seq = Math.floor(rest / 336) % 100
  const first17 = `${region}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}9${String(seq).padStart(2, '0')}`
  return first17 + idCheckChar(first17)
}
/** The same ID number with a wrong check character. */
export const badChecksum = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0')

export async function compoundWithBuildings(app: TestApp, names: string[]) {
  const org = await findOrgByNames(app.db, names)
  const b = await app.pool.query<{ id: number; name: string; units: number }>('SELECT id, name, units FROM buildings WHERE compound_id = $1 ORDER BY id', [org.id])
  return { id: org.id, path: org.path, buildings: b.rows }
}

export function multipartForm(fields: Record<string, string>, file: { name: string; data: Buffer; type?: string }) {
  const boundary = '----ccreg' + Math.random().toString(16).slice(2)
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  parts.push(
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  )
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

/** Everything a response said, to search for a plain ID number or phone. */
export const bodyText = (r: { body: string }) => r.body
