import { computed, onMounted, ref } from 'vue'
import { registerApi, type RegisterBuilding, type RegisterCompound } from '../../api/register'
import { toastError } from '../../composables/feedback'

const KEY = 'cc.register.compound'
const remembered = () => {
  try {
    return Number(localStorage.getItem(KEY)) || null
  } catch {
    return null
  }
}

/**
 * The worker's compounds, and the one being worked on. The choice is remembered across pages and visits:
 * a worker answering calls all day stays in the compound they chose instead of picking it on every page.
 */
export function useCompounds(onReady?: () => void) {
  const compounds = ref<RegisterCompound[]>([])
  const compoundId = ref<number | null>(null)
  const loading = ref(true)
  const failed = ref(false)
  const compound = computed(() => compounds.value.find((c) => c.id === compoundId.value) ?? null)

  async function load() {
    loading.value = true
    failed.value = false
    try {
      compounds.value = (await registerApi.compounds()).items
      const want = remembered()
      compoundId.value = compounds.value.find((c) => c.id === want)?.id ?? compounds.value[0]?.id ?? null
      onReady?.()
    } catch (e) {
      failed.value = true
      toastError(e)
    } finally {
      loading.value = false
    }
  }
  function choose(id: number) {
    compoundId.value = id
    try {
      localStorage.setItem(KEY, String(id))
    } catch {
      /* storage blocked: the choice lasts for this page */
    }
  }
  onMounted(load)
  return { compounds, compoundId, compound, loading, failed, load, choose }
}

/** 3幢 2单元 502室 — a building without units has no 单元 part. */
export function addressOf(h: { buildingName: string; unit: number; room: string }, units = 2) {
  const b = /[幢栋楼号座]$/.test(h.buildingName) ? h.buildingName : `${h.buildingName}幢`
  const r = /[室号]$/.test(h.room) ? h.room : `${h.room}室`
  return units > 1 || h.unit > 1 ? `${b} ${h.unit}单元 ${r}` : `${b} ${r}`
}

/**
 * An address as a caller says it on the phone — "3幢502", "3-502", "3幢2单元502", "3-2-502", "3号楼502室" —
 * read against this compound's buildings. Null when the text is not such an address or names no building
 * here (then it is searched as a name or a room).
 */
export function parseAddress(text: string, buildings: RegisterBuilding[]): { buildingId: number; unit?: number; room: string } | null {
  const m = /^(\d+)\s*(?:幢|栋|号楼|#|-)\s*(?:(\d+)\s*(?:单元|-)\s*)?(\d+)\s*(?:室|号)?$/.exec(text.normalize('NFKC').trim())
  if (!m) return null
  const b = buildings.find((x) => x.name.replace(/(幢|栋|号楼|座|#)+$/, '') === m[1])
  return b ? { buildingId: b.id, ...(m[2] ? { unit: Number(m[2]) } : {}), room: m[3]! } : null
}
