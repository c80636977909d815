import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/client.js'
import { AppError, conflict } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { districtAdmins, notify, staffOf } from '../notify/notify.service.js'
import { complaintPhotos, complaints } from './complaints.table.js'
import { actorOf, type Actor, type ComplaintCore } from './complaints.core.js'
import type { ComplaintViews } from './complaints.views.js'

/** The unit fixes, the district verifies, the resident rates; bulletins publish. */
export function createRectify(core: ComplaintCore, _views: ComplaintViews) {
  const { db, lockComplaint, transition, event, attachPhotos, notifyResidents } = core
  return {
    async sign(auth: AuthContext, id: number) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'signed', actorOf(auth), null, { signedAt: new Date() })
      })
    },

    async request(auth: AuthContext, id: number, kind: 'extension' | 'reassign', reason: string, until?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (c.status !== 'assigned' && c.status !== 'signed') throw conflict('只有办理中的事项可以申请延期或改派')
        if (c.pendingRequest) throw conflict('已有申请在等待区指挥部审批')
        const untilDate = until ? new Date(until) : null
        if (kind === 'extension' && (!untilDate || untilDate <= (c.rectifyDueAt ?? new Date()))) throw new AppError('VALIDATION', '延期后的期限必须晚于原整改期限')
        await tx
          .update(complaints)
          .set({ pendingRequest: kind, pendingReason: reason, pendingUntil: untilDate, pendingAt: new Date() })
          .where(eq(complaints.id, id))
        await event(tx, id, actorOf(auth), kind === 'extension' ? 'extension_requested' : 'reassign_requested', reason, {}, untilDate ? { until: untilDate.toISOString() } : {})
        await notify(tx, await districtAdmins(tx), { title: kind === 'extension' ? '延期申请待审批' : '改派申请待审批', body: `${c.trackingCode}：${reason}`, complaintId: id })
      })
    },

    async decide(auth: AuthContext, id: number, approve: boolean, note?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (!c.pendingRequest) throw conflict('该事项没有待审批的申请')
        const kind = c.pendingRequest
        const unitId = c.assigneeOrgId!
        const clear = { pendingRequest: null, pendingReason: null, pendingUntil: null, pendingAt: null }
        if (approve && kind === 'reassign') {
          await transition(tx, c, 'accepted', actorOf(auth), note ?? '同意改派', { ...clear, assigneeOrgId: null, signDueAt: null, rectifyDueAt: null }, 'reassign_approved')
        } else {
          const patch = approve ? { ...clear, rectifyDueAt: c.pendingUntil, rectifyOverdue: false, rectifyReminded: false } : clear
          await tx.update(complaints).set(patch).where(eq(complaints.id, id))
          await event(tx, id, actorOf(auth), `${kind}_${approve ? 'approved' : 'refused'}`, note ?? null)
        }
        await notify(tx, await staffOf(tx, unitId), {
          title: `${kind === 'extension' ? '延期' : '改派'}申请${approve ? '已同意' : '未同意'}`,
          body: `${c.trackingCode}${note ? `：${note}` : ''}`,
          complaintId: id,
        })
      })
    },

    async rectify(auth: AuthContext, id: number, text: string, photoIds: string[]) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        const now = new Date()
        await tx.delete(complaintPhotos).where(and(eq(complaintPhotos.complaintId, id), eq(complaintPhotos.stage, 'rectify')))
        const pending = c.pendingRequest
        await transition(tx, c, 'rectified', actorOf(auth), null, {
          rectifyText: text.trim(),
          rectifiedAt: now,
          rectifiedOnTime: c.rectifiedOnTime === false ? false : now <= (c.rectifyDueAt ?? now),
          // A request still waiting is moot once the fix is in: otherwise the unit sees 等待审批 and the
          // district's badge counts it for ever.
          pendingRequest: null,
          pendingReason: null,
          pendingUntil: null,
          pendingAt: null,
        })
        if (pending) await event(tx, id, actorOf(auth), `${pending}_withdrawn`, '已上报整改，申请自动撤回')
        await attachPhotos(tx, id, auth.userId, photoIds, 'rectify')
        await notify(tx, await districtAdmins(tx), { title: '整改已上报，待核验', body: `${c.trackingCode}`, complaintId: id })
      })
    },

    async verify(auth: AuthContext, id: number, note?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'verified', actorOf(auth), note ?? null, { verifiedAt: new Date() })
        await notifyResidents(tx, c, '整改已核验', `跟踪码 ${c.trackingCode}：整改已核验，将在整改通报中公布。`)
      })
    },

    async returnFix(auth: AuthContext, id: number, note: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        await transition(tx, c, 'signed', actorOf(auth), note, { returns: c.returns + 1 }, 'returned')
        await notify(tx, await staffOf(tx, c.assigneeOrgId!), { title: '整改被退回', body: `${c.trackingCode}：${note}`, complaintId: id })
      })
    },

    async rate(auth: AuthContext, id: number, satisfied: boolean, comment?: string) {
      await db.transaction(async (tx) => {
        const c = await lockComplaint(tx, id)
        if (c.reporterId !== auth.userId) throw new AppError('FORBIDDEN', '只有反映人可以评价')
        if (satisfied) await transition(tx, c, 'closed', actorOf(auth), comment ?? '满意', { rating: 'satisfied', ratingComment: comment ?? null, closedAt: new Date() }, 'rated')
        else {
          await transition(tx, c, 'reopened', actorOf(auth), comment ?? '不满意', { rating: 'unsatisfied', ratingComment: comment ?? null }, 'rated')
          await notify(tx, await districtAdmins(tx), { title: '网友对整改不满意', body: `${c.trackingCode} 已重新打开`, complaintId: id })
        }
      })
    },

    /** Used by bulletins: moves verified items to published and tells their residents. */
    async markPublished(tx: Tx, ids: number[], actor: Actor, bulletinTitle: string) {
      for (const id of ids) {
        const c = await lockComplaint(tx, id)
        // A re-publication after 不满意 asks for a new rating: the earlier one stays in the 'rated' event.
        await transition(tx, c, 'published', actor, bulletinTitle, { publishedAt: new Date(), rating: null, ratingComment: null })
        await notifyResidents(tx, c, '整改情况已通报', `跟踪码 ${c.trackingCode} 已在《${bulletinTitle}》中公布，请您评价整改效果。`)
      }
    },

  }
}
