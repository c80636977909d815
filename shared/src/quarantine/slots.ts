/**
 * Follow-up slots: a morning and an evening one per day per person, in Beijing time (UTC+8, no DST).
 * The server stores instants; everything about "which day" is decided here so a slot near midnight lands
 * on the Beijing date a worker sees, not the UTC one.
 */
import { addDays } from './rules.js'

export const SLOTS = ['am', 'pm'] as const
export type Slot = (typeof SLOTS)[number]
export const SLOT_LABELS: Record<Slot, string> = { am: '上午', pm: '下午' }

/** When each slot opens and must be filled by (Beijing wall time, HH:MM). The evening one ends at midnight. */
export const SLOT_TIMES: Record<Slot, { opens: string; due: string }> = {
  am: { opens: '06:00', due: '12:00' },
  pm: { opens: '14:00', due: '24:00' },
}

export const FEVER_CELSIUS = 37.3
export const SYMPTOMS = ['发热', '咳嗽', '乏力', '咽痛', '腹泻', '嗅觉味觉减退', '呼吸困难'] as const

const BEIJING_MS = 8 * 3600_000

/** The Beijing calendar date of an instant. */
export const beijingDate = (at: Date | number) => new Date((typeof at === 'number' ? at : at.getTime()) + BEIJING_MS).toISOString().slice(0, 10)

/** The instant of a Beijing wall time on a Beijing date ("24:00" = next midnight). */
export function beijingInstant(date: string, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number]
  return new Date(Date.parse(`${date}T00:00:00Z`) - BEIJING_MS + (h * 60 + m) * 60_000)
}

export interface SlotPlan {
  date: string
  slot: Slot
  opensAt: Date
  dueAt: Date
}

/**
 * Slots of a period from `startAt` (the moment someone was placed) to the end date (inclusive). A slot
 * whose deadline has already passed at `startAt` is not created: nobody could have filled it.
 */
export function followupSlots(startAt: Date, endDate: string): SlotPlan[] {
  const out: SlotPlan[] = []
  for (let d = beijingDate(startAt); d <= endDate; d = addDays(d, 1)) {
    for (const slot of SLOTS) {
      const dueAt = beijingInstant(d, SLOT_TIMES[slot].due)
      if (dueAt.getTime() <= startAt.getTime()) continue
      out.push({ date: d, slot, opensAt: beijingInstant(d, SLOT_TIMES[slot].opens), dueAt })
    }
  }
  return out
}

/** The slot an instant falls in for recording (the open one, else the last one before it on that day). */
export function slotAt(at: Date): { date: string; slot: Slot } {
  const date = beijingDate(at)
  const pmOpens = beijingInstant(date, SLOT_TIMES.pm.opens).getTime()
  return { date, slot: at.getTime() >= pmOpens ? 'pm' : 'am' }
}

/** A reading is abnormal at 37.3 °C and above, or with any symptom. */
export const isAbnormal = (temperature: number | null, symptoms: readonly string[]) => (temperature !== null && temperature >= FEVER_CELSIUS) || symptoms.length > 0
