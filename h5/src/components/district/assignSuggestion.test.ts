import { describe, expect, it } from 'vitest'
import type { Place } from '../../api/org'
import { suggestUnit } from './assignSuggestion'

const places: Place[] = [
  { id: 3, parentId: 1, kind: 'street', name: '任港街道' },
  { id: 80, parentId: 3, kind: 'community', name: '大庆社区' },
  { id: 81, parentId: 80, kind: 'grid', name: '第一网格' },
  { id: 87, parentId: 81, kind: 'compound', name: '任港路新村' },
]

describe('assign pre-fill', () => {
  it('goes from a compound up through its grid to the community', () => {
    expect(suggestUnit(87, '任港路新村', places)).toEqual({ id: 80, kind: 'community', name: '大庆社区', label: '任港街道 / 大庆社区' })
  })
  it('keeps a community as it is', () => {
    expect(suggestUnit(80, '大庆社区', places)?.id).toBe(80)
  })
  it('treats a place outside the street tree as the market entity itself', () => {
    expect(suggestUnit(500, '文峰大世界', places)).toEqual({ id: 500, kind: 'market', name: '文峰大世界', label: '文峰大世界' })
  })
  it('suggests nothing for a typed address', () => {
    expect(suggestUnit(null, '工农路88号', places)).toBeNull()
  })
})
