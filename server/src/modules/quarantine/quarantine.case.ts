import { sql } from 'drizzle-orm'
import {
  DEFAULT_DAYS,
  NAT_DAYS,
  RELEASE_OVERDUE_WINDOW_HOURS,
  RELEASE_RECENT_SLOTS,
  RELEASE_RULES,
  STATE_LABELS,
  addDays,
  beijingDate,
  followupSlots,
  illegalTransitionMessage,
  isActiveState,
  natDueDates,
  nextState,
  releaseReady,
  type ActiveState,
  type QuarantineAction,
  type QuarantineState,
  type ReleaseCheck,
  type ReleaseFacts,
} from '@cc/shared'
import { slotOverdue } from './quarantine.overdue.js'
import type { DbOrTx, Tx } from '../../db/client.js'
import { AppError, badRequest, conflict, notFound } from '../../errors.js'
import { isUniqueViolation } from '../households/households.people.js'
import { notify } from '../notify/notify.service.js'

export interface CaseRow {
  id: number
  returneeId: number
  communityId: number
  state: QuarantineState
  siteId: number | null
  room: string | null
  startOn: string | null
  endOn: string | null
}

export interface TransitionInput {
  reason: string
  /** Placement: first day (Beijing date, default today) and length (default per measure). */
  startOn?: string
  days?: number
  siteId?: number
  room?: string
  hospital?: string
}

const CASE_COLS = sql`id, returnee_id AS "returneeId", community_id AS "communityId", state, site_id AS "siteId", room, start_on AS "startOn", end_on AS "endOn"`

export async function lockCase(tx: Tx, id: number): Promise<CaseRow> {
  const r = await tx.execute(sql`SELECT ${CASE_COLS} FROM quarantine_cases WHERE id = ${id} FOR UPDATE`)
  const row = r.rows[0] as unknown as CaseRow | undefined
  if (!row) throw notFound('隔离记录')
  return row
}

/** The facts release conditions are judged on, read in one statement. */
export async function releaseFacts(tx: DbOrTx, c: { id: number; endOn: string | null }, now: Date): Promise<ReleaseFacts> {
  const t = now.toISOString()
  // Only the recent slots matter (the last N past ones and those in the overdue window): an old fever, since
  // handled and followed by normal readings, does not block the release.
  const r = await tx.execute(sql`
    SELECT
      (SELECT coalesce(jsonb_agg(jsonb_build_object('dueAt', s.due_at, 'recorded', s.recorded, 'abnormal', s.abnormal) ORDER BY s.due_at DESC), '[]'::jsonb)
       FROM (SELECT due_at, recorded_at IS NOT NULL AS recorded, abnormal, row_number() OVER (ORDER BY due_at DESC) AS rn
             FROM followup_slots WHERE case_id = ${c.id} AND (recorded_at IS NOT NULL OR ${slotOverdue(t, sql`due_at`, sql`recorded_at`)})) s
       WHERE s.rn <= ${RELEASE_RECENT_SLOTS} OR s.due_at > ${t}::timestamptz - make_interval(hours => ${RELEASE_OVERDUE_WINDOW_HOURS})) AS slots,
      (SELECT count(*) FROM quarantine_alerts WHERE case_id = ${c.id} AND handled_at IS NULL)::int AS alerts,
      (SELECT result FROM nat_tests WHERE case_id = ${c.id} AND result IS NOT NULL ORDER BY due_on DESC, id DESC LIMIT 1) AS nat`)
  const f = r.rows[0] as { slots: { dueAt: string; recorded: boolean; abnormal: boolean }[]; alerts: number; nat: 'negative' | 'positive' | null }
  return {
    today: beijingDate(now),
    endDate: c.endOn ?? '9999-12-31',
    now: t,
    slots: f.slots.map((s) => ({ ...s, dueAt: new Date(s.dueAt).toISOString() })),
    openAlerts: f.alerts,
    lastNatResult: f.nat,
  }
}

