import { useElder } from '../stores/elder'

interface SpeechApi {
  synth?: Pick<SpeechSynthesis, 'speak' | 'cancel'>
  Utterance?: new (text: string) => SpeechSynthesisUtterance
}

/**
 * Says a short verdict aloud in Mandarin (the gate verdict: the person at the gate may be looking at the
 * queue, not the phone). Returns false when it could not: sound off, or no Web Speech API (some WeChat
 * webviews). A new verdict cuts off the previous one instead of queueing behind it.
 */
export function speakText(text: string, enabled: boolean, api: SpeechApi = browserSpeech()): boolean {
  const { synth, Utterance } = api
  if (!enabled || !text || !synth || !Utterance) return false
  const u = new Utterance(text)
  u.lang = 'zh-CN'
  u.rate = 0.9
  synth.cancel()
  synth.speak(u)
  return true
}

/** speakText bound to the 声音播报 setting in the elder store. */
export function useSpeak() {
  const elder = useElder()
  return (text: string) => speakText(text, elder.sound)
}

function browserSpeech(): SpeechApi {
  const g = globalThis as { speechSynthesis?: SpeechSynthesis; SpeechSynthesisUtterance?: SpeechApi['Utterance'] }
  return { synth: g.speechSynthesis, Utterance: g.SpeechSynthesisUtterance }
}
