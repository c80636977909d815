import { sql } from 'drizzle-orm'
import { bulletinTitle, canTransition, redactPublicText, type ComplaintStatus, type Role } from '@cc/shared'
import type { AppConfig } from '../config.js'
import { encrypt, lookupHash } from '../crypto.js'
import type { Tx } from '../db/client.js'
import { endOfDayShanghai } from '../modules/complaints/clock.js'
import { seedGateHistory, seedQuarantineHistory } from './history-gate.js'
import * as T from './history-text.js'

/**
 * Demo history: ~60 days of the complaint loop up to today, with the bulletins that published it, 14 days
 * of gate checks and the quarantine day snapshots, so every chart and count of a fresh demo shows something
 * true. Each report is played through the same rules the services apply (the shared state machine, the
 * clocks and their per-minute sweep, the daily bulletin, the 7-day auto-close) and stops where "now" finds
 * it, then goes in with its final row and its events: a handful of set-based INSERTs, so the triggers that
 * keep counters and rollups fire as they do in production. Deterministic: a seeded PRNG, dates relative to now.
 */

export function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!
  const between = (lo: number, hi: number) => lo + next() * (hi - lo)
  return { next, int, pick, between }
}
export type Rnd = ReturnType<typeof prng>

export const MIN = 60_000
export const HOUR = 3600_000
export const DAY = 86_400_000
const BJ = 8 * HOUR
/** Midnight (Beijing) of the day holding `t`. */
export const bjDayStart = (t: number) => Math.floor((t + BJ) / DAY) * DAY - BJ
export const bjHour = (t: number) => Math.floor(((t + BJ) % DAY) / HOUR)
export const bjDate = (t: number) => new Date(t + BJ).toISOString().slice(0, 10)

/** One column of a bulk insert: its PostgreSQL element type, its values, optionally an expression over `v`. */
export type Column = { type: string; values: unknown[]; expr?: (v: ReturnType<typeof sql.raw>) => ReturnType<typeof sql> }

const element = (v: unknown) =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' || typeof v === 'boolean' ? String(v) : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`

/**
 * Rows as one array literal per column through unnest(): PostgreSQL parses a few arrays far faster than
 * the same rows as JSON objects, and it is still one INSERT … SELECT per chunk, row triggers and all.
 */
export async function insertColumns(tx: Tx, table: string, cols: Record<string, Column>, chunk = 20_000) {
  const names = Object.keys(cols)
  const n = cols[names[0]!]!.values.length
  for (let i = 0; i < n; i += chunk) {
    const arrays = names.map((k) => sql`${`{${cols[k]!.values.slice(i, i + chunk).map(element).join(',')}}`}::${sql.raw(cols[k]!.type)}[]`)
    const exprs = names.map((k, j) => cols[k]!.expr?.(sql.raw(`u.c${j}`)) ?? sql.raw(`u.c${j}`))
    await tx.execute(sql`
      INSERT INTO ${sql.identifier(table)} (${sql.join(names.map((k) => sql.identifier(k)), sql`, `)})
      SELECT ${sql.join(exprs, sql`, `)} FROM unnest(${sql.join(arrays, sql`, `)}) AS u(${sql.raw(names.map((_, j) => `c${j}`).join(', '))})`)
  }
}

/** Column-wise view of row objects: insertColumns(tx, t, columns(rows, { id: 'int', … })). */
export function columns(rows: Record<string, unknown>[], types: Record<string, string | Omit<Column, 'values'>>): Record<string, Column> {
  return Object.fromEntries(
    Object.entries(types).map(([k, t]) => [k, { ...(typeof t === 'string' ? { type: t } : t), values: rows.map((r) => r[k]) }]),
  )
}

interface Actor {
  userId: number | null
  role: Role | null
  orgId: number | null
}
const SYSTEM: Actor = { userId: null, role: null, orgId: null }

interface Place {
  id: number
  kind: 'compound' | 'market' | 'community'
  name: string
  placeName: string
  streetId: number
  communityId: number
  marketKind: string | null
  gates: string[]
  weight: number
  /** Reports here so far, newest last: where a duplicate finds the report it is merged into. */
  reports: Sim[]
}
interface Category {
  id: number
  code: string
  name: string
  signHours: number
  rectifyDays: number
}

/** A report as the row will be written, plus what the simulation needs on the side. */
interface Sim {
  id: number
  trackingCode: string
  reporterId: number
  categoryId: number
  cat: Category
  place: Place
  description: string
  anonymous: boolean
  createdAt: number
  status: ComplaintStatus
  rejectReason: string | null
  mergedIntoId: number | null
  assigneeOrgId: number | null
  assignedAt: number | null
  signDueAt: number | null
  rectifyDueAt: number | null
  signedAt: number | null
  rectifiedAt: number | null
  rectifiedOnTime: boolean | null
  verifiedAt: number | null
  signReminded: boolean
  rectifyReminded: boolean
  signOverdue: boolean
  rectifyOverdue: boolean
  escalatedAt: number | null
  returns: number
  rectifyText: string | null
  pendingRequest: 'extension' | 'reassign' | null
  pendingReason: string | null
  pendingUntil: number | null
  pendingAt: number | null
  rating: 'satisfied' | 'unsatisfied' | null
  ratingComment: string | null
  publishedAt: number | null
  closedAt: number | null
  updatedAt: number
  /** (time, status) after each transition: who was open when, for merges and 我也遇到. */
  timeline: [number, ComplaintStatus][]
}

