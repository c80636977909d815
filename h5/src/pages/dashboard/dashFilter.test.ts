import { describe, expect, it } from 'vitest'
import { addDays, beijingToday, dayLabel, readFilter } from './dashFilter'
import { readDrill } from './drillQuery'

describe('dashboard filter in the URL', () => {
  it('counts days in Beijing: 20:00 UTC is already the next day', () => {
    expect(beijingToday(Date.parse('2026-11-24T16:00:00Z'))).toBe('2026-11-25')
    expect(beijingToday(Date.parse('2026-11-24T15:59:59Z'))).toBe('2026-11-24')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(dayLabel('2026-03-01')).toBe('3月1日')
  })

  it('defaults to the last 7 days, takes 30 or a custom range, and ignores nonsense', () => {
    expect(readFilter({}, '2026-11-25')).toEqual({ preset: '7', from: '2026-11-19', to: '2026-11-25', orgId: undefined })
    expect(readFilter({ range: '30', org: '12' }, '2026-11-25')).toEqual({ preset: '30', from: '2026-10-27', to: '2026-11-25', orgId: 12 })
    expect(readFilter({ range: 'custom', from: '2026-11-01', to: '2026-11-10' }, '2026-11-25')).toMatchObject({ preset: 'custom', from: '2026-11-01', to: '2026-11-10' })
    expect(readFilter({ range: 'custom', from: '2026-11-10', to: '2026-11-01', org: '-3' }, '2026-11-25')).toEqual({ preset: '7', from: '2026-11-19', to: '2026-11-25', orgId: undefined })
  })

  it('reads a drill-down back: one day wins over the range, an unknown metric is 受理', () => {
    expect(readDrill({ day: '2026-11-20', from: '2026-11-01', to: '2026-11-30', metric: 'signedOnTime', org: '2' })).toMatchObject({ day: '2026-11-20', from: undefined, to: undefined, metric: 'signedOnTime', orgId: 2, when: '11月20日' })
    expect(readDrill({ metric: 'drop table', hour: '25', verdict: 'x' })).toMatchObject({ metric: 'received', hour: undefined, verdict: 'deny' })
    expect(readDrill({ metric: 'overdue' }).when).toBe('此刻')
  })
})
