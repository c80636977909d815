import { sql } from 'drizzle-orm'
import { RELEASE_RULES, beijingDate, releaseReady, type ActiveState } from '@cc/shared'
import type { Db } from '../db/client.js'
import { releaseFacts } from '../modules/quarantine/quarantine.case.js'
import { slotOverdue } from '../modules/quarantine/quarantine.overdue.js'
import { notify, staffOf } from '../modules/notify/notify.service.js'

/**
 * A follow-up slot not filled by its deadline becomes an explicit overdue item — flagged, never dropped or
 * moved. `now` is a parameter so tests (and a catch-up run after downtime) can move the clock.
 */
export async function markOverdueFollowups(db: Db, now = new Date()): Promise<{ marked: number }> {
  const r = await db.execute(sql`
    UPDATE followup_slots SET overdue = true, overdue_at = ${now.toISOString()}::timestamptz
    WHERE NOT overdue AND ${slotOverdue(now.toISOString())}`)
  return { marked: r.rowCount ?? 0 }
}

/**
 * Proposes releases: cases at or past their end date whose conditions (as data, in @cc/shared) hold get
 * `release_proposed_at` and a message to the community; a case whose conditions stopped holding loses it.
 * The worker still confirms each release.
 */
export async function proposeReleases(db: Db, now = new Date()): Promise<{ proposed: number; withdrawn: number }> {
  const today = beijingDate(now)
  const r = await db.execute(sql`
    SELECT id, state, end_on AS "endOn", community_id AS "communityId", release_proposed_at IS NOT NULL AS proposed
    FROM quarantine_cases WHERE state IN ('home','centralised','monitoring') AND end_on <= ${today}::date`)
  const propose: number[] = []
  const withdraw: number[] = []
  const byCommunity = new Map<number, number>()
  for (const c of r.rows as { id: number; state: ActiveState; endOn: string; communityId: number; proposed: boolean }[]) {
    const ready = releaseReady(RELEASE_RULES[c.state], await releaseFacts(db, c, now)).ready
    if (ready && !c.proposed) {
      propose.push(c.id)
      byCommunity.set(c.communityId, (byCommunity.get(c.communityId) ?? 0) + 1)
    } else if (!ready && c.proposed) withdraw.push(c.id)
  }
  await db.transaction(async (tx) => {
    if (propose.length) await tx.execute(sql`UPDATE quarantine_cases SET release_proposed_at = ${now.toISOString()}::timestamptz WHERE id = ANY(${sql.param(propose)}::int[])`)
    if (withdraw.length) await tx.execute(sql`UPDATE quarantine_cases SET release_proposed_at = NULL WHERE id = ANY(${sql.param(withdraw)}::int[])`)
    for (const [communityId, n] of byCommunity)
      await notify(tx, await staffOf(tx, communityId), { title: '可解除隔离', body: `${n} 人已满足解除条件，请在今日待办中确认解除`, page: '/c' })
  })
  return { proposed: propose.length, withdrawn: withdraw.length }
}
