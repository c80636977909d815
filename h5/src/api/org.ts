import type { MarketKind, OrgKind } from '@cc/shared'
import { api } from './client'

export interface Place {
  id: number
  parentId: number | null
  kind: OrgKind
  name: string
}
export interface MarketHit extends Place {
  marketKind: MarketKind | null
  communityName: string
}

let placesCache: Promise<{ items: Place[] }> | null = null

export const orgApi = {
  /** Street → community → grid → compound; cached for the page's life (it is public and changes rarely). */
  places: () => {
    placesCache ??= api<{ items: Place[] }>('/org/places', { auth: false }).catch((e) => {
      placesCache = null
      throw e
    })
    return placesCache
  },
  markets: (q: string, signal?: AbortSignal) => api<{ items: MarketHit[] }>('/org/markets', { query: { q }, auth: false, signal }),
}
