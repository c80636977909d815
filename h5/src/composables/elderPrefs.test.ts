import { describe, expect, it } from 'vitest'
import { loadElderPrefs, saveElderPrefs, takeElderLink } from './elderPrefs'

function memory() {
  const m = new Map<string, string>()
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) }
}

describe('elder mode preferences', () => {
  it('default off at 18 px, sound on, not yet offered; junk in storage falls back to defaults', () => {
    const s = memory()
    expect(loadElderPrefs(s)).toEqual({ on: false, size: 18, sound: true, offered: false })
    s.setItem('cc.elder', '{"on":true,"size":99}')
    expect(loadElderPrefs(s)).toMatchObject({ on: true, size: 18 })
    s.setItem('cc.elder', 'not json')
    expect(loadElderPrefs(s).on).toBe(false)
  })

  it('remembers what was saved', () => {
    const s = memory()
    saveElderPrefs({ on: true, size: 30, sound: false, offered: true }, s)
    expect(loadElderPrefs(s)).toEqual({ on: true, size: 30, sound: false, offered: true })
  })

  it('an elder=1 link before the hash turns it on and is taken out of the URL', () => {
    const s = memory()
    expect(takeElderLink('https://cc.example/?elder=1#/r', s)).toBe('https://cc.example/#/r')
    expect(loadElderPrefs(s)).toMatchObject({ on: true, offered: true })
  })

  it('an elder=1 inside the hash route works too and keeps the other parameters', () => {
    const s = memory()
    expect(takeElderLink('https://cc.example/#/r?elder=1&x=2', s)).toBe('https://cc.example/#/r?x=2')
    expect(loadElderPrefs(s).on).toBe(true)
    expect(takeElderLink('https://cc.example/#/r?elder=0', s)).toBe('https://cc.example/#/r')
    expect(loadElderPrefs(s).on).toBe(false)
  })

  it('leaves a URL without the parameter alone', () => {
    const s = memory()
    expect(takeElderLink('https://cc.example/?from=wx#/r?a=1', s)).toBeNull()
    expect(loadElderPrefs(s).on).toBe(false)
  })
})
