import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { complaintEvents } from '../modules/complaints/complaints.table.js'
import { notify, staffOf } from '../modules/notify/notify.service.js'

interface Due {
  id: number
  trackingCode: string
  assigneeOrgId: number
  streetOrgId: number | null
  clock: 'sign' | 'rectify'
}

/**
 * One sweep over the two clocks of every assigned report: a reminder at 75 % of a clock, and when a clock
 * runs out the item is flagged and escalated (督办) to the street. Each flag is set in the same statement
 * that selects it, so two workers never send the same reminder twice.
 */
export async function sweepClocks(db: Db, now = new Date()): Promise<{ reminders: number; escalations: number }> {
  const at = now.toISOString()
  return db.transaction(async (tx) => {
    const remind = await tx.execute(sql`
      WITH due AS (
        SELECT id, CASE WHEN status = 'assigned' THEN 'sign' ELSE 'rectify' END AS clock FROM complaints
        WHERE (status = 'assigned' AND NOT sign_reminded AND NOT sign_overdue
                 AND ${at}::timestamptz >= assigned_at + (sign_due_at - assigned_at) * 0.75 AND ${at}::timestamptz < sign_due_at)
           OR (status IN ('assigned', 'signed') AND NOT rectify_reminded AND NOT rectify_overdue
                 AND ${at}::timestamptz >= assigned_at + (rectify_due_at - assigned_at) * 0.75 AND ${at}::timestamptz < rectify_due_at)
        FOR UPDATE SKIP LOCKED)
      UPDATE complaints c SET sign_reminded = sign_reminded OR due.clock = 'sign', rectify_reminded = rectify_reminded OR due.clock = 'rectify'
      FROM due WHERE c.id = due.id
      RETURNING c.id, c.tracking_code AS "trackingCode", c.assignee_org_id AS "assigneeOrgId", c.street_org_id AS "streetOrgId", due.clock`)
    for (const d of remind.rows as unknown as Due[]) {
      await tx.insert(complaintEvents).values({ complaintId: d.id, kind: 'reminder', note: d.clock === 'sign' ? '签收期限将到' : '整改期限将到' })
      await notify(tx, await staffOf(tx, d.assigneeOrgId), {
        title: d.clock === 'sign' ? '请尽快签收' : '整改期限将到',
        body: `${d.trackingCode}：已过期限的 75%，请抓紧办理。`,
        complaintId: d.id,
      })
    }
    const overdue = await tx.execute(sql`
      WITH due AS (
        SELECT id, CASE WHEN status = 'assigned' AND NOT sign_overdue AND ${at}::timestamptz >= sign_due_at THEN 'sign' ELSE 'rectify' END AS clock FROM complaints
        WHERE (status = 'assigned' AND NOT sign_overdue AND ${at}::timestamptz >= sign_due_at)
           OR (status IN ('assigned', 'signed') AND NOT rectify_overdue AND ${at}::timestamptz >= rectify_due_at)
        FOR UPDATE SKIP LOCKED)
      UPDATE complaints c SET sign_overdue = sign_overdue OR due.clock = 'sign', rectify_overdue = rectify_overdue OR due.clock = 'rectify',
        escalated_at = COALESCE(escalated_at, ${at}::timestamptz)
      FROM due WHERE c.id = due.id
      RETURNING c.id, c.tracking_code AS "trackingCode", c.assignee_org_id AS "assigneeOrgId",
        (SELECT (string_to_array(btrim(a.path, '/'), '/'))[2]::int FROM org_units a WHERE a.id = c.assignee_org_id) AS "streetOrgId", due.clock`)
    for (const d of overdue.rows as unknown as Due[]) {
      const what = d.clock === 'sign' ? '超时未签收' : '超期未整改'
      await tx.insert(complaintEvents).values({ complaintId: d.id, kind: 'escalation', note: `${what}，已提请街道督办` })
      const street = d.streetOrgId ? await staffOf(tx, d.streetOrgId) : []
      await notify(tx, street, { title: `督办：${what}`, body: `${d.trackingCode}：请督促责任单位立即办理。`, complaintId: d.id })
      await notify(tx, await staffOf(tx, d.assigneeOrgId), { title: what, body: `${d.trackingCode} 已被督办，请立即办理。`, complaintId: d.id })
    }
    return { reminders: remind.rows.length, escalations: overdue.rows.length }
  })
}

/** Published items nobody rated within 7 days close by themselves (DESIGN §3.1). */
export async function autoClose(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const r = await tx.execute(sql`
      UPDATE complaints SET status = 'closed', closed_at = ${now.toISOString()}::timestamptz, updated_at = now()
      WHERE status = 'published' AND published_at < ${now.toISOString()}::timestamptz - interval '7 days'
      RETURNING id`)
    const ids = (r.rows as { id: number }[]).map((x) => x.id)
    if (ids.length)
      await tx.insert(complaintEvents).values(ids.map((complaintId) => ({ complaintId, kind: 'transition', fromStatus: 'published' as const, toStatus: 'closed' as const, note: '7天未评价，自动办结' })))
    return ids.length
  })
}
