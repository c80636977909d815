import { computed, ref, shallowRef } from 'vue'
import { gateApi, type Gate, type GateCounts } from '../api/gate'
import { downloadPack, loadPack, packStale } from './pack'
import { queueLength, refreshQueueLength, syncQueue, refusedCount } from './queue'
import type { PackRecord } from './db'
import { refreshVisitorQueueLength, syncVisitors, visitorQueueLength } from './visitors'

const GATE_KEY = 'cc.gate'
/** A pack is fetched again this often while online: the deny list follows suspensions within minutes. */
const PACK_REFRESH_MS = 3 * 60_000
/** Queued checks are retried this often too (the 'online' event alone is not reliable on phones). */
const SYNC_RETRY_MS = 20_000

function remembered(): number | null {
  try {
    const v = Number(localStorage.getItem(GATE_KEY))
    return Number.isInteger(v) && v > 0 ? v : null
  } catch {
    return null
  }
}

// One station per tab, shared by the gate page and the visitors page.
const gateId = ref<number | null>(remembered())
const gates = ref<Gate[] | null>(null)
const pack = shallowRef<PackRecord | null>(null)
const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine)
const packError = ref<string | null>(null)
const counts = ref<GateCounts | null>(null)
const now = ref(Date.now())
let users = 0
let timers: ReturnType<typeof setInterval>[] = []

async function refreshPack() {
  if (!gateId.value) return
  try {
    pack.value = await downloadPack(gateId.value)
    packError.value = null
  } catch (e) {
    packError.value = (e as Error).message
  }
}

async function refreshCounts() {
  if (!gateId.value || !online.value) return
  counts.value = await gateApi.counts(gateId.value).catch(() => counts.value)
}

async function sync() {
  if (!navigator.onLine) return
  const v = await syncVisitors().catch(() => 0)
  const n = await syncQueue().catch(() => 0)
  if (n || v) void refreshCounts()
}

function onOnline() {
  online.value = true
  void sync()
  void refreshPack()
  void refreshCounts()
}
function onOffline() {
  online.value = false
}

/** Picks the gate on duty (remembered on this phone) and loads its pack: the cached one first, then fresh. */
async function chooseGate(id: number | null) {
  gateId.value = id
  pack.value = null
  counts.value = null
  try {
    if (id) localStorage.setItem(GATE_KEY, String(id))
    else localStorage.removeItem(GATE_KEY)
  } catch {
    /* storage blocked: the choice lasts this visit */
  }
  if (!id) return
  pack.value = await loadPack(id).catch(() => null)
  if (navigator.onLine || !pack.value) await refreshPack()
  void refreshCounts()
}

async function loadGates() {
  try {
    gates.value = (await gateApi.gates()).items
  } catch (e) {
    if (!gates.value) throw e
  }
}

export function useStation() {
  return {
    gateId,
    gates,
    pack,
    online,
    packError,
    counts,
    queueLength,
    refusedCount,
    visitorQueueLength,
    now,
    stale: computed(() => !!pack.value && packStale(pack.value.pack, now.value)),
    /** Minutes since this phone received the pack. */
    packAgeMin: computed(() => (pack.value ? Math.max(0, Math.floor((now.value - pack.value.fetchedAt) / 60_000)) : null)),
    gate: computed(() => gates.value?.find((g) => g.id === gateId.value) ?? null),
    chooseGate,
    loadGates,
    refreshPack,
    refreshCounts,
    sync,
    /** Call from a page's onMounted; the returned function from onBeforeUnmount. */
    attach() {
      if (users++ === 0) {
        window.addEventListener('online', onOnline)
        window.addEventListener('offline', onOffline)
        online.value = navigator.onLine
        timers = [
          setInterval(() => (now.value = Date.now()), 15_000),
          setInterval(() => navigator.onLine && void refreshPack(), PACK_REFRESH_MS),
          setInterval(() => void sync(), SYNC_RETRY_MS),
          setInterval(() => void refreshCounts(), 60_000),
        ]
        void Promise.all([refreshQueueLength(), refreshVisitorQueueLength()]).then(() => sync())
        if (gateId.value && !pack.value) void chooseGate(gateId.value)
      }
      return () => {
        if (--users > 0) return
        window.removeEventListener('online', onOnline)
        window.removeEventListener('offline', onOffline)
        for (const t of timers) clearInterval(t)
        timers = []
      }
    },
  }
}
