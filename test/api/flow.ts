import sharp from '../../server/node_modules/sharp/lib/index.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import type { TestApp } from '../helper.js'

export const RENGANG_XINCUN = ['任港街道', '大庆社区', '第一网格', '任港路新村']
export const DAQING = ['任港街道', '大庆社区']

/** A real JPEG with EXIF GPS in it, as a phone camera would produce. */
export async function photoWithGps(width = 1600, height = 1200): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 30, b: 40 } } })
    .jpeg()
    .withExifMerge({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '32/1 1/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '120/1 51/1 0/1' } })
    .toBuffer()
}

export function multipart(file: Buffer, filename = 'photo.jpg', type = 'image/jpeg') {
  const boundary = '----cc' + Math.random().toString(16).slice(2)
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`)
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  return { payload: Buffer.concat([head, file, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export async function upload(app: TestApp, headers: Record<string, string>, purpose: 'report' | 'rectify' | 'travel_card' = 'report', file?: Buffer) {
  const m = multipart(file ?? (await photoWithGps()))
  const r = await app.inject({ method: 'POST', url: `/api/v1/uploads?purpose=${purpose}`, payload: m.payload, headers: { ...headers, ...m.headers } })
  return r
}

export async function categoryId(app: TestApp, code = 'gate_unchecked'): Promise<number> {
  const r = await app.inject({ url: '/api/v1/complaints/categories' })
  return r.json().items.find((c: { code: string }) => c.code === code).id
}

export async function fileReport(app: TestApp, headers: Record<string, string>, over: Record<string, unknown> = {}, key?: string) {
  const place = await findOrgByNames(app.db, RENGANG_XINCUN)
  return app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    headers: { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { categoryId: await categoryId(app), placeOrgId: place.id, description: '任港路新村10个出入口只有3个有人值守，东门无人查验', anonymous: false, photoIds: [], ...over },
  })
}

export const act = (app: TestApp, headers: Record<string, string>, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers, payload })