interface Ev {
  seq: number
  complaintId: number
  at: number
  actor: Actor
  kind: string
  from: ComplaintStatus | null
  to: ComplaintStatus | null
  note: string | null
  data: Record<string, unknown>
  /** A 'published' transition: its note is the bulletin's title, known once bulletins are numbered. */
  slot?: number
}

interface Slot {
  draftAt: number
  publishAt: number
  items: { complaintId: number; verifiedAt: number; problem: string; place: string; measures: string }[]
}

type Stall = 'submitted' | 'accepted' | 'assigned' | 'signed' | 'pending' | 'rectified' | 'verified' | null
/** Where recent reports stop, in turn (most go on as far as time allows). */
const STALLS: Stall[] = ['accepted', 'assigned', null, 'signed', 'pending', null, 'rectified', 'assigned', 'verified', null, null, null, null, null, null, null]
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ'.split('')
const clearPending = { pendingRequest: null, pendingReason: null, pendingUntil: null, pendingAt: null }

/** How often each kind of loophole is reported, relative to each other. */
const CATEGORY_WEIGHT: Record<string, number> = { gate_unchecked: 3, gathering: 2, no_mask: 2, market_lax: 2.5, returnee_unmanaged: 1.2, disinfection: 1.2, price_gouging: 0.8, other: 0.5 }

const OPEN: ComplaintStatus[] = ['submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened']

export interface HistoryOptions {
  now?: Date
  days?: number
  demoResidentUserId: number
}

