import { and, eq, sql } from 'drizzle-orm'
import { RB_DRAFT_TITLE, RB_EVIDENCE_LABELS, redBlackTitle, redactPublicText, type RbEntryBody, type RbEvidenceInput, type RbPeriod } from '@cc/shared'
import type { Db, Tx } from '../../db/client.js'
import { AppError, badRequest, conflict, notFound } from '../../errors.js'
import type { AuthContext } from '../../types.js'
import { loadEntities } from './redblack.entities.js'
import { bulletinItemLabel, complaintLabel, gateLabel } from './redblack.evidence.js'
import { rbCounters, rbEntries, rbEvidence, rbPeriods } from './redblack.table.js'
import { activeRules, adminPeriod, flagsFor } from './redblack.view.js'

/** Takes the period row lock and refuses anything but an own, still-draft, regular period. */
async function lockDraft(tx: Tx, auth: AuthContext, id: number) {
  const [p] = await tx.select().from(rbPeriods).where(eq(rbPeriods.id, id)).for('update')
  if (!p || p.districtOrgId !== auth.orgId) throw notFound('红黑榜')
  if (p.status === 'published') throw conflict('已发布的红黑榜不能修改，请发布勘误')
  if (p.kind !== 'regular') throw conflict('勘误不能添加条目')
  return p
}

