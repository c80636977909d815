import { sql } from 'drizzle-orm'
import {
  DEFAULT_RB_RULES,
  RB_EVIDENCE_LABELS,
  evaluateRedBlack,
  personalDetailHints,
  redactPublicText,
  type RbEntity,
  type RbEntry,
  type RbEvidence,
  type RbFlag,
  type RbHistoryItem,
  type RbList,
  type RbPeriod,
  type RbPublicPeriod,
  type RbRulesData,
} from '@cc/shared'
import type { DbOrTx } from '../../db/client.js'
import { notFound } from '../../errors.js'
import { photoUrl } from '../uploads/uploads.service.js'
import { loadEntities, toRef } from './redblack.entities.js'

export interface ActiveRules extends RbRulesData {
  version: number
  createdAt: Date
}

/** The newest rules version (the migration writes version 1). */
export async function activeRules(db: DbOrTx, version?: number | null): Promise<ActiveRules> {
  const r = await db.execute(sql`
    SELECT version, window_days, award_min_reds, sanctions, awards, created_at FROM redblack_rules
    ${version ? sql`WHERE version = ${version}` : sql``} ORDER BY version DESC LIMIT 1`)
  const row = r.rows[0] as { version: number; window_days: number; award_min_reds: number; sanctions: RbRulesData['sanctions']; awards: RbRulesData['awards']; created_at: Date } | undefined
  if (!row) return { ...DEFAULT_RB_RULES, version: 1, createdAt: new Date(0) }
  return {
    version: row.version,
    windowDays: row.window_days,
    awardMinReds: row.award_min_reds,
    sanctions: { ...DEFAULT_RB_RULES.sanctions, ...row.sanctions },
    awards: { ...DEFAULT_RB_RULES.awards, ...row.awards },
    createdAt: new Date(row.created_at),
  }
}

export interface HistoryRow {
  owner: number
  period_id: number
  number: number
  title: string
  published_at: Date
  list: RbList
  reason: string
  via: string | null
}

/**
 * Published listings of the given entities. A property company's history holds its projects' listings too
 * (`via` names the project): the seeds judge a company by its projects' records.
 */
export async function publishedHistory(db: DbOrTx, ids: number[], excludePeriodId?: number): Promise<Map<number, HistoryRow[]>> {
  const out = new Map<number, HistoryRow[]>()
  if (!ids.length) return out
  const arr = sql.raw(`ARRAY[${[...new Set(ids)].map(Number).join(',')}]::int[]`)
  const r = await db.execute(sql`
    SELECT x.owner, p.id AS period_id, p.number, p.title, p.published_at, en.list, en.reason,
           CASE WHEN x.owner = en.entity_id THEN NULL ELSE e.name END AS via
    FROM redblack_entities e
    JOIN redblack_entries en ON en.entity_id = e.id
    JOIN redblack_periods p ON p.id = en.period_id AND p.status = 'published' AND p.kind = 'regular'
    CROSS JOIN LATERAL (VALUES (e.id), (e.company_id)) x(owner)
    WHERE (e.id = ANY(${arr}) OR e.company_id = ANY(${arr})) AND x.owner = ANY(${arr})
      ${excludePeriodId ? sql`AND p.id <> ${excludePeriodId}` : sql``}
    ORDER BY p.published_at, p.id`)
  for (const row of r.rows as unknown as HistoryRow[]) {
    const list = out.get(row.owner) ?? []
    list.push(row)
    out.set(row.owner, list)
  }
  return out
}

export const toHistoryItems = (rows: HistoryRow[] | undefined): RbHistoryItem[] =>
  (rows ?? []).map((h) => ({ list: h.list, at: new Date(h.published_at).toISOString(), number: h.number }))

