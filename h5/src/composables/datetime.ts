/** Time helpers for clocks and lists; pure except `useNow`. */
import { onBeforeUnmount, ref } from 'vue'

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * Deadlines are Chongchuan's wall clock whatever the phone is set to: shift to UTC+8 (China has no DST)
 * and read the UTC fields.
 */
const CST_MS = 8 * 3600_000
function cst(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const t = new Date(iso).getTime()
  return Number.isNaN(t) ? null : new Date(t + CST_MS)
}

/** "2022-02-14 09:05", Beijing time. */
export function formatDateTime(iso: string | null | undefined): string {
  const d = cst(iso)
  if (!d) return '—'
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

export function formatShort(iso: string | null | undefined): string {
  const d = cst(iso)
  if (!d) return '—'
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

/** "剩 3小时20分" / "已超期 1天2小时" for a deadline. */
export function formatRemaining(ms: number): string {
  const abs = Math.abs(ms)
  const m = Math.floor(abs / 60000)
  const days = Math.floor(m / 1440)
  const hours = Math.floor((m % 1440) / 60)
  const mins = m % 60
  const text = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时${mins}分` : `${mins}分钟`
  return ms >= 0 ? `剩 ${text}` : `已超期 ${text}`
}

/** 23:59 Beijing time of the day `days` after `from` — the default rectification deadline (次日). */
export function endOfDayAfter(from: Date, days: number): Date {
  const d = new Date(from.getTime() + CST_MS)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days, 23, 59, 0) - CST_MS)
}

/** A reactive "now" that ticks, for countdowns. */
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now())
  const t = setInterval(() => (now.value = Date.now()), intervalMs)
  onBeforeUnmount(() => clearInterval(t))
  return now
}
