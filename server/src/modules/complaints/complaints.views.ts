import { eq } from 'drizzle-orm'
import type { FastifyRequest } from 'fastify'
import {
  maskPhone,
  redactFor,
  redactPublicText,
  redactView,
  type AdminComplaint,
  type ResidentComplaint,
  type UnitComplaint,
} from '@cc/shared'
import { decrypt } from '../../crypto.js'
import { notFound } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { users } from '../auth/auth.table.js'
import { eventsOf, loadComplaint, photosOf, suggestedUnitOf, type ComplaintJoined, type ComplaintLoaded } from './complaints.repository.js'
import { iso, type ComplaintCore } from './complaints.core.js'

/** What each audience sees of a complaint: the reporter, the accountable unit, the district. */
export function createComplaintViews({ db, config }: ComplaintCore) {
  /** `pre`: the report already loaded with its photos and events (a page of 我的反映, a report just filed). */
  async function residentView(id: number, userId: number, pre?: ComplaintLoaded): Promise<ResidentComplaint> {
    const c = pre?.c ?? (await loadComplaint(db, id))
    if (!c) throw notFound('反映事项')
    const b = await base(c, pre)
    // The resident sees the unit's fix only once the district has verified it, redacted like public text.
    const fix = b.common.rectification
    const showFix = ['verified', 'published', 'closed'].includes(c.status)
    // Somebody who joined it (我也遇到, or whose duplicate was merged into it) is not its author: they get the
    // public wording only — no phone or ID numbers, none of the reporter's photos, not the reporter's comment.
    const own = c.reporterId === userId
    const events = b.events
      .filter((e) => e.kind !== 'reminder' && e.kind !== 'escalation')
      .map((e) => (own ? e : { ...e, note: e.kind === 'rated' || !e.note ? null : redactFor('resident', e.note) }))
    return {
      ...b.common,
      rectification: showFix && fix ? { ...fix, text: redactPublicText(fix.text) } : null,
      anonymous: c.anonymous,
      rejectReason: c.rejectReason,
      mergedIntoCode: c.mergedIntoCode,
      followers: c.followers,
      bulletinId: c.bulletinTitle ? c.bulletinId : null,
      bulletinTitle: c.bulletinTitle,
      rating: c.rating,
      canRate: c.status === 'published' && own,
      mergedIntoId: c.mergedIntoId,
      ...(own ? {} : { description: redactFor('resident', c.description), photos: [], rejectReason: c.rejectReason && redactFor('resident', c.rejectReason) }),
      events,
    }
  }

  function clocks(c: ComplaintJoined) {
    return {
      assigneeOrgId: c.assigneeOrgId,
      assigneeName: c.assigneeName,
      assignedAt: iso(c.assignedAt),
      signDueAt: iso(c.signDueAt),
      rectifyDueAt: iso(c.rectifyDueAt),
      signedAt: iso(c.signedAt),
      signOverdue: c.signOverdue,
      rectifyOverdue: c.rectifyOverdue,
      escalated: !!c.escalatedAt,
      returns: c.returns,
      pendingRequest: c.pendingRequest ? { kind: c.pendingRequest, reason: c.pendingReason ?? '', until: iso(c.pendingUntil), at: c.pendingAt!.toISOString() } : null,
      lastReturnNote: null as string | null,
    }
  }

  async function base(c: ComplaintJoined, pre?: ComplaintLoaded) {
    const photos = pre?.photos ?? (await photosOf(db, c.id))
    const events = pre?.events ?? (await eventsOf(db, c.id))
    const lastReturn = [...events].reverse().find((e) => e.kind === 'returned')
    return {
      photos,
      events,
      lastReturnNote: lastReturn?.note ?? null,
      common: {
        id: c.id,
        trackingCode: c.trackingCode,
        categoryId: c.categoryId,
        categoryName: c.categoryName,
        placeName: c.placeName,
        description: c.description,
        status: c.status,
        createdAt: c.createdAt.toISOString(),
        photos: photos.report,
        rectification: c.rectifyText && c.rectifiedAt ? { text: c.rectifyText, photos: photos.rectify, at: c.rectifiedAt.toISOString() } : null,
      },
    }
  }

  /**
   * The accountable unit's view. Built field by field: nothing about the reporter is even read — but the
   * reporter's own words (description, typed address, rating comment in the events) may carry a phone or
   * ID number, so the whole view goes through the unit audience's redaction.
   */
  async function unitView(id: number): Promise<UnitComplaint> {
    const c = await loadComplaint(db, id)
    if (!c) throw notFound('反映事项')
    const b = await base(c)
    return redactView('unit', { ...b.common, ...clocks(c), lastReturnNote: b.lastReturnNote, followers: c.followers, events: b.events })
  }

  async function adminView(req: FastifyRequest, id: number): Promise<AdminComplaint> {
    const c = await loadComplaint(db, id)
    if (!c) throw notFound('反映事项')
    const b = await base(c)
    let reporter: AdminComplaint['reporter'] = null
    if (!c.anonymous) {
      const [u] = await db.select({ name: users.displayName, phoneEnc: users.phoneEnc }).from(users).where(eq(users.id, c.reporterId))
      reporter = { name: u!.name, phoneMasked: u!.phoneEnc ? maskPhone(decrypt(config.dataKey, u!.phoneEnc)) : null }
      await audit(db, req, { action: 'complaint.reporter.view', targetType: 'complaint', targetId: id })
    }
    return {
      ...b.common,
      ...clocks(c),
      lastReturnNote: b.lastReturnNote,
      placeOrgId: c.placeOrgId,
      streetName: c.streetName,
      anonymous: c.anonymous,
      followers: c.followers,
      rejectReason: c.rejectReason,
      mergedIntoId: c.mergedIntoId,
      rating: c.rating,
      reporter,
      suggestedUnit: await suggestedUnitOf(db, c.placeOrgId),
      events: b.events,
    }
  }

  return { residentView, unitView, adminView }
}
export type ComplaintViews = ReturnType<typeof createComplaintViews>