export async function releaseCheckOf(tx: DbOrTx, c: CaseRow, now: Date): Promise<ReleaseCheck | null> {
  if (!isActiveState(c.state)) return null
  return releaseReady(RELEASE_RULES[c.state], await releaseFacts(tx, c, now))
}

/** Creates the period's slots and NATs that do not exist yet (placing, extending, escalating). */
async function schedule(tx: Tx, c: { id: number; communityId: number }, measure: ActiveState, startOn: string, endOn: string, from: Date, extraNatOn?: string) {
  const slots = followupSlots(from, endOn)
  if (slots.length)
    await tx.execute(sql`
      INSERT INTO followup_slots (case_id, community_id, slot_date, slot, opens_at, due_at)
      SELECT ${c.id}, ${c.communityId}, d::date, s::followup_slot, o::timestamptz, u::timestamptz
      FROM unnest(${sql.param(slots.map((s) => s.date))}::text[], ${sql.param(slots.map((s) => s.slot))}::text[], ${sql.param(slots.map((s) => s.opensAt.toISOString()))}::text[], ${sql.param(slots.map((s) => s.dueAt.toISOString()))}::text[]) AS x(d, s, o, u)
      ON CONFLICT (case_id, slot_date, slot) DO NOTHING`)
  const nats = natDueDates(startOn, endOn, NAT_DAYS[measure])
  if (extraNatOn) nats.push(extraNatOn)
  if (nats.length)
    await tx.execute(sql`
      INSERT INTO nat_tests (case_id, community_id, due_on) SELECT ${c.id}, ${c.communityId}, d::date FROM unnest(${sql.param(nats)}::text[]) AS x(d)
      ON CONFLICT (case_id, due_on) DO NOTHING`)
}

/** A closed case keeps its history; only what could still fall due is dropped. */
async function dropFuture(tx: Tx, caseId: number, now: Date) {
  await tx.execute(sql`DELETE FROM followup_slots WHERE case_id = ${caseId} AND recorded_at IS NULL AND opens_at > ${now.toISOString()}::timestamptz`)
  await tx.execute(sql`DELETE FROM nat_tests WHERE case_id = ${caseId} AND result IS NULL AND due_on > ${beijingDate(now)}::date`)
}

async function takeBed(tx: Tx, siteId: number | undefined, room: string | undefined) {
  if (!siteId) throw badRequest('集中隔离请选择隔离点')
  const r = await tx.execute(sql`UPDATE quarantine_sites SET occupancy = occupancy + 1, updated_at = now() WHERE id = ${siteId} AND active AND occupancy < capacity RETURNING id`)
  if (r.rows.length === 0) {
    const s = (await tx.execute(sql`SELECT name, active FROM quarantine_sites WHERE id = ${siteId}`)).rows[0] as { name: string; active: boolean } | undefined
    if (!s) throw notFound('隔离点')
    throw conflict(s.active ? `${s.name}已满，请选择其他隔离点` : `${s.name}已停用`)
  }
  return { siteId, room: room?.trim() || null }
}

const freeBed = (tx: Tx, siteId: number) => tx.execute(sql`UPDATE quarantine_sites SET occupancy = occupancy - 1, updated_at = now() WHERE id = ${siteId}`)

/**
 * Applies one move of the state machine to a case, inside the caller's transaction and under the case's
 * row lock: the state, the returnee's mirrored state, the site's occupancy, slots and NATs, and the event.
 */
