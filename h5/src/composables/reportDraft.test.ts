import { describe, expect, it } from 'vitest'
import { clearDraft, draftKey, loadDraft, saveDraft, type ReportDraft } from './reportDraft'

function memory() {
  const m = new Map<string, string>()
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m }
}
const base: Omit<ReportDraft, 'v' | 'savedAt'> = {
  categoryId: 3,
  placeMode: 'place',
  place: { id: 87, kind: 'compound', label: '任港街道 / 大庆社区 / 任港路新村' },
  market: null,
  address: '',
  description: '东门无人值守',
  anonymous: true,
  photos: [{ id: 'a', url: '/u/a', thumbUrl: '/u/a/t' }],
  idempotencyKey: 'k-1',
}
const T = Date.UTC(2026, 10, 24, 12)

describe('report draft', () => {
  it('comes back for the same user, key and photos included', () => {
    const s = memory()
    saveDraft(7, base, s, T)
    expect(loadDraft(7, s, T + 60_000)).toMatchObject({ ...base, v: 1, savedAt: T })
    expect(loadDraft(8, s, T + 60_000)).toBeNull()
  })
  it('drops photos after a day and the whole draft after a week', () => {
    const s = memory()
    saveDraft(7, base, s, T)
    expect(loadDraft(7, s, T + 2 * 86400_000)!.photos).toEqual([])
    expect(loadDraft(7, s, T + 8 * 86400_000)).toBeNull()
    expect(s.m.has(draftKey(7))).toBe(false)
  })
  it('stores nothing for an empty form and forgets on clear', () => {
    const s = memory()
    saveDraft(7, { ...base, categoryId: null, place: null, description: ' ', photos: [] }, s, T)
    expect(s.m.size).toBe(0)
    saveDraft(7, base, s, T)
    clearDraft(7, s)
    expect(loadDraft(7, s, T)).toBeNull()
  })
  it('ignores a corrupt value', () => {
    const s = memory()
    s.setItem(draftKey(7), '{not json')
    expect(loadDraft(7, s, T)).toBeNull()
  })
})
