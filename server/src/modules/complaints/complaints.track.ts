import { sql } from 'drizzle-orm'
import { COMPLAINT_STATUS_LABELS, redactFor, type PublicComplaint } from '@cc/shared'
import { notFound } from '../../errors.js'
import { eventsOf, loadComplaints } from './complaints.repository.js'
import type { ComplaintCore } from './complaints.core.js'

/** Step labels for the public: status changes only; who did it and what they wrote stay out. */
const STEP_LABELS: Record<string, string> = { submitted: '提交反映', returned: '退回重新整改', reassign_approved: '同意改派' }
const SHOWS_FIX = ['verified', 'published', 'closed']

/**
 * Look a tracking code up without logging in (the code is the only key): what kind of problem, where, how far
 * it got and, once verified, the fix in public wording. A typed address is not shown (it may name a flat).
 */
export function createTrack({ db }: ComplaintCore) {
  return {
    async track(code: string): Promise<PublicComplaint> {
      const normalized = code.trim().toUpperCase()
      const [c] = await loadComplaints(db, sql`c.tracking_code = ${normalized}`, sql`c.id`, 1)
      if (!c) throw notFound('反映事项')
      const events = await eventsOf(db, c.id)
      const steps = events
        .filter((e) => e.toStatus)
        .map((e) => ({ label: STEP_LABELS[e.kind] ?? (e.toStatus ? COMPLAINT_STATUS_LABELS[e.toStatus] : e.kind), at: e.at }))
      const fix = SHOWS_FIX.includes(c.status) && c.rectifyText && c.rectifiedAt ? { text: redactFor('resident', c.rectifyText), at: c.rectifiedAt.toISOString() } : null
      return {
        trackingCode: c.trackingCode,
        categoryName: c.categoryName,
        placeName: c.placeOrgId ? c.placeName : c.streetName ? `${c.streetName}（具体地址不公开）` : '具体地址不公开',
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        steps,
        rectification: fix,
        bulletinId: c.bulletinTitle ? c.bulletinId : null,
        bulletinTitle: c.bulletinTitle,
        mergedIntoCode: c.mergedIntoCode,
      }
    },
  }
}