/** Flags for each entry of a period as if it were published at `at` (a draft: now), by the given rules. */
export async function flagsFor(
  db: DbOrTx,
  entries: { id: number; entityId: number; list: RbList }[],
  entities: Map<number, RbEntity>,
  rules: RbRulesData,
  at: Date,
  periodId: number,
  number: number | null,
): Promise<Map<number, RbFlag[]>> {
  const hist = await publishedHistory(db, entries.map((e) => e.entityId), periodId)
  const out = new Map<number, RbFlag[]>()
  for (const e of entries) {
    const entity = entities.get(e.entityId)!
    const items = toHistoryItems(hist.get(e.entityId))
    items.push({ list: e.list, at: at.toISOString(), number })
    // A company listed in the same period as one of its projects: that listing counts for the company too.
    if (entity.kind === 'property_company') {
      for (const o of entries) if (entities.get(o.entityId)?.companyId === entity.id) items.push({ list: o.list, at: at.toISOString(), number })
    }
    out.set(e.id, evaluateRedBlack(items, entity.kind, rules))
  }
  return out
}

interface HeadRow {
  id: number
  district_org_id: number
  number: number | null
  title: string
  status: 'draft' | 'published'
  kind: 'regular' | 'erratum'
  published_at: Date | null
  corrects_id: number | null
  corrects_title: string | null
  erratum_text: string | null
  rules_version: number | null
  red: number
  black: number
}

export const COUNTS = sql`
  (SELECT count(*)::int FROM redblack_entries x WHERE x.period_id = p.id AND x.list = 'red') AS red,
  (SELECT count(*)::int FROM redblack_entries x WHERE x.period_id = p.id AND x.list = 'black') AS black`

export const toSummary = (r: Pick<HeadRow, 'id' | 'number' | 'title' | 'status' | 'kind' | 'published_at' | 'red' | 'black'>) => ({
  id: r.id,
  number: r.number,
  title: r.title,
  status: r.status,
  kind: r.kind,
  publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
  red: r.red,
  black: r.black,
})

export async function periodHead(db: DbOrTx, id: number): Promise<HeadRow | undefined> {
  const r = await db.execute(sql`
    SELECT p.id, p.district_org_id, p.number, p.title, p.status, p.kind, p.published_at, p.corrects_id, c.title AS corrects_title,
           p.erratum_text, p.rules_version, ${COUNTS}
    FROM redblack_periods p LEFT JOIN redblack_periods c ON c.id = p.corrects_id WHERE p.id = ${id}`)
  return r.rows[0] as unknown as HeadRow | undefined
}

interface EntryRow {
  id: number
  entity_id: number
  list: RbList
  seq: number
  reason: string
  flags: RbFlag[] | null
}
interface EvidenceRow {
  entry_id: number
  kind: RbEvidence['kind']
  complaint_id: number | null
  tracking_code: string | null
  bulletin_item_id: number | null
  gate_check_id: string | number | null
  note: string | null
  photo_ids: string[]
  label: string
}

const photos = (ids: string[]) => ids.map((id) => ({ id, url: photoUrl(id), thumbUrl: photoUrl(id, true) }))

/** What the public may know of a piece of evidence: its kind, never whose report or which person at a gate. */
function publicEvidence(ev: EvidenceRow) {
  if (ev.kind === 'bulletin_item') return { kind: ev.kind, label: redactPublicText(ev.label) }
  if (ev.kind === 'gate_check') return { kind: ev.kind, label: `${RB_EVIDENCE_LABELS.gate_check} · 禁止通行` }
  if (ev.kind === 'inspection') return { kind: ev.kind, label: RB_EVIDENCE_LABELS.inspection, photos: photos(ev.photo_ids) }
  return { kind: ev.kind, label: RB_EVIDENCE_LABELS[ev.kind] }
}

function adminEvidence(ev: EvidenceRow): RbEvidence {
  const base: RbEvidence = { kind: ev.kind, label: ev.label }
  if (ev.complaint_id !== null) Object.assign(base, { complaintId: ev.complaint_id, trackingCode: ev.tracking_code ?? '' })
  if (ev.bulletin_item_id !== null) base.bulletinItemId = ev.bulletin_item_id
  if (ev.gate_check_id !== null) base.gateCheckId = Number(ev.gate_check_id)
  if (ev.kind === 'inspection') Object.assign(base, { note: ev.note ?? '', photos: photos(ev.photo_ids) })
  return base
}

