import { describe, expect, it } from 'vitest'
import { idBirthDate, idCheckChar, idNumberError, isValidIdNumber, normaliseIdNumber } from './idcard.js'
import { maskIdNumber, maskName } from '../privacy.js'

/** The public sample of GB 11643 (北京市朝阳区, 1949-12-31, check character X). */
const SAMPLE = '11010519491231002X'
const TODAY = new Date('2026-11-24T00:00:00Z')

/** The check character by hand from the standard's definition: weight 2^(17-i) mod 11, then (12 - sum mod 11) mod 11. */
function checkByDefinition(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11)
  const c = (12 - (sum % 11)) % 11
  return c === 10 ? 'X' : String(c)
}
const withCheck = (first17: string) => first17 + checkByDefinition(first17)

describe('ID numbers (GB 11643)', () => {
  it('the public sample is valid and its check character is X by the standard’s definition', () => {
    expect(checkByDefinition(SAMPLE.slice(0, 17))).toBe('X')
    expect(idCheckChar(SAMPLE.slice(0, 17))).toBe('X')
    expect(isValidIdNumber(SAMPLE, TODAY)).toBe(true)
    expect(idNumberError(SAMPLE, TODAY)).toBeNull()
  })

  it('agrees with the standard’s definition on many constructed numbers', () => {
    for (let seq = 0; seq < 1000; seq += 7) {
      const first17 = `320602198${seq % 10}0${(seq % 9) + 1}1${seq % 10}${String(seq).padStart(3, '0')}`
      expect(idCheckChar(first17)).toBe(checkByDefinition(first17))
      expect(isValidIdNumber(withCheck(first17), TODAY)).toBe(true)
    }
  })

  it('normalises what people type: spaces, lower-case x, full-width digits', () => {
    expect(normaliseIdNumber(' 110105 19491231 002x ')).toBe(SAMPLE)
    expect(normaliseIdNumber('１１０１０５１９４９１２３１００２Ｘ')).toBe(SAMPLE)
    expect(isValidIdNumber('11010519491231002x', TODAY)).toBe(true)
    expect(isValidIdNumber('１１０１０５１９４９１２３１００２ｘ', TODAY)).toBe(true)
  })

  it('catches every single wrong digit of a valid number', () => {
    const id = withCheck('32060219800101123')
    expect(isValidIdNumber(id, TODAY)).toBe(true)
    let caught = 0
    let tried = 0
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === id[i]) continue
        tried++
        if (!isValidIdNumber(id.slice(0, i) + d + id.slice(i + 1), TODAY)) caught++
      }
    }
    expect(caught).toBe(tried)
  })

  const bad: [string, string, string][] = [
    ['empty', '  ', '请填写身份证号'],
    ['too short', '11010519491231', '身份证号应为18位（当前14位）'],
    ['15-digit old number', '110105491231002', '身份证号应为18位（当前15位）'],
    ['letters inside', '1101051949123100AX', '身份证号只能包含数字，最后一位可以是X'],
    ['X not last', '11010519491231X020', '身份证号只能包含数字，最后一位可以是X'],
    ['region starting with 0', withCheck('01010519491231002'), '身份证号的地区码不正确'],
    ['February 30', withCheck('32060219800230123'), '身份证号中的出生日期无效'],
    ['month 13', withCheck('32060219801301123'), '身份证号中的出生日期无效'],
    ['29 Feb of a non-leap year', withCheck('32060219010229123'), '身份证号中的出生日期无效'],
    ['born in 1899', withCheck('32060218991231123'), '身份证号中的出生日期无效'],
    ['born tomorrow', withCheck('32060220261125123'), '身份证号中的出生日期无效'],
    ['wrong check digit', '110105194912310021', '身份证号校验位不正确，请核对'],
  ]
  it.each(bad)('%s → %s', (_name, input, message) => {
    expect(idNumberError(input, TODAY)).toBe(message)
    expect(isValidIdNumber(input, TODAY)).toBe(false)
  })

  it('29 Feb of a leap year and today are valid birth dates', () => {
    expect(isValidIdNumber(withCheck('32060220000229123'), TODAY)).toBe(true)
    expect(idBirthDate(withCheck('32060220261124123'), TODAY)).toEqual({ year: 2026, month: 11, day: 24 })
  })

  it('masking for display reuses privacy.ts', () => {
    expect(maskIdNumber(SAMPLE)).toBe('110105********002X')
    expect(maskName('王小明')).toBe('王**')
  })
})
