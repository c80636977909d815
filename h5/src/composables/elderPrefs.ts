/**
 * 长辈版 (elder mode) preferences, kept on the phone: a community worker sends an elderly resident a link
 * with `elder=1` once, and every later visit opens large. Pure functions over an injected storage so the
 * link handling can run before the router reads the URL, and can be tested without a browser.
 */
export const ELDER_SIZES = [18, 22, 26, 30] as const
export type ElderSize = (typeof ELDER_SIZES)[number]

export interface ElderPrefs {
  on: boolean
  size: ElderSize
  /** Spoken verdicts at the gate. */
  sound: boolean
  /** The resident home offered the mode once; it does not ask again. */
  offered: boolean
}

type Store = Pick<Storage, 'getItem' | 'setItem'>
const KEY = 'cc.elder'
export const ELDER_DEFAULTS: ElderPrefs = { on: false, size: 18, sound: true, offered: false }

export function loadElderPrefs(storage: Store | undefined = safeStorage()): ElderPrefs {
  try {
    const raw = JSON.parse(storage?.getItem(KEY) ?? 'null') as Partial<ElderPrefs> | null
    if (!raw || typeof raw !== 'object') return { ...ELDER_DEFAULTS }
    return {
      on: raw.on === true,
      size: ELDER_SIZES.includes(raw.size as ElderSize) ? (raw.size as ElderSize) : ELDER_DEFAULTS.size,
      sound: raw.sound !== false,
      offered: raw.offered === true,
    }
  } catch {
    return { ...ELDER_DEFAULTS }
  }
}

export function saveElderPrefs(p: ElderPrefs, storage: Store | undefined = safeStorage()) {
  try {
    storage?.setItem(KEY, JSON.stringify(p))
  } catch {
    /* storage full or blocked (private mode): the mode still works for this visit */
  }
}

/**
 * Reads `elder=1` (or `elder=0`) from the query before the hash (`/?elder=1#/r`) or inside it
 * (`/#/r?elder=1`), remembers it, and returns the URL without it — so turning the mode off in 我的 is not
 * undone by the next reload of the same link. Returns null when the URL has no such parameter.
 */
export function takeElderLink(href: string, storage: Store | undefined = safeStorage()): string | null {
  const url = new URL(href)
  const hashAt = url.hash.indexOf('?')
  const hashQuery = new URLSearchParams(hashAt >= 0 ? url.hash.slice(hashAt + 1) : '')
  const value = url.searchParams.get('elder') ?? hashQuery.get('elder')
  if (value === null) return null
  const on = value === '1' || value === 'true'
  // A link is an explicit choice: it counts as the offer, so the home does not ask again.
  saveElderPrefs({ ...loadElderPrefs(storage), on, offered: true }, storage)
  url.searchParams.delete('elder')
  hashQuery.delete('elder')
  if (hashAt >= 0) {
    const rest = hashQuery.toString()
    url.hash = url.hash.slice(0, hashAt) + (rest ? `?${rest}` : '')
  }
  return url.toString()
}

function safeStorage(): Store | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    return undefined
  }
}
