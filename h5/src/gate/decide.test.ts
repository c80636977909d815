import { describe, expect, it } from 'vitest'
import { DEFAULT_RULES, LINE_PATTERN } from '@cc/shared'
import type { GatePack } from '../api/gate'
import { decide, entrantFromCode, sendableCode } from './decide'

const pack: GatePack = {
  gateId: 1,
  compoundId: 1,
  compoundName: '任港路新村',
  gateName: '东门',
  issuedAt: new Date().toISOString(),
  validUntil: new Date(Date.now() + 3600_000).toISOString(),
  keys: [],
  ruleSet: { ...DEFAULT_RULES, version: 1 },
  deny: { passes: [], devices: [], quarantinedPassIds: [] },
  cards: [],
}
const line = new RegExp(LINE_PATTERN, 'u')
const fine = { direction: 'in' as const, temperature: 36.5, mask: true, color: 'green' as const, natAt: null }

describe('a QR that is not ours (review of the gate loop)', () => {
  // The server takes a scanned text as one line of ≤ 2048 characters; before, a vCard or a long link was
  // sent as it was, answered 400, and the 禁止 never reached the log (or stayed stuck in the offline queue).
  it.each([
    ['a vCard with line breaks', 'BEGIN:VCARD\nVERSION:3.0\nFN:张三\nTEL:13800138000\nEND:VCARD'],
    ['a link longer than 2048 characters', `https://example.com/?q=${'a'.repeat(3000)}`],
    ['a NUL and a tab', 'CC1.\u0000abc\tdef'],
    ['only blanks', ' \n\t '],
  ])('%s: denied on the phone and sent in a shape the server accepts', async (_label, text) => {
    const e = await entrantFromCode(pack, text, Math.floor(Date.now() / 1000))
    expect(e.problem).toBeTruthy()
    expect(e.code!.length).toBeGreaterThan(0)
    expect(e.code!.length).toBeLessThanOrEqual(2048)
    expect(e.code).toMatch(line)
    const { decision } = decide(pack, e, fine, new Date())
    expect(decision.verdict).toBe('deny')
    expect(decision.reasons[0]!.code).toBe('bad_signature')
  })

  it('leaves a well-formed code as it is', () => {
    const code = 'CC1.eyJ2IjoxfQ.c2ln.1700000000.ZGV2'
    expect(sendableCode(code)).toBe(code)
  })
})
