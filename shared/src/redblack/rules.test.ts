import { describe, expect, it } from 'vitest'
import { DEFAULT_RB_RULES, evaluateRedBlack, type RbHistoryItem, type RbList } from './rules.js'

const day = (d: number) => new Date(Date.UTC(2020, 1, 1) + d * 86_400_000).toISOString()
const h = (...xs: [RbList, number][]): RbHistoryItem[] => xs.map(([list, d], i) => ({ list, at: day(d), number: i + 1 }))
const codes = (xs: RbHistoryItem[], kind: Parameters<typeof evaluateRedBlack>[1] = 'property_project', rules = DEFAULT_RB_RULES) =>
  evaluateRedBlack(xs, kind, rules).map((f) => f.code)

describe('evaluateRedBlack (红黑榜规则)', () => {
  it('flags black twice within the window as 二次上榜 with the sanction for the kind', () => {
    const flags = evaluateRedBlack(h(['black', 0], ['black', 10]), 'property_project', DEFAULT_RB_RULES)
    expect(flags).toHaveLength(1)
    expect(flags[0]).toMatchObject({ code: 'second_black', label: '二次上榜', periodNumbers: [1, 2] })
    expect(flags[0]!.recommendation).toContain('取消其项目经理从业资格')
    expect(evaluateRedBlack(h(['black', 0], ['black', 10]), 'property_company', DEFAULT_RB_RULES)[0]!.recommendation).toContain('两年内不得承接')
  })

  it('does not flag black twice further apart than the window', () => {
    expect(codes(h(['black', 0], ['black', 31]))).toEqual([])
    expect(codes(h(['black', 0], ['black', 30]))).toEqual(['second_black']) // the window is inclusive
    expect(codes(h(['black', 0], ['black', 31]), 'community', { ...DEFAULT_RB_RULES, windowDays: 60 })).toEqual(['second_black'])
  })

  it('judges 二次上榜 by the latest black listing, not by an old pair', () => {
    // Black twice in February, then again in June: the June listing has no black within 30 days before it.
    expect(codes(h(['black', 0], ['black', 5], ['black', 130]))).toEqual([])
    expect(codes(h(['black', 0], ['black', 5], ['black', 130], ['black', 140]))).toEqual(['second_black'])
  })

  it('recommends an entity listed red twice with no black in between', () => {
    const flags = evaluateRedBlack(h(['red', 0], ['red', 3]), 'property_project', DEFAULT_RB_RULES)
    expect(flags).toEqual([expect.objectContaining({ code: 'award', label: '推荐表彰', periodNumbers: [1, 2] })])
    expect(flags[0]!.recommendation).toContain('优秀物管项目')
  })

  it('does not recommend red twice with a black in between, nor after a later black', () => {
    expect(codes(h(['red', 0], ['black', 2], ['red', 4]))).toEqual([])
    expect(codes(h(['red', 0], ['red', 2], ['black', 4]))).toEqual([])
    expect(codes(h(['black', 0], ['red', 2], ['red', 4]))).toEqual(['award'])
  })

  it('can carry both flags only when reds follow a second black', () => {
    expect(codes(h(['black', 0], ['black', 2], ['red', 4], ['red', 6]))).toEqual(['second_black', 'award'])
  })

  it('sorts by time, ignores listings after asOf and keeps a draft (number null) last among equal times', () => {
    const xs: RbHistoryItem[] = [
      { list: 'black', at: day(10), number: null },
      { list: 'black', at: day(0), number: 1 },
    ]
    expect(evaluateRedBlack(xs, 'enterprise', DEFAULT_RB_RULES)[0]!.periodNumbers).toEqual([1, null])
    expect(evaluateRedBlack(xs, 'enterprise', DEFAULT_RB_RULES, day(5))).toEqual([])
  })

  it('gives nothing for an empty history, a single listing, or one red under a two-red rule', () => {
    expect(codes([])).toEqual([])
    expect(codes(h(['black', 0]))).toEqual([])
    expect(codes(h(['red', 0]))).toEqual([])
    expect(codes(h(['red', 0]), 'community', { ...DEFAULT_RB_RULES, awardMinReds: 1 })).toEqual(['award'])
  })
})