async function periodBody(db: DbOrTx, head: HeadRow) {
  const entries = (await db.execute(sql`
    SELECT id, entity_id, list, seq, reason, flags FROM redblack_entries WHERE period_id = ${head.id} ORDER BY list, seq`)).rows as unknown as EntryRow[]
  const ids = entries.map((e) => e.id)
  const evidence = ids.length
    ? ((await db.execute(sql`
        SELECT ev.entry_id, ev.kind, ev.complaint_id, c.tracking_code, ev.bulletin_item_id, ev.gate_check_id, ev.note, ev.photo_ids, ev.label
        FROM redblack_evidence ev LEFT JOIN complaints c ON c.id = ev.complaint_id
        WHERE ev.entry_id = ANY(${sql.raw(`ARRAY[${ids.join(',')}]::int[]`)}) ORDER BY ev.id`)).rows as unknown as EvidenceRow[])
    : []
  const entities = await loadEntities(db, entries.map((e) => e.entity_id))
  const rules = await activeRules(db, head.status === 'published' ? head.rules_version : null)
  const live =
    head.status === 'draft'
      ? await flagsFor(db, entries.map((e) => ({ id: e.id, entityId: e.entity_id, list: e.list })), entities, rules, new Date(), head.id, null)
      : new Map<number, RbFlag[]>()
  const errata = (await db.execute(sql`
    SELECT id, title FROM redblack_periods WHERE corrects_id = ${head.id} AND status = 'published' ORDER BY id`)).rows as { id: number; title: string }[]
  return { entries, evidence, entities, rules, live, errata }
}

const headView = (head: HeadRow, errata: { id: number; title: string }[], publicOnly: boolean) => ({
  ...toSummary(head),
  correctsId: head.corrects_id,
  correctsTitle: head.corrects_title,
  erratumText: head.erratum_text && (publicOnly ? redactPublicText(head.erratum_text) : head.erratum_text),
  errata,
})

/** The editor's view: evidence with ids and tracking codes, live flags while drafting, stored ones once published. */
export async function adminPeriod(db: DbOrTx, id: number, districtOrgId: number | null): Promise<RbPeriod> {
  const head = await periodHead(db, id)
  if (!head || (districtOrgId !== null && head.district_org_id !== districtOrgId)) throw notFound('红黑榜')
  const b = await periodBody(db, head)
  const next =
    head.status === 'draft' && head.kind === 'regular'
      ? ((await db.execute(sql`SELECT coalesce((SELECT last_number FROM redblack_counters WHERE district_org_id = ${head.district_org_id}), 0)::int + 1 AS n`)).rows[0] as { n: number }).n
      : null
  return {
    ...headView(head, b.errata, false),
    rulesVersion: b.rules.version,
    nextNumber: next,
    entries: b.entries.map(
      (e): RbEntry => ({
        id: e.id,
        seq: e.seq,
        list: e.list,
        entity: toRef(b.entities.get(e.entity_id)!),
        reason: e.reason,
        flags: (head.status === 'draft' ? b.live.get(e.id) : e.flags) ?? [],
        warnings: personalDetailHints(e.reason),
        evidence: b.evidence.filter((ev) => ev.entry_id === e.id).map(adminEvidence),
      }),
    ),
  }
}

/** The public view of a published period: entity, reason (redacted again), stored flags, kinds of evidence. */
export async function publicPeriod(db: DbOrTx, id: number): Promise<RbPublicPeriod> {
  const head = await periodHead(db, id)
  if (!head || head.status !== 'published') throw notFound('红黑榜')
  const b = await periodBody(db, head)
  const entries = b.entries.map((e) => ({
    id: e.id,
    seq: e.seq,
    list: e.list,
    entity: toRef(b.entities.get(e.entity_id)!),
    reason: redactPublicText(e.reason),
    flags: e.flags ?? [],
    evidence: b.evidence.filter((ev) => ev.entry_id === e.id).map(publicEvidence),
  }))
  return { ...headView(head, b.errata, true), red: entries.filter((e) => e.list === 'red'), black: entries.filter((e) => e.list === 'black') }
}
