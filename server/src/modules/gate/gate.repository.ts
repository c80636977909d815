import type { DbOrTx } from '../../db/client.js'
import { HOME_QUARANTINE_EXISTS } from '../quarantine/quarantine.gate.js'

/**
 * Runs `text` as a named prepared statement (parsed and planned once per connection). Used for the scan
 * path and the counters a gate reads on every load; timestamps come back as text.
 */
export async function run<T>(db: DbOrTx, name: string, text: string, values: unknown[]): Promise<T[]> {
  const r = (await db._.session.prepareQuery({ sql: text, params: values }, undefined, name, false).execute()) as unknown as { rows: T[] }
  return r.rows
}

export interface GateInfo {
  id: number
  name: string
  staffed: boolean
  path: string
  compoundId: number
  compoundName: string
  communityId: number
}

const GATE_SQL = `SELECT g.id, g.name, coalesce(g.staffed, false) AS staffed, g.path, c.id AS "compoundId", c.name AS "compoundName"
  FROM org_units g JOIN org_units c ON c.id = g.parent_id WHERE g.id = $1 AND g.kind = 'gate'`

/** Gates never move between compounds; names change rarely: remembered for a minute. */
const GATE_TTL_MS = 60_000
const gates = new Map<number, { at: number; gate: GateInfo | null }>()

export async function gateInfo(db: DbOrTx, id: number): Promise<GateInfo | null> {
  const hit = gates.get(id)
  if (hit && Date.now() - hit.at < GATE_TTL_MS) return hit.gate
  const [row] = await run<Omit<GateInfo, 'communityId'>>(db, 'gate_info', GATE_SQL, [id])
  // path: /district/street/community/grid/compound/gate/
  const gate = row ? { ...row, communityId: Number(row.path.split('/')[3]) } : null
  if (gates.size > 5000) gates.clear()
  gates.set(id, { at: Date.now(), gate })
  return gate
}

export interface PassFacts {
  id: number
  status: 'active' | 'suspended' | 'revoked'
  compoundId: number
  nameMasked: string
  passExpired: boolean
  /** null when no device key was asked about. */
  deviceRevoked: boolean | null
  /** null when no card code was asked about; true when the card was revoked, reissued or has expired. */
  cardRevoked: boolean | null
  /** Under home quarantine now (a returnee in state home with this resident's ID hash). */
  homeQuarantine: boolean
}

/**
 * Everything the server knows about the subject of a scan, in one statement: the pass (by id, or by a card
 * code), its status and compound, whether the device key or card the code came from is still current.
 */
export const PASS_FACTS_SQL = `SELECT p.id, p.status, p.compound_id AS "compoundId", r.name_masked AS "nameMasked",
    p.valid_until < now() AS "passExpired",
    CASE WHEN $2::text IS NULL THEN NULL ELSE (d.id IS NULL OR d.revoked_at IS NOT NULL) END AS "deviceRevoked",
    CASE WHEN $3::text IS NULL THEN NULL ELSE (c.id IS NULL OR c.revoked_at IS NOT NULL OR c.credential_exp < now()) END AS "cardRevoked",
    ${HOME_QUARANTINE_EXISTS} AS "homeQuarantine"
  FROM passes p
  JOIN residents r ON r.id = p.resident_id
  LEFT JOIN pass_devices d ON d.public_key = $2::text AND d.pass_id = p.id
  LEFT JOIN pass_cards c ON c.code = $3::text AND c.pass_id = p.id
  WHERE p.id = coalesce($1::int, (SELECT pc.pass_id FROM pass_cards pc WHERE pc.code = $3::text))`

export interface FactsQuery {
  pid: number | null
  dpk: string | null
  card: string | null
}

export async function passFacts(db: DbOrTx, q: FactsQuery): Promise<PassFacts | null> {
  const [row] = await run<PassFacts>(db, 'gate_pass_facts', PASS_FACTS_SQL, [q.pid, q.dpk, q.card])
  return row ?? null
}