/** Checks every piece of evidence and returns the rows to store, each with the editor's label as a snapshot. */
async function evidenceRows(tx: Tx, auth: AuthContext, entryId: number, items: RbEvidenceInput[]) {
  const rows: (typeof rbEvidence.$inferInsert)[] = []
  const seen = new Set<string>()
  for (const ev of items) {
    const key = JSON.stringify(ev)
    if (seen.has(key)) continue
    seen.add(key)
    if (ev.kind === 'complaint') {
      const r = await tx.execute(sql`
        SELECT c.tracking_code, c.status::text AS status, (c.sign_overdue OR c.rectify_overdue) AS overdue, c.returns
        FROM complaints c WHERE c.id = ${ev.complaintId}`)
      const c = r.rows[0] as { tracking_code: string; status: string; overdue: boolean; returns: number } | undefined
      if (!c) throw badRequest(`证据中的反映（编号 ${ev.complaintId}）不存在`)
      rows.push({ entryId, kind: 'complaint', complaintId: ev.complaintId, label: complaintLabel(c) })
    } else if (ev.kind === 'bulletin_item') {
      const r = await tx.execute(sql`
        SELECT b.number, b.status::text AS status, i.seq, i.problem FROM bulletin_items i JOIN bulletins b ON b.id = i.bulletin_id
        WHERE i.id = ${ev.bulletinItemId} AND b.kind = 'regular'`)
      const b = r.rows[0] as { number: number | null; status: string; seq: number; problem: string } | undefined
      if (!b || b.status !== 'published') throw badRequest(`证据中的通报条目（编号 ${ev.bulletinItemId}）不存在或尚未发布`)
      rows.push({ entryId, kind: 'bulletin_item', bulletinItemId: ev.bulletinItemId, label: bulletinItemLabel(b) })
    } else if (ev.kind === 'gate_check') {
      const r = await tx.execute(sql`
        SELECT g.checked_at, g.verdict::text AS verdict, gate.name AS gate, cp.name AS compound
        FROM gate_checks g JOIN org_units gate ON gate.id = g.gate_id JOIN org_units cp ON cp.id = g.compound_id
        WHERE g.id = ${ev.gateCheckId} AND cp.path LIKE ${`${auth.orgPath ?? '/'}%`}`)
      const g = r.rows[0] as { checked_at: Date; verdict: string; gate: string; compound: string } | undefined
      if (!g) throw badRequest(`证据中的卡口核验记录（编号 ${ev.gateCheckId}）不存在或已清理`)
      if (g.verdict !== 'deny') throw badRequest('只能引用“禁止通行”的卡口核验记录作为证据')
      rows.push({ entryId, kind: 'gate_check', gateCheckId: ev.gateCheckId, label: gateLabel(g) })
    } else {
      if (ev.photoIds.length) {
        const r = await tx.execute(sql`
          SELECT count(*)::int AS n FROM uploads WHERE owner_id = ${auth.userId}
            AND id = ANY(${sql.raw(`ARRAY[${ev.photoIds.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`)})`)
        if ((r.rows[0] as { n: number }).n !== ev.photoIds.length) throw badRequest('督查照片不存在，请重新上传')
      }
      rows.push({ entryId, kind: 'inspection', note: redactPublicText(ev.note.trim()), photoIds: ev.photoIds, label: RB_EVIDENCE_LABELS.inspection })
    }
  }
  return rows
}

async function checkEntity(tx: Tx, auth: AuthContext, entityId: number) {
  const e = (await loadEntities(tx, [entityId])).get(entityId)
  if (!e) throw badRequest('所选主体不存在')
  const r = await tx.execute(sql`SELECT path FROM org_units WHERE id = ${e.streetOrgId}`)
  if (!(r.rows[0] as { path: string }).path.startsWith(auth.orgPath ?? '/')) throw badRequest('所选主体不在本区')
  return e
}

const uniqueEntity = (e: unknown) => {
  if ((e as { code?: string }).code === '23505' && (e as { constraint?: string }).constraint === 'redblack_entries_period_entity_uq') throw conflict('该主体已在本期榜单中')
  throw e
}

export function createPeriods(db: Db) {
  return {
    async createDraft(auth: AuthContext): Promise<RbPeriod> {
      const [p] = await db.insert(rbPeriods).values({ districtOrgId: auth.orgId!, title: RB_DRAFT_TITLE, createdBy: auth.userId }).returning({ id: rbPeriods.id })
      return adminPeriod(db, p!.id, auth.orgId)
    },

    get: (auth: AuthContext, id: number) => adminPeriod(db, id, auth.orgId),

    async addEntry(auth: AuthContext, periodId: number, body: RbEntryBody): Promise<RbPeriod> {
      await db
        .transaction(async (tx) => {
          await lockDraft(tx, auth, periodId)
          await checkEntity(tx, auth, body.entityId)
          const [{ seq }] = (await tx.execute(sql`SELECT coalesce(max(seq), 0)::int + 1 AS seq FROM redblack_entries WHERE period_id = ${periodId}`)).rows as [{ seq: number }]
          const [entry] = await tx
            .insert(rbEntries)
            .values({ periodId, entityId: body.entityId, list: body.list, seq, reason: redactPublicText(body.reason.trim()) })
            .returning({ id: rbEntries.id })
          const ev = await evidenceRows(tx, auth, entry!.id, body.evidence)
          if (ev.length) await tx.insert(rbEvidence).values(ev)
        })
        .catch(uniqueEntity)
      return adminPeriod(db, periodId, auth.orgId)
    },

    async updateEntry(auth: AuthContext, periodId: number, entryId: number, body: RbEntryBody): Promise<RbPeriod> {
      await db
        .transaction(async (tx) => {
          await lockDraft(tx, auth, periodId)
          await checkEntity(tx, auth, body.entityId)
          const res = await tx
            .update(rbEntries)
            .set({ entityId: body.entityId, list: body.list, reason: redactPublicText(body.reason.trim()) })
            .where(and(eq(rbEntries.id, entryId), eq(rbEntries.periodId, periodId)))
            .returning({ id: rbEntries.id })
          if (!res.length) throw notFound('红黑榜条目')
          await tx.delete(rbEvidence).where(eq(rbEvidence.entryId, entryId))
          const ev = await evidenceRows(tx, auth, entryId, body.evidence)
          if (ev.length) await tx.insert(rbEvidence).values(ev)
        })
        .catch(uniqueEntity)
      return adminPeriod(db, periodId, auth.orgId)
    },

    async deleteEntry(auth: AuthContext, periodId: number, entryId: number): Promise<RbPeriod> {
      await db.transaction(async (tx) => {
        await lockDraft(tx, auth, periodId)
        const res = await tx.delete(rbEntries).where(and(eq(rbEntries.id, entryId), eq(rbEntries.periodId, periodId))).returning({ id: rbEntries.id })
        if (!res.length) throw notFound('红黑榜条目')
      })
      return adminPeriod(db, periodId, auth.orgId)
    },

    /**
     * Gives the period the district's next number under the counter row lock (no gap, no duplicate however many
     * publish at once) and stores each entry's flags as they stand now, by the active rules.
     */
    async publish(auth: AuthContext, id: number): Promise<RbPeriod> {
      await db.transaction((tx) => publishIn(tx, auth, id))
      return adminPeriod(db, id, auth.orgId)
    },

    async erratum(auth: AuthContext, id: number, text: string): Promise<RbPeriod> {
      const eid = await db.transaction(async (tx) => {
        const [p] = await tx.select().from(rbPeriods).where(eq(rbPeriods.id, id))
        if (!p || p.districtOrgId !== auth.orgId || p.status !== 'published') throw notFound('已发布的红黑榜')
        if (p.kind === 'erratum') throw conflict('请对原红黑榜发布勘误')
        const [e] = await tx
          .insert(rbPeriods)
          .values({ districtOrgId: p.districtOrgId, kind: 'erratum', title: `关于《${p.title}》的勘误`, correctsId: p.id, erratumText: redactPublicText(text.trim()), createdBy: auth.userId })
          .returning({ id: rbPeriods.id })
        await publishIn(tx, auth, e!.id)
        return e!.id
      })
      return adminPeriod(db, eid, auth.orgId)
    },
  }
}
export type Periods = ReturnType<typeof createPeriods>

async function publishIn(tx: Tx, auth: AuthContext, id: number) {
  const [p] = await tx.select().from(rbPeriods).where(eq(rbPeriods.id, id)).for('update')
  if (!p || p.districtOrgId !== auth.orgId) throw notFound('红黑榜')
  if (p.status === 'published') throw conflict('该红黑榜已发布')
  const entries = await tx.select({ id: rbEntries.id, entityId: rbEntries.entityId, list: rbEntries.list }).from(rbEntries).where(eq(rbEntries.periodId, id))
  if (p.kind === 'regular' && entries.length === 0) throw new AppError('VALIDATION', '榜单中没有条目，不能发布')
  await tx.insert(rbCounters).values({ districtOrgId: p.districtOrgId, lastNumber: 0 }).onConflictDoNothing()
  let number: number
  let title = p.title
  if (p.kind === 'regular') {
    const [c] = await tx
      .update(rbCounters)
      .set({ lastNumber: sql`${rbCounters.lastNumber} + 1` })
      .where(eq(rbCounters.districtOrgId, p.districtOrgId))
      .returning({ n: rbCounters.lastNumber })
    number = c!.n
    title = redBlackTitle(number)
  } else {
    // Errata are numbered on their own, under the same counter row lock.
    await tx.select().from(rbCounters).where(eq(rbCounters.districtOrgId, p.districtOrgId)).for('update')
    const [{ n }] = (await tx.execute(sql`
      SELECT coalesce(max(number), 0)::int + 1 AS n FROM redblack_periods WHERE district_org_id = ${p.districtOrgId} AND kind = 'erratum'`)).rows as [{ n: number }]
    number = n
  }
  // After the number: two publishes judge one entity in order, the later one seeing the earlier as published.
  const now = new Date()
  const rules = await activeRules(tx)
  const entities = await loadEntities(tx, entries.map((e) => e.entityId))
  const flags = await flagsFor(tx, entries, entities, rules, now, id, number)
  for (const e of entries) await tx.update(rbEntries).set({ flags: flags.get(e.id) ?? [] }).where(eq(rbEntries.id, e.id))
  await tx.update(rbPeriods).set({ status: 'published', number, title, publishedAt: now, rulesVersion: rules.version }).where(eq(rbPeriods.id, id))
}
