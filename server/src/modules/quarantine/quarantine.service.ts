import { sql } from 'drizzle-orm'
import { STATE_LABELS, type QuarantineAction, type QuarantineState } from '@cc/shared'
import type { Db } from '../../db/client.js'
import { notFound } from '../../errors.js'
import { applyTransition, assertReleasable, releaseCheckOf, type CaseRow, type TransitionInput } from './quarantine.case.js'

const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null)

/** Cases: the worker's moves through the state machine, and the case page with its history. */
export function createCases(db: Db, clock: () => Date = () => new Date()) {
  async function detail(id: number) {
    const now = clock()
    const r = await db.execute(sql`
      SELECT qc.id, qc.returnee_id AS "returneeId", qc.community_id AS "communityId", qc.state, qc.site_id AS "siteId", s.name AS "siteName", qc.room,
        qc.start_on AS "startOn", qc.end_on AS "endOn", qc.started_at AS "startedAt", qc.closed_at AS "closedAt", qc.release_proposed_at AS "releaseProposedAt",
        r.name_masked AS "nameMasked", r.id_masked AS "idMasked", r.phone_last4 AS "phoneLast4", r.address, r.no_smartphone AS "noSmartphone", r.elderly,
        '/api/v1/uploads/' || t.travel_card_upload_id || '/full' AS "travelCardUrl", '/api/v1/uploads/' || t.travel_card_upload_id || '/thumb' AS "travelCardThumbUrl"
      FROM quarantine_cases qc JOIN returnees r ON r.id = qc.returnee_id LEFT JOIN quarantine_sites s ON s.id = qc.site_id
        LEFT JOIN returnee_trips t ON t.id = qc.trip_id WHERE qc.id = ${id}`)
    const c = r.rows[0] as Record<string, unknown> | undefined
    if (!c) throw notFound('隔离记录')
    const [events, slots, nats, alerts] = await Promise.all([
      db.execute(sql`SELECT e.id, e.action, e.from_state AS "fromState", e.to_state AS "toState", e.reason, e.data, e.at, u.display_name AS actor
        FROM quarantine_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.case_id = ${id} ORDER BY e.id`),
      db.execute(sql`SELECT id, slot_date AS "slotDate", slot, opens_at AS "opensAt", due_at AS "dueAt", temperature, symptoms, abnormal,
          recorded_at AS "recordedAt", recorder_kind AS "recorderKind", overdue
        FROM followup_slots WHERE case_id = ${id} ORDER BY slot_date, slot`),
      db.execute(sql`SELECT id, due_on AS "dueOn", result, sampled_on AS "sampledOn", recorded_at AS "recordedAt" FROM nat_tests WHERE case_id = ${id} ORDER BY due_on`),
      db.execute(sql`SELECT id, kind, text, created_at AS "createdAt", handled_at AS "handledAt", handled_note AS "handledNote" FROM quarantine_alerts WHERE case_id = ${id} ORDER BY id`),
    ])
    const check = await releaseCheckOf(db, c as unknown as CaseRow, now)
    return {
      ...c,
      stateLabel: STATE_LABELS[c.state as QuarantineState],
      startedAt: iso(c.startedAt),
      closedAt: iso(c.closedAt),
      releaseProposedAt: iso(c.releaseProposedAt),
      release: check,
      events: events.rows.map((e) => ({ ...(e as Record<string, unknown>), at: iso((e as { at: unknown }).at) })),
      followups: slots.rows.map((s) => {
        const x = s as Record<string, unknown>
        return { ...x, opensAt: iso(x.opensAt), dueAt: iso(x.dueAt), recordedAt: iso(x.recordedAt), temperature: x.temperature === null ? null : Number(x.temperature), late: !x.recordedAt && new Date(x.dueAt as string) < now }
      }),
      nats: nats.rows.map((n) => ({ ...(n as Record<string, unknown>), recordedAt: iso((n as { recordedAt: unknown }).recordedAt) })),
      alerts: alerts.rows.map((a) => ({ ...(a as Record<string, unknown>), createdAt: iso((a as { createdAt: unknown }).createdAt), handledAt: iso((a as { handledAt: unknown }).handledAt) })),
    }
  }

  return {
    detail,
    async transition(actorId: number, id: number, action: QuarantineAction, input: TransitionInput) {
      const now = clock()
      await db.transaction(async (tx) => {
        if (action === 'release') await assertReleasable(tx, id, now)
        await applyTransition(tx, actorId, id, action, input, now)
      })
      return detail(id)
    },
  }
}
export type Cases = ReturnType<typeof createCases>
