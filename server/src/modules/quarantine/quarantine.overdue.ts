import { sql, type SQL } from 'drizzle-orm'

/**
 * The one definition of an overdue follow-up slot: unfilled and its deadline reached (at the deadline
 * itself it is overdue). The job that sets the `overdue` flag, the today list, the street's summary and the
 * release check all use this predicate, so at any clock they agree on which slots are missed; the flag and
 * overdue_at keep when the job first saw it.
 */
export function slotOverdue(now: string, dueAt: SQL = sql`due_at`, recordedAt: SQL = sql`recorded_at`): SQL {
  return sql`(${recordedAt} IS NULL AND ${dueAt} <= ${now}::timestamptz)`
}

/** Unfilled and still before its deadline: the complement of slotOverdue among unfilled slots. */
export function slotPending(now: string, dueAt: SQL = sql`due_at`, recordedAt: SQL = sql`recorded_at`): SQL {
  return sql`(${recordedAt} IS NULL AND ${dueAt} > ${now}::timestamptz)`
}
