import { defineStore } from 'pinia'
import { computed, reactive, watchEffect } from 'vue'
import { loadElderPrefs, saveElderPrefs, type ElderSize } from '../composables/elderPrefs'
import { useSession } from './session'

/**
 * 长辈版 as one switch for the whole app: a class on <html> (`cc-elder`) and the chosen text size in
 * `--cc-elder-fs`; h5/src/styles/elder.css turns those into Vant's and our sizes, so no page has its own
 * elder variant. Gatekeepers get it always — they read the screen at arm's length at the gate.
 */
export const useElder = defineStore('elder', () => {
  const prefs = reactive(loadElderPrefs())
  const session = useSession()
  const forced = computed(() => session.role === 'gatekeeper')
  const active = computed(() => prefs.on || forced.value)

  watchEffect(() => saveElderPrefs({ ...prefs }))
  watchEffect(() => {
    if (typeof document === 'undefined') return
    const html = document.documentElement
    html.classList.toggle('cc-elder', active.value)
    html.classList.toggle('cc-elder-xl', active.value && prefs.size >= 26)
    if (active.value) html.style.setProperty('--cc-elder-fs', `${prefs.size}px`)
    else html.style.removeProperty('--cc-elder-fs')
  })

  return {
    on: computed(() => prefs.on),
    size: computed(() => prefs.size),
    sound: computed(() => prefs.sound),
    offered: computed(() => prefs.offered),
    forced,
    active,
    setOn(on: boolean) {
      prefs.on = on
      prefs.offered = true
    },
    setSize(size: ElderSize) {
      prefs.size = size
    },
    setSound(on: boolean) {
      prefs.sound = on
    },
    dismissOffer() {
      prefs.offered = true
    },
  }
})
