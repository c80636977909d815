import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import type { Db } from '../../db/client.js'
import { AppError } from '../../errors.js'
import type { Storage } from './storage.js'
import { uploads } from './uploads.table.js'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp'])
const LONG_EDGE = 1280
const THUMB_EDGE = 320

function timeStamp(now: Date, width: number): Buffer {
  // Server time in Asia/Shanghai, burnt into rectification photos so "after" pictures carry when they were sent.
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(now)
  const size = Math.max(14, Math.round(width / 32))
  const w = Math.round(size * text.length * 0.62) + 16
  const h = size + 14
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="black" fill-opacity="0.45"/><text x="8" y="${size + 3}" font-family="DejaVu Sans Mono, monospace" font-size="${size}" fill="#fff">${text}</text></svg>`,
  )
}

export function createUploadsService(db: Db, storage: Storage) {
  return {
    /** Checks the bytes, re-encodes (drops EXIF/GPS), makes a thumbnail, stores both, then records them. */
    async save(ownerId: number, purpose: 'report' | 'rectify', input: Buffer) {
      const type = await fileTypeFromBuffer(input)
      if (!type || !ACCEPTED.has(type.mime)) throw new AppError('UNSUPPORTED_MEDIA', '只能上传 JPG、PNG 或 WebP 格式的照片')
      let main: { data: Buffer; info: sharp.OutputInfo }
      let thumb: Buffer
      try {
        const now = new Date()
        let img = sharp(input, { failOn: 'error', limitInputPixels: 80_000_000 }).rotate().resize(LONG_EDGE, LONG_EDGE, { fit: 'inside', withoutEnlargement: true })
        if (purpose === 'rectify') {
          const resized = await img.toBuffer({ resolveWithObject: true })
          img = sharp(resized.data).composite([{ input: timeStamp(now, resized.info.width), gravity: 'southeast' }])
        }
        main = await img.jpeg({ quality: 78, mozjpeg: true }).toBuffer({ resolveWithObject: true })
        thumb = await sharp(main.data).resize(THUMB_EDGE, THUMB_EDGE, { fit: 'inside' }).jpeg({ quality: 70 }).toBuffer()
      } catch {
        throw new AppError('UNSUPPORTED_MEDIA', '照片已损坏或无法识别，请重新拍摄')
      }
      const id = randomUUID()
      const day = new Date().toISOString().slice(0, 10)
      const storageKey = `${day}/${id}.jpg`
      const thumbKey = `${day}/${id}_t.jpg`
      await storage.put(storageKey, main.data, 'image/jpeg')
      try {
        await storage.put(thumbKey, thumb, 'image/jpeg')
        await db.insert(uploads).values({
          id,
          ownerId,
          purpose,
          mime: 'image/jpeg',
          bytes: main.data.length,
          width: main.info.width,
          height: main.info.height,
          originalBytes: input.length,
          storageKey,
          thumbKey,
        })
      } catch (e) {
        // Nothing half-written: the files go if the record could not be made.
        await storage.delete(storageKey)
        await storage.delete(thumbKey)
        throw e
      }
      return { id, url: photoUrl(id), thumbUrl: photoUrl(id, true), width: main.info.width, height: main.info.height, bytes: main.data.length }
    },

    async find(id: string) {
      const [u] = await db.select().from(uploads).where(eq(uploads.id, id))
      return u ?? null
    },
  }
}
export type UploadsService = ReturnType<typeof createUploadsService>

export const photoUrl = (id: string, thumb = false) => `/api/v1/uploads/${id}/${thumb ? 'thumb' : 'full'}`
