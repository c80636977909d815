import { randomUUID } from 'node:crypto'
import { eq, sql } from 'drizzle-orm'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import type { Db } from '../../db/client.js'
import { AppError } from '../../errors.js'
import type { Storage } from './storage.js'
import { uploads } from './uploads.table.js'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** Uploads not (yet) attached to a report, per account: a report takes 9, a rectification 9. */
export const MAX_UNATTACHED_UPLOADS = 30
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp'])
const LONG_EDGE = 1280
const THUMB_EDGE = 320

/**
 * Server time in Asia/Shanghai, burnt into rectification photos so "after" pictures carry when they were sent.
 * The stamp is sized from the photo and never larger than it: sharp refuses an overlay bigger than its base,
 * which made small but valid photos (160×120) fail as "damaged".
 */
export function timeStamp(now: Date, width: number, height: number): Buffer {
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'medium' }).format(now)
  const ADVANCE = 0.62 // monospace glyph width per font-size unit, a little generous
  const fitWidth = (width - 4) / (text.length * ADVANCE + 1)
  const fitHeight = (height - 2) / 1.6
  const size = Math.max(1, Math.floor(Math.min(Math.max(14, width / 32), fitWidth, fitHeight)))
  const pad = Math.max(1, Math.round(size / 2))
  const w = Math.min(width, Math.ceil(size * text.length * ADVANCE) + 2 * pad)
  const h = Math.min(height, size + 2 * Math.max(1, Math.round(size * 0.3)))
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="black" fill-opacity="0.45"/><text x="${pad}" y="${Math.round(h / 2 + size * 0.36)}" font-family="DejaVu Sans Mono, monospace" font-size="${size}" fill="#fff">${text}</text></svg>`,
  )
}

export function createUploadsService(db: Db, storage: Storage) {
  return {
    /** Checks the bytes, re-encodes (drops EXIF/GPS), makes a thumbnail, stores both, then records them. */
    async save(ownerId: number, purpose: 'report' | 'rectify' | 'travel_card', input: Buffer) {
      // Photos nobody attaches are pruned after a day; until then one account cannot pile them up.
      const [{ n }] = (await db.execute(sql`
        SELECT count(*)::int AS n FROM uploads u
        WHERE u.owner_id = ${ownerId} AND NOT EXISTS (SELECT 1 FROM complaint_photos p WHERE p.upload_id = u.id)
          AND NOT EXISTS (SELECT 1 FROM returnee_trips t WHERE t.travel_card_upload_id = u.id)
          AND NOT EXISTS (SELECT 1 FROM redblack_evidence ev WHERE ev.photo_ids ? u.id::text)`)).rows as [{ n: number }]
      if (n >= MAX_UNATTACHED_UPLOADS) throw new AppError('RATE_LIMITED', `已上传但未提交的照片已有 ${n} 张，请先提交反映或整改，或明天再试`)
      const type = await fileTypeFromBuffer(input)
      if (!type || !ACCEPTED.has(type.mime)) throw new AppError('UNSUPPORTED_MEDIA', '只能上传 JPG、PNG 或 WebP 格式的照片')
      let main: { data: Buffer; info: sharp.OutputInfo }
      let thumb: Buffer
      try {
        const now = new Date()
        let img = sharp(input, { failOn: 'error', limitInputPixels: 80_000_000 }).rotate().resize(LONG_EDGE, LONG_EDGE, { fit: 'inside', withoutEnlargement: true })
        if (purpose === 'rectify') {
          const resized = await img.toBuffer({ resolveWithObject: true })
          img = sharp(resized.data).composite([{ input: timeStamp(now, resized.info.width, resized.info.height), gravity: 'southeast' }])
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
