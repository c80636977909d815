import { afterEach, describe, expect, it, vi } from 'vitest'
import { speakText } from './speak'

class FakeUtterance {
  lang = ''
  rate = 1
  constructor(public text: string) {}
}

function stubSpeech() {
  const synth = { speak: vi.fn(), cancel: vi.fn() }
  vi.stubGlobal('speechSynthesis', synth)
  vi.stubGlobal('SpeechSynthesisUtterance', FakeUtterance)
  return synth
}

afterEach(() => vi.unstubAllGlobals())

describe('speakText (gate verdict read aloud)', () => {
  it('speaks in zh-CN through the browser speechSynthesis, cutting off the previous verdict', () => {
    const synth = stubSpeech()
    expect(speakText('可以通行', true)).toBe(true)
    expect(synth.cancel).toHaveBeenCalledOnce()
    expect(synth.speak).toHaveBeenCalledOnce()
    const u = synth.speak.mock.calls[0]![0] as FakeUtterance
    expect(u.text).toBe('可以通行')
    expect(u.lang).toBe('zh-CN')
  })

  it('stays silent when sound is off', () => {
    const synth = stubSpeech()
    expect(speakText('禁止通行', false)).toBe(false)
    expect(synth.speak).not.toHaveBeenCalled()
  })

  it('returns false instead of throwing where the webview has no Web Speech API', () => {
    vi.stubGlobal('speechSynthesis', undefined)
    expect(speakText('可以通行', true)).toBe(false)
  })
})