export async function applyTransition(tx: Tx, actorId: number | null, caseId: number, action: QuarantineAction, input: TransitionInput, now: Date) {
  const c = await lockCase(tx, caseId)
  const to = nextState(c.state, action)
  if (!to) throw conflict(illegalTransitionMessage(c.state, action))
  const today = beijingDate(now)
  let { startOn, endOn, siteId, room } = c
  const data: Record<string, unknown> = {}

  if (c.state === 'registered' && isActiveState(to)) {
    startOn = input.startOn ?? today
    if (startOn > today) throw badRequest('开始日期不能晚于今天')
    if (startOn < addDays(today, -30)) throw badRequest('开始日期不能早于30天前')
    endOn = addDays(startOn, (input.days ?? DEFAULT_DAYS[to]) - 1)
    if (endOn < today) throw badRequest('按此开始日期和天数，隔离期已经结束，请调整')
  } else if (action === 'extend') {
    if (!input.days) throw badRequest('请填写延长天数')
    endOn = addDays(endOn!, input.days)
    data.days = input.days
  } else if (isActiveState(c.state) && isActiveState(to) && input.days) {
    // Escalating (e.g. health monitoring → home quarantine) may restart the clock from today.
    const restart = addDays(today, input.days - 1)
    if (restart > endOn!) endOn = restart
  }

  if (c.state === 'centralised' && to !== 'centralised' && siteId) {
    await freeBed(tx, siteId)
    siteId = null
    room = null
  }
  if (to === 'centralised' && c.state !== 'centralised') ({ siteId, room } = await takeBed(tx, input.siteId, input.room))
  if (to !== 'centralised') room = null

  const closing = !isActiveState(to) && to !== 'registered'
  try {
    await tx.execute(sql`
      UPDATE quarantine_cases SET state = ${to}, site_id = ${siteId}, room = ${room}, start_on = ${startOn}, end_on = ${endOn},
        started_at = coalesce(started_at, ${isActiveState(to) ? now.toISOString() : null}::timestamptz),
        closed_at = ${closing ? now.toISOString() : null}::timestamptz, release_proposed_at = NULL, updated_at = now()
      WHERE id = ${c.id}`)
  } catch (e) {
    if (isUniqueViolation(e, 'quarantine_cases_site_room_uq')) throw conflict(`房间 ${room} 已有人入住，请换一个房间`)
    throw e
  }
  if (isActiveState(to)) await schedule(tx, c, to, startOn!, endOn!, now, action === 'extend' ? addDays(endOn!, -1) : undefined)
  if (closing) await dropFuture(tx, c.id, now)
  if (input.hospital) data.hospital = input.hospital
  if (siteId) Object.assign(data, { siteId, room })
  await tx.execute(sql`UPDATE returnees SET state = ${to}, updated_at = now() WHERE id = ${c.returneeId}`)
  await tx.execute(sql`
    INSERT INTO quarantine_events (case_id, community_id, actor_id, action, from_state, to_state, reason, data, at)
    VALUES (${c.id}, ${c.communityId}, ${actorId}, ${action}, ${c.state}, ${to}, ${input.reason}, ${JSON.stringify({ ...data, startOn, endOn })}::jsonb, ${now.toISOString()}::timestamptz)`)
  if (action === 'release' || (c.state === 'registered' && to !== 'registered')) {
    const owners = (await tx.execute(sql`SELECT owner_ids AS "ownerIds", name_masked AS n FROM returnees WHERE id = ${c.returneeId}`)).rows[0] as { ownerIds: number[]; n: string }
    const body = action === 'release' ? `${owners.n}已于${today}解除${STATE_LABELS[c.state]}，可正常出行。` : `${owners.n}：${STATE_LABELS[to]}${endOn ? `，至${endOn}` : ''}。请每天上午、下午各报一次体温。`
    await notify(tx, owners.ownerIds, { title: action === 'release' ? '解除隔离通知' : '管控措施通知', body, page: `/r/return/${c.returneeId}` })
  }
  return { id: c.id, from: c.state, to }
}

/** Release only when the conditions hold: the worker confirms what the system proposes, never skips it. */
export async function assertReleasable(tx: Tx, caseId: number, now: Date) {
  const c = await lockCase(tx, caseId)
  const check = await releaseCheckOf(tx, c, now)
  if (check && !check.ready) throw new AppError('CONFLICT', `尚不能解除：${check.unmet.map((u) => u.text).join('、')}`, { unmet: check.unmet })
}
