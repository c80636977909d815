import { openDB, type IDBPDatabase } from 'idb'
import type { DraftPhoto } from './reportDraft'

/**
 * Photos a visitor picked before signing in: uploads need an account, so they wait on the phone (already
 * compressed) under a local id, in memory and in IndexedDB (a login through WeChat reloads the page), and
 * are uploaded when the report is submitted after the login.
 */
const PREFIX = 'local:'
export const isLocalPhoto = (id: string) => id.startsWith(PREFIX)

const mem = new Map<string, Blob>()
let dbp: Promise<IDBPDatabase> | null = null
const db = () => (dbp ??= openDB('cc-report-photos', 1, { upgrade: (d) => void d.createObjectStore('photos') }))

export async function keepPhoto(blob: Blob): Promise<DraftPhoto> {
  const id = `${PREFIX}${crypto.randomUUID?.() ?? `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`}`
  mem.set(id, blob)
  // Private mode or no IndexedDB: memory still carries it through an in-app login.
  await db()
    .then((d) => d.put('photos', blob, id))
    .catch(() => undefined)
  const url = URL.createObjectURL(blob)
  return { id, url, thumbUrl: url }
}

export async function photoBlob(id: string): Promise<Blob | null> {
  return mem.get(id) ?? ((await db()
    .then((d) => d.get('photos', id))
    .catch(() => null)) as Blob | null) ?? null
}

/** Object URLs for the draft's waiting photos (they do not survive a reload); photos no longer kept are dropped. */
export async function hydratePhotos(photos: DraftPhoto[]): Promise<DraftPhoto[]> {
  const out: DraftPhoto[] = []
  for (const p of photos) {
    if (!isLocalPhoto(p.id)) {
      out.push(p)
      continue
    }
    const blob = await photoBlob(p.id)
    if (!blob) continue
    const url = URL.createObjectURL(blob)
    out.push({ id: p.id, url, thumbUrl: url })
  }
  return out
}

export async function forgetPhotos(ids: string[]) {
  for (const id of ids.filter(isLocalPhoto)) {
    mem.delete(id)
    await db()
      .then((d) => d.delete('photos', id))
      .catch(() => undefined)
  }
}
