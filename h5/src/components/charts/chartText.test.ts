import { describe, expect, it } from 'vitest'
import { formatValue, isEmptyData, summarize } from './chartText'

describe('chart text', () => {
  it('formats counts with their unit and ratios as percentages, missing values in words', () => {
    expect(formatValue(12, { unit: '件' })).toBe('12件')
    expect(formatValue(0.9856, { percent: true })).toBe('98.6%')
    expect(formatValue(1, { percent: true })).toBe('100%')
    expect(formatValue(null, { unit: '件' })).toBe('无数据')
  })

  it('treats no categories or all-zero / missing values as empty', () => {
    expect(isEmptyData([], [])).toBe(true)
    expect(isEmptyData(['a', 'b'], [{ name: 'x', data: [0, null] }])).toBe(true)
    expect(isEmptyData(['a'], [{ name: 'x', data: [1] }])).toBe(false)
  })

  it('reads every value when there are few, else total, highest, lowest and latest', () => {
    expect(summarize('各类别反映数', ['防疫', '物业'], [{ name: '反映数', data: [3, 5] }], { unit: '件' })).toBe('各类别反映数。防疫 3件，物业 5件。')
    const days = Array.from({ length: 10 }, (_, i) => `11月${i + 1}日`)
    const s = summarize('每日反映数', days, [{ name: '反映数', data: [1, 2, 9, 0, 4, 4, 4, 4, 4, 3] }], { unit: '件' })
    expect(s).toBe('每日反映数。10项，合计 35件，最高 11月3日 9件，最低 11月4日 0件，最近 11月10日 3件。')
    const two = summarize('红黑榜', ['第1期'], [{ name: '红榜', data: [3] }, { name: '黑榜', data: [1] }], { unit: '个' })
    expect(two).toBe('红黑榜。红榜：第1期 3个；黑榜：第1期 1个。')
    expect(summarize('按时率', ['a'], [{ name: 'r', data: [null] }], { percent: true })).toBe('按时率：暂无数据')
  })
})
