/** 23:59:59 Asia/Shanghai (UTC+8, no DST) of the day `days` after `now`: "次日公布整改情况". */
export function endOfDayShanghai(now: Date, days: number): Date {
  const shifted = new Date(now.getTime() + 8 * 3600_000)
  const end = Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate() + days, 23, 59, 59)
  return new Date(end - 8 * 3600_000)
}

/** The moment 75 % of a clock has run. */
export function reminderAt(start: Date, due: Date): Date {
  return new Date(start.getTime() + (due.getTime() - start.getTime()) * 0.75)
}