export async function seedHistory(tx: Tx, config: AppConfig, opts: HistoryOptions) {
  const now = (opts.now ?? new Date()).getTime()
  const days = opts.days ?? 60
  const rnd = prng(20200203)
  const timings: Record<string, number> = {}
  let mark = Date.now()
  const lap = (name: string) => {
    const t = Date.now()
    timings[name] = t - mark
    mark = t
  }

  // --- reference: categories, places, the demo staff who act for their units
  const cats = (await tx.execute(sql`SELECT id, code, name, sign_hours AS "signHours", rectify_days AS "rectifyDays" FROM complaint_categories WHERE active ORDER BY sort, id`)).rows as unknown as Category[]
  const catByCode = new Map(cats.map((c) => [c.code, c]))
  const orgRows = (
    await tx.execute(sql`
      SELECT o.id, o.kind, o.name, o.market_kind AS "marketKind", org_place_name(o.path) AS "placeName",
        (string_to_array(btrim(o.path, '/'), '/'))[2]::int AS "streetId", (string_to_array(btrim(o.path, '/'), '/'))[3]::int AS "communityId",
        (SELECT coalesce(json_agg(g.name ORDER BY g.id), '[]') FROM org_units g WHERE g.parent_id = o.id AND g.kind = 'gate') AS gates
      FROM org_units o WHERE o.kind IN ('compound', 'market', 'community', 'street', 'district') ORDER BY o.id`)
  ).rows as { id: number; kind: string; name: string; marketKind: string | null; placeName: string; streetId: number; communityId: number; gates: string[] }[]
  const orgName = new Map(orgRows.map((o) => [o.id, o.name]))
  const districtId = orgRows.find((o) => o.kind === 'district')!.id
  const places: Place[] = orgRows
    .filter((o) => o.kind === 'compound' || o.kind === 'market' || o.kind === 'community')
    .map((o) => ({ id: o.id, kind: o.kind as Place['kind'], name: o.name, placeName: o.placeName, streetId: o.streetId, communityId: o.kind === 'community' ? o.id : o.communityId, marketKind: o.marketKind, gates: o.gates, reports: [], weight: o.kind === 'compound' ? 3 : o.kind === 'market' ? 2.5 : 0.8 }))
  // A few trouble spots report again and again (the rebounds the red/black editor is shown).
  for (const p of places) if (rnd.next() < 0.06) p.weight *= 5
  const totalWeight = places.reduce((a, p) => a + p.weight, 0)
  const pickPlace = () => {
    let x = rnd.next() * totalWeight
    for (const p of places) if ((x -= p.weight) < 0) return p
    return places.at(-1)!
  }
  const staff = (await tx.execute(sql`
    SELECT u.username, u.id, g.role, g.org_id AS "orgId" FROM users u JOIN role_grants g ON g.user_id = u.id
    WHERE u.username IS NOT NULL AND g.role <> 'gatekeeper'`)).rows as { username: string; id: number; role: Role; orgId: number }[]
  const admin = staff.find((s) => s.role === 'district_admin')
  const district: Actor = { userId: admin?.id ?? null, role: 'district_admin', orgId: districtId }
  const staffAt = new Map(staff.map((s) => [s.orgId, s]))
  const unitActor = (orgId: number): Actor => {
    const s = staffAt.get(orgId)
    const kind = orgRows.find((o) => o.id === orgId)?.kind
    return { userId: s?.id ?? null, role: kind === 'market' ? 'unit_handler' : kind === 'street' ? 'street_admin' : 'community_worker', orgId }
  }
  lap('load')

  // --- reporters: a handful of demo residents (invented phones; the demo resident reports a few too)
  const reporters = (
    await tx.execute(sql`
      INSERT INTO users (display_name, phone_hash, phone_enc)
      SELECT x.n, x.h, decode(x.e, 'hex') FROM jsonb_to_recordset(${JSON.stringify(
        Array.from({ length: 20 }, (_, i) => {
          const phone = `138000002${String(i).padStart(2, '0')}`
          const code = Array.from({ length: 4 }, () => rnd.pick('ABCDEFGHJKLMNPQRSTUVWXYZ'.split(''))).join('')
          return { n: `居民${code}`, h: lookupHash(config.hmacKey, `phone:${phone}`), e: encrypt(config.dataKey, phone).toString('hex') }
        }),
      )}::jsonb) AS x(n text, h text, e text)
      RETURNING id`)
  ).rows.map((r) => (r as { id: number }).id)
  await tx.execute(sql`INSERT INTO role_grants (user_id, role, org_id) SELECT unnest(${`{${reporters.join(',')}}`}::int[]), 'resident', NULL`)
  const pickReporter = () => (rnd.next() < 0.01 ? opts.demoResidentUserId : rnd.pick(reporters))

  // --- when reports arrive: a curve that rises in the first fortnight and eases off, by hour of day
  const HOURS = [0.3, 0.2, 0.1, 0.1, 0.1, 0.3, 1, 2, 3.5, 3.5, 3, 2.5, 2.5, 2, 2, 2, 2, 2, 2.5, 3, 3.5, 3, 2, 1]
  const hourSum = HOURS.reduce((a, b) => a + b, 0)
  const today0 = bjDayStart(now)
  const times: number[] = []
  for (let k = days - 1; k >= 0; k--) {
    const d = days - 1 - k // 0 = first day
    const level = d < 12 ? 10 + d * 2.6 : 41 - (d - 12) * 0.5
    const n = Math.max(4, Math.round(level * rnd.between(0.8, 1.2)))
    for (let j = 0; j < n; j++) {
      let x = rnd.next() * hourSum
      let h = 0
      while ((x -= HOURS[h]!) > 0) h++
      const t = today0 - k * DAY + h * HOUR + rnd.int(0, 3599) * 1000
      if (t < now - 5 * MIN) times.push(t)
    }
  }
  times.sort((a, b) => a - b)

  // The daily bulletin: drafted at about 17:00 Beijing and published a little later.
  const slots: Slot[] = []
  for (let k = days - 1; k >= 0; k--) {
    const draftAt = today0 - k * DAY + 16.5 * HOUR + rnd.int(0, 60) * MIN
    slots.push({ draftAt, publishAt: draftAt + rnd.int(10, 40) * MIN, items: [] })
  }

  const ids = (await tx.execute(sql`SELECT nextval(pg_get_serial_sequence('complaints', 'id'))::int AS id FROM generate_series(1, ${times.length}::int)`)).rows.map((r) => (r as { id: number }).id)
  ids.sort((a, b) => a - b)

  const sims: Sim[] = []
  const events: Ev[] = []
  const followers = new Map<number, Set<number>>()
  const codes = new Set<string>()
  let seq = 0
  const ev = (c: Sim, at: number, actor: Actor, kind: string, from: ComplaintStatus | null, to: ComplaintStatus | null, note: string | null, data: Record<string, unknown> = {}, slot?: number) => {
    events.push({ seq: seq++, complaintId: c.id, at, actor, kind, from, to, note, data, slot })
  }
  /** An event that is not a transition (request, decision, reminder, join…). */
  const remark = (c: Sim, at: number, actor: Actor, kind: string, note: string | null, data: Record<string, unknown> = {}) => ev(c, at, actor, kind, null, null, note, data)
  const transition = (c: Sim, at: number, actor: Actor, to: ComplaintStatus, note: string | null, patch: Partial<Sim> = {}, kind = 'transition', slot?: number) => {
    if (!canTransition(c.status, to)) throw new Error(`history seed: ${c.status} → ${to}`)
    const from = c.status
    Object.assign(c, patch, { status: to, updatedAt: at })
    c.timeline.push([at, to])
    ev(c, at, actor, kind, from, to, note, {}, slot)
  }
  const statusAt = (c: Sim, t: number) => {
    let s: ComplaintStatus = 'submitted'
    for (const [at, st] of c.timeline) if (at <= t) s = st
    return s
  }
  /** The minute job (sweepClocks) sees a threshold at the first whole minute after it. */
  const tick = (t: number) => Math.ceil(t / MIN) * MIN + rnd.int(1, 5) * 1000
  /** Reminders at 75 % and escalation at expiry, for whatever clock is running, up to `until`. */
  const runClocks = (c: Sim, until: number) => {
    for (;;) {
      const due: { at: number; apply: () => void }[] = []
      const running = c.status === 'assigned' || c.status === 'signed'
      if (c.status === 'assigned' && !c.signReminded && !c.signOverdue) {
        const at = tick(c.assignedAt! + (c.signDueAt! - c.assignedAt!) * 0.75)
        if (at < c.signDueAt!) due.push({ at, apply: () => ((c.signReminded = true), ev(c, at, SYSTEM, 'reminder', null, null, '签收期限将到')) })
      }
      if (running && !c.rectifyReminded && !c.rectifyOverdue) {
        const at = tick(c.assignedAt! + (c.rectifyDueAt! - c.assignedAt!) * 0.75)
        if (at < c.rectifyDueAt!) due.push({ at, apply: () => ((c.rectifyReminded = true), ev(c, at, SYSTEM, 'reminder', null, null, '整改期限将到')) })
      }
      if (c.status === 'assigned' && !c.signOverdue) {
        const at = tick(c.signDueAt!)
        due.push({ at, apply: () => ((c.signOverdue = true), (c.escalatedAt ??= at), ev(c, at, SYSTEM, 'escalation', null, null, '超时未签收，已提请街道督办')) })
      }
      if (running && !c.rectifyOverdue) {
        const at = tick(c.rectifyDueAt!)
        due.push({ at, apply: () => ((c.rectifyOverdue = true), (c.escalatedAt ??= at), ev(c, at, SYSTEM, 'escalation', null, null, '超期未整改，已提请街道督办')) })
      }
      const next = due.sort((a, b) => a.at - b.at)[0]
      if (!next || next.at >= until) return
      next.apply()
    }
  }
  /** Office hours for people's actions: a delay that lands in the night waits for the morning. */
  const later = (t: number, minM: number, maxM: number) => {
    const r = t + rnd.int(minM, maxM) * MIN + rnd.int(0, 59) * 1000
    const h = bjHour(r)
    if (h >= 22 || h < 7) return bjDayStart(h >= 22 ? r + DAY : r) + 8 * HOUR + rnd.int(0, 90) * MIN
    return r
  }

  /** Residents rate and units report fixes in waking hours: a moment in the night moves to the morning. */
  const awake = (t: number) => {
    const h = bjHour(t)
    return h >= 23 || h < 7 ? bjDayStart(h >= 23 ? t + DAY : t) + 7 * HOUR + rnd.int(0, 120) * MIN : t
  }
  /** 0 on the first day of the window, 1 today: the district gets better at it (fewer late, 红榜越来越长). */
  const progress = (t: number) => Math.min(1, Math.max(0, (t - (today0 - (days - 1) * DAY)) / ((days - 1) * DAY)))

  let recentSeq = 0
  const lastDraft = slots.filter((s) => s.draftAt <= now).at(-1)?.draftAt ?? 0

  for (const [i, createdAt] of times.entries()) {
    const place = pickPlace()
    // Price rises are reported at shops and markets, not at an optician's.
    const fits = Object.entries(T.REPORTS).filter(
      ([code, byKind]) => catByCode.has(code) && byKind[place.kind]?.length && (code !== 'price_gouging' || place.marketKind === 'supermarket' || place.marketKind === 'farmers_market'),
    )
    let x = rnd.next() * fits.reduce((a, [code]) => a + (CATEGORY_WEIGHT[code] ?? 1), 0)
    const [code, byKind] = fits.find(([code]) => (x -= CATEGORY_WEIGHT[code] ?? 1) < 0) ?? fits[0]!
    const cat = catByCode.get(code)!
    const description = rnd.pick(byKind[place.kind]!).replace('{gate}', place.gates.length ? rnd.pick(place.gates.slice(0, 3)) : '大门').replace('{place}', place.name)
    let trackingCode: string
    do trackingCode = `CC${bjDate(createdAt).replace(/-/g, '').slice(2)}${Array.from({ length: 5 }, () => rnd.pick(CODE_ALPHABET)).join('')}`
    while (codes.has(trackingCode))
    codes.add(trackingCode)
    const c: Sim = {
      id: ids[i]!, trackingCode, reporterId: pickReporter(), categoryId: cat.id, cat, place, description, anonymous: rnd.next() < 0.3, createdAt,
      status: 'submitted', rejectReason: null, mergedIntoId: null, assigneeOrgId: null, assignedAt: null, signDueAt: null, rectifyDueAt: null,
      signedAt: null, rectifiedAt: null, rectifiedOnTime: null, verifiedAt: null, signReminded: false, rectifyReminded: false, signOverdue: false,
      rectifyOverdue: false, escalatedAt: null, returns: 0, rectifyText: null, pendingRequest: null, pendingReason: null, pendingUntil: null,
      pendingAt: null, rating: null, ratingComment: null, publishedAt: null, closedAt: null, updatedAt: createdAt, timeline: [[createdAt, 'submitted']],
    }
    sims.push(c)
    // Of the last three days' reports some are stuck where "now" finds them, whatever the hour of the start:
    // not triaged, not assigned, not signed for (overdue, escalated), signed and never fixed, waiting for
    // an extension, a fix or a bulletin — the open work of the home page and the queues.
    const recent = createdAt >= now - 3 * DAY
    play(c, i >= times.length - 3 ? 'submitted' : recent ? STALLS[recentSeq++ % STALLS.length]! : null)
    place.reports.push(c)
  }

  function play(c: Sim, stall: Stall) {
    const reporter: Actor = { userId: c.reporterId, role: 'resident', orgId: null }
    ev(c, c.createdAt, reporter, 'submitted', null, 'submitted', null)
    if (stall === 'submitted') return
    let t = later(c.createdAt, 15, 180)
    if (t > now) return
    // Triage: a duplicate of a report still open at the same place is merged into it; a few are refused.
    let target: Sim | undefined
    for (let k = c.place.reports.length - 1; k >= 0 && !target; k--) {
      const o = c.place.reports[k]!
      if (o.categoryId === c.categoryId && o.createdAt > t - 14 * DAY && OPEN.includes(statusAt(o, t)) && statusAt(o, t) !== 'submitted') target = o
    }
    if (target && rnd.next() < 0.75) {
      transition(c, t, district, 'merged', `合并至 ${target.trackingCode}`, { mergedIntoId: target.id })
      if (c.reporterId !== target.reporterId) addFollower(target, c.reporterId)
      remark(target, t, district, 'merged_in', `并入 ${c.trackingCode}`, { from: c.id })
      return
    }
    if (rnd.next() < 0.04) {
      const reason = rnd.pick(T.REJECT_REASONS)
      transition(c, t, district, 'rejected', reason, { rejectReason: reason })
      return
    }
    transition(c, t, district, 'accepted', null)
    if (stall === 'accepted') return
    const home = c.place.kind === 'market' ? c.place.id : c.place.communityId
    let unit = home
    for (let round = 0; ; round++) {
      t = later(t, 5, 60)
      if (!advance(c, t)) return
      assign(c, t, unit)
      if (stall === 'assigned') return void advance(c, now)
      const actor = unitActor(unit)
      const signMs = c.cat.signHours * HOUR
      // 改派: the unit says it is not theirs; mostly approved and sent to the street.
      if (round === 0 && rnd.next() < 0.03) {
        const tr = t + rnd.int(10, 50) * MIN
        if (!advance(c, tr)) return
        request(c, tr, actor, 'reassign', rnd.pick(T.REASSIGN_REASONS), null)
        const td = later(tr, 20, 180)
        if (!advance(c, td)) return
        if (rnd.next() < 0.7) {
          transition(c, td, district, 'accepted', '同意改派', { ...clearPending, assigneeOrgId: null, signDueAt: null, rectifyDueAt: null }, 'reassign_approved')
          unit = c.place.streetId
          t = td
          continue
        }
        Object.assign(c, clearPending)
        remark(c, td, district, 'reassign_refused', '属地责任，请按期办理')
        t = td
      }
      const r = rnd.next()
      const lateSign = 0.12 - 0.09 * progress(t)
      const signAfter = r < lateSign ? signMs + rnd.between(10 * MIN, 8 * HOUR) : r < lateSign + 0.1 ? rnd.between(0.76 * signMs, 0.98 * signMs) : rnd.between(5 * MIN, 0.7 * signMs)
      const ts = Math.max(t + MIN, c.assignedAt! + signAfter)
      if (!advance(c, ts)) return
      transition(c, ts, actor, 'signed', null, { signedAt: ts })
      if (stall === 'signed') return void advance(c, now)
      t = ts
      if (stall === 'pending' || rnd.next() < 0.06) {
        const tr = t + rnd.int(60, 300) * MIN
        if (!advance(c, tr)) return
        const until = endOfDayShanghai(new Date(c.rectifyDueAt!), 1).getTime()
        request(c, tr, actor, 'extension', rnd.pick(T.EXTENSION_REASONS), until)
        if (stall === 'pending') return void advance(c, now)
        const td = later(tr, 30, 300)
        if (!advance(c, td)) return
        if (rnd.next() < 0.75) {
          Object.assign(c, clearPending, { rectifyDueAt: until, rectifyOverdue: false, rectifyReminded: false })
          remark(c, td, district, 'extension_approved', null)
        } else {
          Object.assign(c, clearPending)
          remark(c, td, district, 'extension_refused', '请按原期限完成整改')
        }
        t = td
      }
      // 整改, then 核验 or 退回 (by the district, or by the street for its own communities).
      for (;;) {
        // Late fixes get rarer as the weeks go by; a returned fix is redone within hours, in time if it can be.
        const late = rnd.next() < 0.12 - 0.1 * progress(t)
        const lo = t + (c.returns > 0 ? 60 : 40) * MIN
        const hi = c.returns > 0 ? Math.min(t + 8 * HOUR, c.rectifyDueAt! - 20 * MIN) : c.rectifyDueAt! - 20 * MIN
        const tf = awake(late && c.returns === 0 ? c.rectifyDueAt! + rnd.between(HOUR, 30 * HOUR) : hi > lo ? rnd.between(lo, hi) : lo + rnd.int(0, 300) * MIN)
        if (!advance(c, tf)) return
        const text = rnd.pick(T.FIXES[c.cat.code] ?? T.FIXES.other!)
        const pending = c.pendingRequest
        transition(c, tf, actor, 'rectified', null, {
          rectifyText: text,
          rectifiedAt: tf,
          rectifiedOnTime: c.rectifiedOnTime === false ? false : tf <= c.rectifyDueAt!,
          ...clearPending,
        })
        if (pending) remark(c, tf, actor, `${pending}_withdrawn`, '已上报整改，申请自动撤回')
        if (stall === 'rectified') return
        let tv = later(tf, 30, 480)
        if (!advance(c, tv)) return
        const byStreet = c.assigneeOrgId !== c.place.streetId && c.place.kind !== 'market' && rnd.next() < 0.2
        const verifier = byStreet ? unitActor(c.place.streetId) : district
        if (c.returns < 2 && rnd.next() < 0.09) {
          transition(c, tv, verifier, 'signed', rnd.pick(T.RETURN_NOTES), { returns: c.returns + 1 }, 'returned')
          t = tv
          continue
        }
        // Waiting for tomorrow's bulletin: verified after the last draft.
        if (stall === 'verified' && tv < lastDraft) tv = Math.min(now - MIN, lastDraft + rnd.int(5, 60) * MIN)
        transition(c, tv, verifier, 'verified', null, { verifiedAt: tv })
        t = tv
        break
      }
      // The next bulletin drafted after the verification publishes it.
      const si = slots.findIndex((s) => s.draftAt > c.verifiedAt!)
      if (si < 0 || slots[si]!.publishAt > now) return
      const slot = slots[si]!
      slot.items.push({
        complaintId: c.id,
        verifiedAt: c.verifiedAt!,
        problem: redactPublicText(`网友反映${c.place.placeName}${c.cat.name}：${c.description}`).slice(0, 500),
        place: redactPublicText(c.place.placeName).slice(0, 200),
        measures: redactPublicText(`${orgName.get(c.assigneeOrgId!) ?? '责任单位'}：${c.rectifyText ?? ''}`).slice(0, 1000),
      })
      t = slot.publishAt
      transition(c, t, district, 'published', null, { publishedAt: t, rating: null, ratingComment: null }, 'transition', si)
      // Rated by most reporters within three days; the rest close by themselves after seven (job at :17).
      const autoAt = (() => {
        const x = t + 7 * DAY
        const h0 = Math.floor(x / HOUR) * HOUR + 17 * MIN
        return (h0 > x ? h0 : h0 + HOUR) + rnd.int(1, 20) * 1000
      })()
      const rated = rnd.next() < 0.75 ? awake(t + rnd.between(10 * MIN, 3 * DAY)) : null
      if (rated === null || rated > autoAt) {
        if (autoAt > now) return
        transition(c, autoAt, SYSTEM, 'closed', '7天未评价，自动办结', { closedAt: autoAt })
        return
      }
      if (rated > now) return
      if (round > 0 || rnd.next() < 0.93) {
        const comment = rnd.pick(T.SATISFIED_COMMENTS)
        transition(c, rated, reporter, 'closed', comment, { rating: 'satisfied', ratingComment: comment === '满意' ? null : comment, closedAt: rated }, 'rated')
        return
      }
      const comment = rnd.pick(T.UNSATISFIED_COMMENTS)
      transition(c, rated, reporter, 'reopened', comment, { rating: 'unsatisfied', ratingComment: comment }, 'rated')
      t = later(rated, 30, 300)
      if (!advance(c, t)) return
      transition(c, t, district, 'accepted', '网友不满意，重新交办')
      unit = c.assigneeOrgId ?? home
    }
  }

  function advance(c: Sim, t: number) {
    runClocks(c, Math.min(t, now))
    return t <= now
  }
  function assign(c: Sim, t: number, unit: number) {
    const signDueAt = t + c.cat.signHours * HOUR
    const rectifyDueAt = endOfDayShanghai(new Date(t), c.cat.rectifyDays).getTime()
    transition(c, t, district, 'assigned', `交办 ${orgName.get(unit)}`, {
      assigneeOrgId: unit, assignedAt: t, signDueAt, rectifyDueAt, signedAt: null, signReminded: false, rectifyReminded: false,
      signOverdue: false, rectifyOverdue: false, escalatedAt: null, ...clearPending,
    })
  }
  function request(c: Sim, t: number, actor: Actor, kind: 'extension' | 'reassign', reason: string, until: number | null) {
    Object.assign(c, { pendingRequest: kind, pendingReason: reason, pendingUntil: until, pendingAt: t })
    remark(c, t, actor, kind === 'extension' ? 'extension_requested' : 'reassign_requested', reason, until ? { until: new Date(until).toISOString() } : {})
  }
  function addFollower(c: Sim, userId: number) {
    const set = followers.get(c.id) ?? new Set<number>()
    set.add(userId)
    followers.set(c.id, set)
  }

  // 我也遇到: other residents join some reports while they are open (shown as similar, then followed).
  for (const c of sims) {
    if (c.status === 'merged' || c.status === 'rejected' || rnd.next() > 0.14) continue
    const closes = c.timeline.find(([, s]) => !OPEN.includes(s))?.[0] ?? now
    for (let k = rnd.int(1, 3); k > 0; k--) {
      const u = rnd.pick(reporters)
      const at = rnd.between(c.createdAt + 20 * MIN, Math.min(closes, now))
      if (u === c.reporterId || followers.get(c.id)?.has(u) || at >= Math.min(closes, now)) continue
      addFollower(c, u)
      remark(c, at, { userId: u, role: 'resident', orgId: null }, 'follow', null)
    }
  }
  lap('simulate')

  // --- write: reports (final rows; the counter triggers fire per row), then their events in time order
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())
  const rows = sims.map((c) => ({
    id: c.id, tracking_code: c.trackingCode, reporter_id: c.reporterId, client_key: `history-${c.id}`, category_id: c.categoryId,
    place_org_id: c.place.id, street_org_id: c.place.streetId, description: c.description, anonymous: c.anonymous, status: c.status,
    reject_reason: c.rejectReason, merged_into_id: c.mergedIntoId, assignee_org_id: c.assigneeOrgId, assigned_at: iso(c.assignedAt),
    sign_due_at: iso(c.signDueAt), rectify_due_at: iso(c.rectifyDueAt), signed_at: iso(c.signedAt), rectified_at: iso(c.rectifiedAt),
    rectified_on_time: c.rectifiedOnTime, verified_at: iso(c.verifiedAt), sign_reminded: c.signReminded, rectify_reminded: c.rectifyReminded,
    sign_overdue: c.signOverdue, rectify_overdue: c.rectifyOverdue, escalated_at: iso(c.escalatedAt), returns: c.returns,
    rectify_text: c.rectifyText, pending_request: c.pendingRequest, pending_reason: c.pendingReason, pending_until: iso(c.pendingUntil),
    pending_at: iso(c.pendingAt), rating: c.rating, rating_comment: c.ratingComment, published_at: iso(c.publishedAt), closed_at: iso(c.closedAt),
    created_at: iso(c.createdAt), updated_at: iso(c.updatedAt),
  }))
  const ts = 'timestamptz'
  await insertColumns(
    tx,
    'complaints',
    columns(rows, {
      id: 'int', tracking_code: 'text', reporter_id: 'int', client_key: 'text', category_id: 'int', place_org_id: 'int', street_org_id: 'int',
      description: 'text', anonymous: 'bool', status: 'complaint_status', reject_reason: 'text', merged_into_id: 'int', assignee_org_id: 'int',
      assigned_at: ts, sign_due_at: ts, rectify_due_at: ts, signed_at: ts, rectified_at: ts, rectified_on_time: 'bool', verified_at: ts,
      sign_reminded: 'bool', rectify_reminded: 'bool', sign_overdue: 'bool', rectify_overdue: 'bool', escalated_at: ts, returns: 'int2',
      rectify_text: 'text', pending_request: 'complaint_request_kind', pending_reason: 'text', pending_until: ts, pending_at: ts,
      rating: 'complaint_rating', rating_comment: 'text', published_at: ts, closed_at: ts, created_at: ts, updated_at: ts,
    }),
  )
  lap('complaints')

  // Bulletins are numbered in publishing order, one per day that had verified items; no gaps.
  const used = slots.map((s, i) => ({ s, i })).filter((x) => x.s.items.length && x.s.publishAt <= now)
  const titleOf = new Map(used.map((x, n) => [x.i, bulletinTitle(n + 1)]))
  events.sort((a, b) => a.at - b.at || a.seq - b.seq)
  await insertColumns(
    tx,
    'complaint_events',
    columns(
      events.map((e) => ({
        complaint_id: e.complaintId, at: iso(e.at), actor_user_id: e.actor.userId, actor_role: e.actor.role, actor_org_id: e.actor.orgId, kind: e.kind,
        from_status: e.from, to_status: e.to, note: e.slot !== undefined ? titleOf.get(e.slot)! : e.note, data: JSON.stringify(e.data),
      })),
      { complaint_id: 'int', at: ts, actor_user_id: 'int', actor_role: 'role', actor_org_id: 'int', kind: 'text', from_status: 'complaint_status', to_status: 'complaint_status', note: 'text', data: 'jsonb' },
    ),
  )
  const followRows = [...followers].flatMap(([complaintId, us]) => [...us].map((u) => ({ complaint_id: complaintId, user_id: u })))
  if (followRows.length) await insertColumns(tx, 'complaint_followers', columns(followRows, { complaint_id: 'int', user_id: 'int' }))
  lap('events')

  // Each bulletin as the editor makes it: a draft with its items, then published (items of a published
  // bulletin are refused by the immutability trigger). One draft per district at a time, so one by one.
  for (const [n, { s }] of used.entries()) {
    const [b] = (await tx.execute(sql`
      INSERT INTO bulletins (district_org_id, title, created_by, created_at)
      VALUES (${districtId}, '崇川区网友反馈问题整改通报(草稿)', ${district.userId}, ${iso(s.draftAt)}::timestamptz) RETURNING id`)).rows as { id: number }[]
    const items = s.items.sort((a, z) => a.verifiedAt - z.verifiedAt || a.complaintId - z.complaintId)
    await insertColumns(
      tx,
      'bulletin_items',
      columns(
        items.map((it, k) => ({ bulletin_id: b!.id, complaint_id: it.complaintId, seq: k + 1, problem: it.problem, place: it.place, measures: it.measures })),
        { bulletin_id: 'int', complaint_id: 'int', seq: 'int2', problem: 'text', place: 'text', measures: 'text' },
      ),
    )
    await tx.execute(sql`UPDATE bulletins SET status = 'published', number = ${n + 1}, title = ${bulletinTitle(n + 1)}, published_at = ${iso(s.publishAt)}::timestamptz WHERE id = ${b!.id}`)
  }
  if (used.length)
    await tx.execute(sql`
      INSERT INTO bulletin_counters (district_org_id, last_number) VALUES (${districtId}, ${used.length})
      ON CONFLICT (district_org_id) DO UPDATE SET last_number = EXCLUDED.last_number`)
  lap('bulletins')

  // 消息: what the demo resident (the one people log in as) was told at each step of their own reports,
  // worded as the services word it; read except for the last two days.
  await tx.execute(sql`
    INSERT INTO messages (user_id, complaint_id, title, body, created_at, read_at)
    SELECT c.reporter_id, c.id, m.title,
      CASE e.to_status
        WHEN 'submitted' THEN '跟踪码 ' || c.tracking_code || '，我们将尽快受理。'
        WHEN 'rejected' THEN '跟踪码 ' || c.tracking_code || '：' || e.note
        WHEN 'merged' THEN '同一问题已有人反映，' || e.note || ' 一并办理。'
        WHEN 'published' THEN '跟踪码 ' || c.tracking_code || ' 已在《' || e.note || '》中公布，请您评价整改效果。'
        ELSE '跟踪码 ' || c.tracking_code || m.body END,
      e.at, CASE WHEN e.at < ${iso(now - 2 * DAY)}::timestamptz THEN e.at + interval '2 hours' END
    FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
    JOIN (VALUES ('submitted', '已收到您的反映', ''), ('accepted', '您的反映已受理', '：区指挥部已受理，将交办责任单位整改。'),
                 ('rejected', '您的反映未予受理', ''), ('merged', '您的反映已合并办理', ''), ('assigned', '您的反映已交办', '：已交办责任单位整改。'),
                 ('verified', '整改已核验', '：整改已核验，将在整改通报中公布。'), ('published', '整改情况已通报', '')) AS m(status, title, body)
      ON m.status = e.to_status::text
    WHERE c.reporter_id = ${opts.demoResidentUserId} AND (e.to_status <> 'accepted' OR e.from_status = 'submitted')
    ORDER BY e.at, e.id`)

  // 今日受理 etc. by day: the 'accepted' deltas are booked at now() by the UPDATE trigger, which a row
  // inserted in its final state never passes through; the product's own rebuild recounts them from the rows.
  await tx.execute(sql`SELECT complaint_counters_rebuild()`)
  lap('counters')

  const gate = await seedGateHistory(tx, config, { now, rnd: prng(20200206) })
  lap('gate')
  const quarantine = await seedQuarantineHistory(tx, { now, days: 45 })
  lap('quarantine')

  return { complaints: sims.length, events: events.length, bulletins: used.length, ...gate, ...quarantine, timings }
}