/** The same look-up for many scans in one statement (the scan path batches concurrent scans). */
const PASS_FACTS_MANY_SQL = `SELECT q.ord::int AS ord, x.* FROM unnest($1::int[], $2::text[], $3::text[]) WITH ORDINALITY AS q(pid, dpk, card, ord)
  JOIN LATERAL (
    SELECT p.id, p.status, p.compound_id AS "compoundId", r.name_masked AS "nameMasked",
      p.valid_until < now() AS "passExpired",
      CASE WHEN q.dpk IS NULL THEN NULL ELSE (d.id IS NULL OR d.revoked_at IS NOT NULL) END AS "deviceRevoked",
      CASE WHEN q.card IS NULL THEN NULL ELSE (c.id IS NULL OR c.revoked_at IS NOT NULL OR c.credential_exp < now()) END AS "cardRevoked",
      ${HOME_QUARANTINE_EXISTS} AS "homeQuarantine"
    FROM passes p
    JOIN residents r ON r.id = p.resident_id
    LEFT JOIN pass_devices d ON d.public_key = q.dpk AND d.pass_id = p.id
    LEFT JOIN pass_cards c ON c.code = q.card AND c.pass_id = p.id
    WHERE p.id = coalesce(q.pid, (SELECT pc.pass_id FROM pass_cards pc WHERE pc.code = q.card))
  ) x ON true`

export async function passFactsMany(db: DbOrTx, qs: FactsQuery[]): Promise<(PassFacts | null)[]> {
  if (qs.length === 1) return [await passFacts(db, qs[0]!)]
  const rows = await run<PassFacts & { ord: number }>(db, 'gate_pass_facts_many', PASS_FACTS_MANY_SQL, [qs.map((q) => q.pid), qs.map((q) => q.dpk), qs.map((q) => q.card)])
  const out: (PassFacts | null)[] = qs.map(() => null)
  for (const { ord, ...f } of rows) out[ord - 1] = f
  return out
}

/**
 * Batches the scan path's look-ups like the check writer batches its inserts: one at once when idle,
 * the ones that arrive meanwhile together in the next statement.
 */
export function createFactsLoader(db: DbOrTx, opts = { inflight: 2, batch: 200 }) {
  const queue: { q: FactsQuery; resolve: (f: PassFacts | null) => void; reject: (e: unknown) => void }[] = []
  let inflight = 0
  function pump() {
    while (inflight < opts.inflight && queue.length) {
      const batch = queue.splice(0, opts.batch)
      inflight++
      passFactsMany(
        db,
        batch.map((b) => b.q),
      )
        .then((fs) => batch.forEach((b, i) => b.resolve(fs[i]!)))
        .catch((e) => batch.forEach((b) => b.reject(e)))
        .finally(() => {
          inflight--
          pump()
        })
    }
  }
  return {
    load(q: FactsQuery): Promise<PassFacts | null> {
      return new Promise((resolve, reject) => {
        queue.push({ q, resolve, reject })
        pump()
      })
    },
  }
}

/**
 * Checks and their exactly-once keys in one statement, for one check or a batch: the key rows go first;
 * only keys that are new get their check row, so a repeated client id stores nothing and reads back the
 * first verdict. Arrays in, so every batch size is the same prepared statement.
 */
export const INSERT_CHECKS_SQL = `WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::int[], $6::gate_direction[], $7::gate_subject_kind[],
      $8::int[], $9::int[], $10::numeric[], $11::boolean[], $12::health_color[], $13::timestamptz[], $14::gate_verdict[], $15::text[],
      $16::gate_verdict[], $17::int[], $18::boolean[], $19::boolean[])
    AS t(client_id, client_time, gate_id, compound_id, gatekeeper_id, direction, subject_kind, pass_id, visitor_id, temperature, mask,
      color, nat_at, verdict, reasons, gate_verdict, rule_version, offline, case_hold)
  ), k AS (
    INSERT INTO gate_check_keys (client_id, checked_at, check_id, verdict, reasons)
    SELECT client_id, now(), nextval(pg_get_serial_sequence('gate_checks', 'id')), verdict, string_to_array(reasons, ',') FROM input
    ON CONFLICT (client_id) DO NOTHING
    RETURNING client_id, checked_at, check_id, verdict, reasons
  ), c AS (
    INSERT INTO gate_checks (id, checked_at, client_id, client_time, gate_id, compound_id, gatekeeper_id, direction, subject_kind,
      pass_id, visitor_id, temperature, mask, color, nat_at, verdict, reasons, gate_verdict, rule_version, offline, case_hold)
    SELECT k.check_id, k.checked_at, k.client_id, i.client_time, i.gate_id, i.compound_id, i.gatekeeper_id, i.direction, i.subject_kind,
      i.pass_id, i.visitor_id, i.temperature, i.mask, i.color, i.nat_at, k.verdict, k.reasons, i.gate_verdict, i.rule_version, i.offline, i.case_hold
    FROM k JOIN input i ON i.client_id = k.client_id
    -- The rollup trigger locks one gate_daily row per (gate, direction, verdict, reason): taking them in one
    -- order in every statement means two batches in flight wait for each other instead of deadlocking.
    ORDER BY i.gate_id, i.direction, k.verdict, k.reasons[1]
    RETURNING id
  )
  SELECT k.client_id AS "clientId", true AS stored, k.check_id AS "checkId", k.verdict, k.reasons FROM k
  UNION ALL
  SELECT g.client_id, false, g.check_id, g.verdict, g.reasons FROM gate_check_keys g
  WHERE g.client_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM k WHERE k.client_id = g.client_id)`

