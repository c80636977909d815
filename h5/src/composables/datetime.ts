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

/** Beijing wall-clock fields of an instant, as zero-padded strings for Vant's pickers: [y, m, d], [hh, mm]. */
export function cstParts(at: Date): { date: string[]; time: string[] } {
  const d = new Date(at.getTime() + CST_MS)
  return {
    date: [String(d.getUTCFullYear()), pad(d.getUTCMonth() + 1), pad(d.getUTCDate())],
    time: [pad(d.getUTCHours()), pad(d.getUTCMinutes())],
  }
}

/** The instant at a Beijing wall-clock date and time (the inverse of cstParts). */
export function fromCstParts(date: (string | number)[], time: (string | number)[]): Date {
  const [y, m, d] = date.map(Number)
  const [hh, mm] = time.map(Number)
  return new Date(Date.UTC(y!, m! - 1, d!, hh ?? 0, mm ?? 0) - CST_MS)
}

/**
 * Vant's date picker reads min/max with the phone's local getters; a Date whose local fields equal the
 * Beijing wall clock of `at` makes its columns Beijing days whatever the phone zone is.
 */
export function cstAsLocal(at: Date): Date {
  const [y, m, d] = cstParts(at).date.map(Number)
  return new Date(y!, m! - 1, d!)
}

/** A reactive "now" that ticks, for countdowns. */
export function useNow(intervalMs = 1000) {
  const now = ref(Date.now())
  const t = setInterval(() => (now.value = Date.now()), intervalMs)
  onBeforeUnmount(() => clearInterval(t))
  return now
}
