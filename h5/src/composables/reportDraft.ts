import type { PickedPlace } from '../components/org/placeTree'
import type { MarketHit } from '../api/org'

/** An uploaded photo as the draft remembers it: enough to show it again and to submit its id. */
export interface DraftPhoto {
  id: string
  url: string
  thumbUrl: string
}

export interface ReportDraft {
  v: 1
  savedAt: number
  categoryId: number | null
  placeMode: 'place' | 'market' | 'address'
  place: PickedPlace | null
  market: MarketHit | null
  address: string
  description: string
  anonymous: boolean
  photos: DraftPhoto[]
  /** The form's Idempotency-Key: a submit retried after a reload is still the same report. */
  idempotencyKey: string
}

const DAY = 86400_000
/** Text is kept a week; photos a day, since unattached uploads are cleaned up on the server. */
const KEEP_MS = 7 * DAY
const KEEP_PHOTOS_MS = DAY

/**
 * One draft per signed-in user on this device (a shared phone must not show one person's draft to another),
 * and one for a visitor who has not signed in yet: it becomes theirs when they sign in to submit it.
 */
export type DraftOwner = number | 'guest'
export const draftKey = (userId: DraftOwner) => `cc:report-draft:${userId}`

export function isBlank(d: Pick<ReportDraft, 'categoryId' | 'place' | 'market' | 'address' | 'description' | 'photos'>): boolean {
  return !d.categoryId && !d.place && !d.market && !d.address.trim() && !d.description.trim() && d.photos.length === 0
}

export function loadDraft(userId: DraftOwner | undefined, store: Pick<Storage, 'getItem' | 'removeItem'> = localStorage, now = Date.now()): ReportDraft | null {
  if (!userId) return null
  try {
    const raw = store.getItem(draftKey(userId))
    if (!raw) return null
    const d = JSON.parse(raw) as ReportDraft
    if (d?.v !== 1 || typeof d.savedAt !== 'number' || now - d.savedAt > KEEP_MS) {
      store.removeItem(draftKey(userId))
      return null
    }
    return { ...d, photos: now - d.savedAt > KEEP_PHOTOS_MS ? [] : (d.photos ?? []) }
  } catch {
    return null // private mode, quota, or a hand-edited value: start empty
  }
}

export function saveDraft(userId: DraftOwner | undefined, d: Omit<ReportDraft, 'v' | 'savedAt'>, store: Pick<Storage, 'setItem' | 'removeItem'> = localStorage, now = Date.now()) {
  if (!userId) return
  try {
    if (isBlank(d)) store.removeItem(draftKey(userId))
    else store.setItem(draftKey(userId), JSON.stringify({ ...d, v: 1, savedAt: now }))
  } catch {
    // Storage full or disabled: the leave confirmation still protects the form.
  }
}

export function clearDraft(userId: DraftOwner | undefined, store: Pick<Storage, 'removeItem'> = localStorage) {
  if (!userId) return
  try {
    store.removeItem(draftKey(userId))
  } catch {
    /* nothing to clear */
  }
}

/**
 * The visitor's draft, handed to the account they just signed in with (only on the way back from the login
 * that submit asked for): moved, not copied, so the next visitor on this phone starts empty.
 */
export function adoptGuestDraft(userId: number, store: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = localStorage, now = Date.now()): ReportDraft | null {
  const d = loadDraft('guest', store, now)
  if (!d) return null
  clearDraft('guest', store)
  saveDraft(userId, d, store, now)
  return d
}
