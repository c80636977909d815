import { describe, expect, it } from 'vitest'
import { cstAsLocal, cstParts, endOfDayAfter, formatDateTime, formatRemaining, fromCstParts } from './datetime'

describe('datetime (Beijing time whatever the phone zone)', () => {
  it('formats an instant on Chongchuan’s wall clock', () => {
    expect(formatDateTime('2026-11-22T19:55:00Z')).toBe('2026-11-23 03:55')
    expect(formatDateTime(null)).toBe('—')
  })
  it('puts the default rectification deadline at 23:59 of the next Beijing day', () => {
    // 03:55 on the 23rd in Beijing → the 24th, 23:59 Beijing = 15:59 UTC.
    expect(endOfDayAfter(new Date('2026-11-22T19:55:00Z'), 1).toISOString()).toBe('2026-11-24T15:59:00.000Z')
  })
  it('splits an instant into Beijing picker columns and back', () => {
    // 23:30 UTC on the 24th is 07:30 on the 25th in Beijing.
    const at = new Date('2026-11-24T23:30:00Z')
    expect(cstParts(at)).toEqual({ date: ['2026', '11', '25'], time: ['07', '30'] })
    expect(fromCstParts(['2026', '11', '25'], ['07', '30']).toISOString()).toBe('2026-11-24T23:30:00.000Z')
    const local = cstAsLocal(at)
    expect([local.getFullYear(), local.getMonth() + 1, local.getDate()]).toEqual([2026, 11, 25])
  })
  it('says how long is left or how long overdue', () => {
    expect(formatRemaining(3 * 3600_000 + 20 * 60_000)).toBe('剩 3小时20分')
    expect(formatRemaining(-(26 * 3600_000))).toBe('已超期 1天2小时')
  })
})
