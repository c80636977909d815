import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import type { Db, DbOrTx } from '../../db/client.js'
import { roleGrants, users } from '../auth/auth.table.js'
import type { WechatClient } from '../auth/wechat.client.js'
import { messages, outbox } from './notify.table.js'

export interface Notice {
  title: string
  body: string
  complaintId?: number | null
  /** Page of the mini-program / H5 the WeChat message opens. */
  page?: string
}

/**
 * Writes the in-app message and, for users who came through WeChat, an outbox row for a subscribe
 * message — in the caller's transaction, so a notice exists exactly when the change it announces does.
 */
export async function notify(tx: DbOrTx, userIds: number[], n: Notice): Promise<void> {
  const ids = [...new Set(userIds)]
  if (ids.length === 0) return
  // Complaint notices carry a mini-program path; the in-app centre opens those by complaintId, others by their H5 route.
  const page = n.page && !n.complaintId && /^\/[a-z]/.test(n.page) && !n.page.startsWith('/pages/') ? n.page : null
  await tx.insert(messages).values(ids.map((userId) => ({ userId, title: n.title, body: n.body, complaintId: n.complaintId ?? null, page })))
  const wx = await tx.select({ id: users.id }).from(users).where(and(inArray(users.id, ids), isNotNull(users.wechatOpenid)))
  if (wx.length)
    await tx.insert(outbox).values(
      wx.map((u) => ({ channel: 'wechat', userId: u.id, payload: { title: n.title.slice(0, 20), body: n.body.slice(0, 20), page: n.page ?? '' } })),
    )
}

/** Staff holding any role at exactly this org unit (the people who act for it). */
export async function staffOf(tx: DbOrTx, orgId: number): Promise<number[]> {
  const rows = await tx
    .select({ userId: roleGrants.userId })
    .from(roleGrants)
    .where(and(eq(roleGrants.orgId, orgId), sql`${roleGrants.role} <> 'resident'`))
  return rows.map((r) => r.userId)
}

export async function districtAdmins(tx: DbOrTx): Promise<number[]> {
  const rows = await tx.select({ userId: roleGrants.userId }).from(roleGrants).where(eq(roleGrants.role, 'district_admin'))
  return rows.map((r) => r.userId)
}

const BACKOFF_SECONDS = [30, 120, 600, 3600]

/**
 * Delivers pending WeChat subscribe messages. Rows are claimed with SKIP LOCKED so several workers can
 * run; a user who has not subscribed is "skipped", a transport failure is retried with back-off.
 */
export async function deliverOutbox(db: Db, wechat: WechatClient, templateId: string, batch = 20): Promise<{ sent: number; skipped: number; failed: number }> {
  const result = { sent: 0, skipped: 0, failed: 0 }
  await db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: outbox.id, attempts: outbox.attempts, payload: outbox.payload, openid: users.wechatOpenid })
      .from(outbox)
      .innerJoin(users, eq(users.id, outbox.userId))
      .where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, sql`now()`)))
      .orderBy(asc(outbox.id))
      .limit(batch)
      .for('update', { of: outbox, skipLocked: true })
    for (const r of rows) {
      try {
        if (!templateId || !r.openid) throw Object.assign(new Error('not configured'), { skip: true })
        const ok = await wechat.sendSubscribeMessage({
          touser: r.openid,
          templateId,
          page: r.payload.page || undefined,
          data: { thing1: r.payload.title ?? '', thing2: r.payload.body ?? '' },
        })
        await tx.update(outbox).set({ status: ok ? 'sent' : 'skipped', sentAt: ok ? new Date() : null, attempts: r.attempts + 1 }).where(eq(outbox.id, r.id))
        ok ? result.sent++ : result.skipped++
      } catch (e) {
        const skip = (e as { skip?: boolean }).skip
        const attempts = r.attempts + 1
        const failed = skip || attempts > BACKOFF_SECONDS.length
        await tx
          .update(outbox)
          .set({
            status: skip ? 'skipped' : failed ? 'failed' : 'pending',
            attempts,
            lastError: String((e as Error).message).slice(0, 300),
            nextAttemptAt: sql`now() + make_interval(secs => ${BACKOFF_SECONDS[Math.min(attempts - 1, BACKOFF_SECONDS.length - 1)]!})`,
          })
          .where(eq(outbox.id, r.id))
        skip ? result.skipped++ : result.failed++
      }
    }
  })
  return result
}
