import { describe, expect, it } from 'vitest'
import { REDACTED_ID, REDACTED_NUMBER, REDACTED_PHONE, personalDetailHints, redactFor, redactPublicText, suspectDigitRuns } from './privacy.js'

/** Each way a phone or ID number was written in reports the probe sent, and what public text must show. */
const MUST_GO: [string, string, string][] = [
  ['plain mobile', '电话13912345678请回电', `电话${REDACTED_PHONE}请回电`],
  ['full-width mobile', '电话１３９１２３４５６７８', `电话${REDACTED_PHONE}`],
  ['full-width with leading 0', '电话０１３９１２３４５６７８', `电话${REDACTED_PHONE}`],
  ['+86 prefix', '电话+86 139 1234 5678', `电话${REDACTED_PHONE}`],
  ['full-width +86', '电话＋８６－１３９１２３４５６７８', `电话${REDACTED_PHONE}`],
  ['0086 prefix', '电话008613912345678', `电话${REDACTED_PHONE}`],
  ['86 prefix', '电话86-13912345678', `电话${REDACTED_PHONE}`],
  ['mobile split 4-3-4', '电话1391 111 2222。', `电话${REDACTED_PHONE}。`],
  ['mobile split 3-4-4 with dashes', '电话139-1234-5678', `电话${REDACTED_PHONE}`],
  ['mobile split by zero-width spaces', '电话139\u200b1234\u200b5678', `电话${REDACTED_PHONE}`],
  ['landline in brackets', '座机(0513)12345678', `座机${REDACTED_PHONE}`],
  ['landline in full-width brackets', '座机（０５１３）８５５５１２３４', `座机${REDACTED_PHONE}`],
  ['landline with a space', '座机0513 12345678', `座机${REDACTED_PHONE}`],
  ['landline split 4-4-4', '座机0513-8555 1234', `座机${REDACTED_PHONE}`],
  ['landline with dash', '座机0513-85123456', `座机${REDACTED_PHONE}`],
  ['landline with +86 and no trunk 0', '座机+86 513 8555 1234', `座机${REDACTED_PHONE}`],
  ['bare local number', '家里电话85551234', `家里电话${REDACTED_PHONE}`],
  ['bare local number split', '家里电话8555-1234', `家里电话${REDACTED_PHONE}`],
  ['ID number', '身份证320602198001011234', `身份证${REDACTED_ID}`],
  ['ID number ending in X', '身份证32060219800101123X', `身份证${REDACTED_ID}`],
  ['ID number split by spaces', '身份证320602 19800101 123X，', `身份证${REDACTED_ID}，`],
  ['ID number in full width', '身份证３２０６０２１９８００１０１１２３Ｘ', `身份证${REDACTED_ID}`],
  ['two mobiles in a row', '13912345678 13812345678', REDACTED_PHONE],
  ['mobile glued to letters', 'tel13912345678', `tel${REDACTED_PHONE}`],
]

/** Numbers people write that identify nobody: untouched everywhere. */
const KEEP: [string, string][] = [
  ['small counts and a Chinese date', '10个出入口只有3个有人值守，2020年2月13日'],
  ['ISO date and time', '2020-02-13 10:30 东门无人'],
  ['dotted date', '2020.2.13起整改'],
  ['compact date', '20200213已整改'],
  ['building and room', '3号楼2单元'],
  ['tracking code', '合并至 CC2002133ABCD'],
  ['short hotline', '请拨打12345热线'],
  ['decimal and thousands', '罚款1,000,000元，3.5米'],
]

/** Long numbers that are not recognisably a phone: public text keeps them for the editor to confirm. */
const SUSPECT: [string, string][] = [
  ['400 hotline', '400-123-4567'],
  ['area code plus short hotline', '0513-12345'],
  ['order number', '订单号1234567890123'],
]

describe('privacy', () => {
  describe('redactFor(public)', () => {
    it.each(MUST_GO)('removes a %s', (_name, input, expected) => {
      expect(redactPublicText(input)).toBe(expected)
    })
    it.each(KEEP)('keeps %s', (_name, input) => {
      expect(redactPublicText(input)).toBe(input)
    })
    it.each(SUSPECT)('leaves a %s for the editor and reports it as suspect', (_name, input) => {
      expect(redactPublicText(input)).toBe(input)
      expect(suspectDigitRuns(input).length).toBe(1)
    })
    it('returns the rest of the text as written (full-width punctuation stays)', () => {
      expect(redactPublicText('东门（北侧）无人值守，电话：１３９１２３４５６７８。')).toBe(`东门（北侧）无人值守，电话：${REDACTED_PHONE}。`)
    })
    it('is idempotent', () => {
      for (const [, input] of MUST_GO) expect(redactPublicText(redactPublicText(input))).toBe(redactPublicText(input))
    })
  })

  describe('redactFor(unit) and redactFor(resident)', () => {
    it.each(MUST_GO)('removes a %s', (_name, input, expected) => {
      expect(redactFor('unit', input)).toBe(expected)
      expect(redactFor('resident', input)).toBe(expected)
    })
    it.each(SUSPECT)('removes a %s too: nobody reviews unit text', (_name, input) => {
      expect(redactFor('unit', input)).not.toMatch(/\d{4}/)
      expect(redactFor('unit', input)).toContain(REDACTED_NUMBER)
    })
    it.each(KEEP)('keeps %s', (_name, input) => {
      expect(redactFor('unit', input)).toBe(input)
    })
  })

  describe('suspectDigitRuns', () => {
    it('finds nothing once phones and IDs are redacted', () => {
      for (const [, input] of MUST_GO) expect(suspectDigitRuns(redactPublicText(input))).toEqual([])
    })
    it('finds nothing in ordinary numbers', () => {
      for (const [, input] of KEEP) expect(suspectDigitRuns(input)).toEqual([])
    })
  })

  describe('personalDetailHints', () => {
    it.each([
      ['我是3号楼张三，东门没人查', '我是3号楼张三'],
      ['住在5号楼302室的老人', '5号楼302室'],
      ['我叫李四', '我叫李四'],
      ['本人王五反映', '本人王五反映'],
      ['请联系张先生', '张先生'],
      ['热线400-123-4567', '400-123-4567'],
    ])('flags “%s”', (text, snippet) => {
      const hints = personalDetailHints(text)
      expect(hints.some((h) => h.includes(snippet)), hints.join('; ')).toBe(true)
    })
    it('flags building-unit-room written with dashes, but does not call a hotline a flat', () => {
      expect(personalDetailHints('住3-2-302').join()).toContain('疑似门牌号：“3-2-302”')
      expect(personalDetailHints('热线400-123-4567').join()).not.toContain('门牌号')
    })
    it('says nothing about an ordinary report', () => {
      expect(personalDetailHints('网友反映任港路新村卡口未查验：10个出入口只有3个有人值守')).toEqual([])
    })
  })
})
