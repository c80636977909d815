/** Time helpers for clocks and lists; pure except `useNow`. */
import { onBeforeUnmount, ref } from 'vue'

const pad = (n: number) => String(n).padStart(2, '0')

/** "2022-02-14 09:05" in the phone's local time (Asia/Shanghai for our users). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formatShort(iso: string | null | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return '—'
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
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

/** End of the day `days` after `from` (23:59 local) — the default rectification deadline. */
export function endOfDayAfter(from: Date, days: number): Date {
  const d = new Date(from)
  d.setDate(d.getDate() + days)
  d.setHours(23, 59, 0, 0)
  return d
}

/** A reactive "now" that ticks, for countdowns. */
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now())
  const t = setInterval(() => (now.value = Date.now()), intervalMs)
  onBeforeUnmount(() => clearInterval(t))
  return now
}