export interface StoredCheck {
  stored: boolean
  checkId: number
  verdict: 'pass' | 'deny' | 'register'
  reasons: string[]
}

export interface CheckRow {
  clientId: string
  clientTime: string
  gateId: number
  compoundId: number
  gatekeeperId: number
  direction: 'in' | 'out'
  subjectKind: 'pass' | 'card' | 'visitor' | 'none'
  passId: number | null
  visitorId: number | null
  temperature: number | null
  mask: boolean | null
  color: string | null
  natAt: string | null
  verdict: 'pass' | 'deny' | 'register'
  reasons: string[]
  gateVerdict: 'pass' | 'deny' | 'register' | null
  ruleVersion: number
  offline: boolean
  caseHold: boolean
}

/**
 * Stores checks exactly once by client id; answers in the order given. A client id twice in one batch is
 * stored once, the later copy answered as the repeat it is.
 */
export async function insertChecks(db: DbOrTx, rows: CheckRow[]): Promise<StoredCheck[]> {
  const unique = [...new Map(rows.map((r) => [r.clientId.toLowerCase(), r])).values()]
  const col = <K extends keyof CheckRow>(k: K) => unique.map((r) => r[k])
  const values = [
    col('clientId'), col('clientTime'), col('gateId'), col('compoundId'), col('gatekeeperId'), col('direction'), col('subjectKind'),
    col('passId'), col('visitorId'), col('temperature'), col('mask'), col('color'), col('natAt'), col('verdict'),
    unique.map((r) => r.reasons.join(',')), col('gateVerdict'), col('ruleVersion'), col('offline'), col('caseHold'),
  ]
  const out = await run<StoredCheck & { clientId: string }>(db, 'gate_insert_checks', INSERT_CHECKS_SQL, values)
  const byId = new Map(out.map((r) => [r.clientId.toLowerCase(), r]))
  const seen = new Set<string>()
  const missing = unique.filter((r) => !byId.has(r.clientId.toLowerCase())).map((r) => r.clientId)
  if (missing.length) {
    // The same client id raced in from another connection and committed after this statement's snapshot.
    const again = await run<StoredCheck & { clientId: string }>(
      db,
      'gate_check_keys_by_id',
      'SELECT client_id AS "clientId", false AS stored, check_id AS "checkId", verdict, reasons FROM gate_check_keys WHERE client_id = ANY($1::uuid[])',
      [missing],
    )
    for (const r of again) byId.set(r.clientId.toLowerCase(), r)
  }
  return rows.map((r) => {
    const id = r.clientId.toLowerCase()
    const s = byId.get(id)
    if (!s) throw new Error('gate check neither stored nor found')
    const first = !seen.has(id)
    seen.add(id)
    return { stored: s.stored && first, checkId: s.checkId, verdict: s.verdict, reasons: s.reasons }
  })
}

/**
 * Group commit for the scan path: a check is written at once when nothing is in flight; checks arriving
 * while statements are running wait (never on a timer) and go together in the next statement. Each
 * caller is answered only after its statement committed, so an answered check is durable.
 */
export function createCheckWriter(db: DbOrTx, opts = { inflight: 2, batch: 200 }) {
  const queue: { row: CheckRow; resolve: (s: StoredCheck) => void; reject: (e: unknown) => void }[] = []
  let inflight = 0
  function pump() {
    while (inflight < opts.inflight && queue.length) {
      const batch = queue.splice(0, opts.batch)
      inflight++
      insertChecks(
        db,
        batch.map((b) => b.row),
      )
        .then((stored) => batch.forEach((b, i) => b.resolve(stored[i]!)))
        .catch((e) => batch.forEach((b) => b.reject(e)))
        .finally(() => {
          inflight--
          pump()
        })
    }
  }
  return {
    write(row: CheckRow): Promise<StoredCheck> {
      return new Promise((resolve, reject) => {
        queue.push({ row, resolve, reject })
        pump()
      })
    },
  }
}

export async function insertCheck(db: DbOrTx, c: CheckRow): Promise<StoredCheck> {
  return (await insertChecks(db, [c]))[0]!
}
