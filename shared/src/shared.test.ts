import { describe, expect, it } from 'vitest'
import { COMPLAINT_STATUSES, COMPLAINT_TRANSITIONS, canTransition, maskIdNumber, maskPhone, redactPublicText, residentStepIndex } from './index.js'

describe('complaint state machine', () => {
  it('only moves along the designed edges', () => {
    expect(canTransition('submitted', 'accepted')).toBe(true)
    expect(canTransition('submitted', 'assigned')).toBe(false)
    expect(canTransition('rectified', 'signed')).toBe(true) // returned by the district
    expect(canTransition('published', 'reopened')).toBe(true)
    expect(canTransition('closed', 'reopened')).toBe(false)
  })
  it('names only known states as targets', () => {
    for (const targets of Object.values(COMPLAINT_TRANSITIONS)) for (const t of targets) expect(COMPLAINT_STATUSES).toContain(t)
  })
  it('maps states to resident steps monotonically along the happy path', () => {
    const path = ['submitted', 'accepted', 'assigned', 'signed', 'rectified', 'verified', 'published'] as const
    const idx = path.map(residentStepIndex)
    expect([...idx].sort((a, b) => a - b)).toEqual(idx)
    expect(idx.at(-1)).toBe(5)
  })
})

describe('privacy', () => {
  it('redacts mobile, landline and ID numbers from public text', () => {
    const t = redactPublicText('联系人张三 13912345678，座机0513-85123456，身份证320602198001011234，3号楼')
    expect(t).not.toMatch(/13912345678|85123456|320602198001011234/)
    expect(t).toContain('3号楼')
    expect(t).toContain('[电话已隐去]')
    expect(t).toContain('[身份证号已隐去]')
  })
  it('leaves ordinary numbers alone', () => {
    expect(redactPublicText('10个出入口只有3个有人值守，2020年2月13日')).toBe('10个出入口只有3个有人值守，2020年2月13日')
  })
  it('masks phone and ID numbers', () => {
    expect(maskPhone('13912345678')).toBe('139****5678')
    expect(maskIdNumber('320602198001011234')).toBe('320602********1234')
  })
})
