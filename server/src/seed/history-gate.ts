import { sql } from 'drizzle-orm'
import { DEFAULT_RULES, QUARANTINE_STATES, evaluate, maskName, type CheckFacts, type HealthColor, type RuleSet, type Subject } from '@cc/shared'
import type { AppConfig } from '../config.js'
import { encrypt, lookupHash } from '../crypto.js'
import type { Tx } from '../db/client.js'
import { DAY, HOUR, MIN, bjDate, bjDayStart, columns, insertColumns, type Rnd } from './history.js'
import { VISIT_ORIGINS, VISIT_PURPOSES } from './history-text.js'

/** The two compounds with a household register (seed/register.ts): their staffed gates checked everyone. */
const GATE_COMPOUNDS = ['任港路新村', '濠城新村']
/** Checks per registered resident per day (out and back, some twice): about 2,000 a day at the two compounds. */
const CHECKS_PER_RESIDENT = 2.7
/** Share of the day's checks in each Beijing hour: a morning and an evening peak. */
const HOURLY = [0.4, 0.2, 0.1, 0.1, 0.2, 0.8, 3.5, 8, 9, 6, 4.5, 4.5, 5, 4.5, 4, 4, 5, 7.5, 8.5, 7, 5, 3.5, 2, 1]
const SURNAMES = '陈顾陆张王朱徐季曹施缪丁黄李刘杨吴周孙沈钱'.split('')
const GIVEN = ['海军', '建平', '红霞', '志明', '玉珍', '晓峰', '丽萍', '国强', '春燕', '永刚']

const uuid = (rnd: Rnd) => {
  const h = Array.from({ length: 4 }, () => Math.floor(rnd.next() * 2 ** 32).toString(16).padStart(8, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[rnd.int(0, 3)]}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * 14 days of checks at the staffed gates, decided by the same evaluate() the server uses, so verdicts and
 * reasons are what the gate would have shown. Visitors are stopped (登记), registered and let out as at the
 * gate. The partitions of the window exist first; gate_daily is filled the way the gate bench fills it.
 */
export async function seedGateHistory(tx: Tx, config: AppConfig, o: { now: number; rnd: Rnd; days?: number }) {
  const { now, rnd } = o
  const days = o.days ?? 14
  const first = bjDayStart(now) - (days - 1) * DAY
  await tx.execute(sql`SELECT gate_checks_ensure_partitions(${bjDate(first)}::date, 2)`)
  // Version 1 is the seeds' rules; it has been in force for the whole window.
  await tx.execute(sql`
    INSERT INTO admission_rule_sets (version, rules, note, status, valid_from, activated_at)
    SELECT 1, ${JSON.stringify(DEFAULT_RULES)}::jsonb, '初始规则（依据疫情防控工作要求）', 'active', ${new Date(first - DAY).toISOString()}::timestamptz, ${new Date(first - DAY).toISOString()}::timestamptz
    WHERE NOT EXISTS (SELECT 1 FROM admission_rule_sets)`)
  const [active] = (await tx.execute(sql`SELECT version, rules FROM admission_rule_sets WHERE status = 'active'`)).rows as { version: number; rules: Omit<RuleSet, 'version'> }[]
  const ruleSet: RuleSet = active ? { ...active.rules, version: active.version } : { ...DEFAULT_RULES, version: 1 }

  const staff = new Map(((await tx.execute(sql`SELECT username, id FROM users WHERE username IS NOT NULL`)).rows as { username: string; id: number }[]).map((u) => [u.username, u.id]))
  const checks: Record<string, unknown>[] = []
  const visitors: Record<string, unknown>[] = []
  for (const name of GATE_COMPOUNDS) {
    const [cp] = (await tx.execute(sql`SELECT id FROM org_units WHERE kind = 'compound' AND name = ${name} ORDER BY id LIMIT 1`)).rows as { id: number }[]
    if (!cp) continue
    const gates = (await tx.execute(sql`SELECT id, name FROM org_units WHERE parent_id = ${cp.id} AND kind = 'gate' AND staffed ORDER BY id`)).rows as { id: number; name: string }[]
    // Residents in home quarantine (and their suspended passes) stay in: not among the people at the gates.
    const passes = (
      await tx.execute(sql`
        SELECT p.id, p.status, r.no_smartphone AS "noPhone" FROM passes p JOIN residents r ON r.id = p.resident_id
        WHERE p.compound_id = ${cp.id} AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM quarantine_cases qc WHERE qc.resident_id = r.id AND qc.state IN ('home', 'centralised'))
        ORDER BY p.id`)
    ).rows as { id: number; status: 'active' | 'suspended' | 'revoked'; noPhone: boolean }[]
    const hosts = ((await tx.execute(sql`SELECT id FROM households WHERE compound_id = ${cp.id} ORDER BY id`)).rows as { id: number }[]).map((h) => h.id)
    if (!gates.length || !passes.length) continue
    const keeper = (gi: number) => (name === '任港路新村' ? (gi === 0 ? staff.get('menwei') : staff.get('daqing')) : staff.get('haocheng')) ?? staff.get('admin')!
    const gateWeights = gates.map((_, i) => (i === 0 ? 3 : 1.5))
    const pickGate = () => {
      let x = rnd.next() * gateWeights.reduce((a, b) => a + b, 0)
      for (const [i, w] of gateWeights.entries()) if ((x -= w) < 0) return i
      return 0
    }
    const hourSum = HOURLY.reduce((a, b) => a + b, 0)
    const pickTime = (day0: number) => {
      let x = rnd.next() * hourSum
      let h = 0
      while ((x -= HOURLY[h]!) > 0 && h < 23) h++
      return day0 + h * HOUR + rnd.int(0, 3_599_999)
    }
    const check = (at: number, gi: number, direction: 'in' | 'out', subject: Subject, ids: { passId?: number; visitorId?: number }, f: { temperature: number | null; mask: boolean | null; color: HealthColor | null; natAt: number | null }) => {
      const facts: CheckFacts = { direction, subject, temperature: f.temperature, mask: f.mask, color: f.color, natAt: f.natAt === null ? null : new Date(f.natAt).toISOString(), now: new Date(at).toISOString() }
      const d = evaluate(ruleSet, facts)
      const codes: string[] = d.reasons.map((r) => r.code)
      const offline = rnd.next() < 0.04
      checks.push({
        at,
        checked_at: new Date(at).toISOString(), client_id: uuid(rnd), client_time: new Date(at - (offline ? 0 : rnd.int(40, 900))).toISOString(),
        gate_id: gates[gi]!.id, compound_id: cp.id, gatekeeper_id: keeper(gi), direction, subject_kind: subject.kind,
        pass_id: ids.passId ?? null, visitor_id: ids.visitorId ?? null, temperature: f.temperature, mask: f.mask, color: f.color,
        nat_at: facts.natAt, verdict: d.verdict, reasons: codes.join(','), gate_verdict: d.verdict, rule_version: d.ruleVersion, offline,
        case_hold: d.verdict === 'deny' && (codes.includes('red_code') || codes.includes('home_quarantine')),
      })
      return d.verdict
    }
    // Health facts as a volunteer records them on the way in; going out only the code is glanced at.
    const entryFacts = (at: number) => {
      const x = rnd.next()
      const color: HealthColor = x < 0.0008 ? 'red' : x < 0.008 ? 'yellow' : x < 0.024 ? 'green_star' : 'green'
      const natAt = color === 'green_star' && rnd.next() < 0.8 ? at - rnd.int(4, 40) * HOUR : null
      const temperature = rnd.next() < 0.003 ? Math.round(rnd.between(37.3, 38.6) * 10) / 10 : Math.round(rnd.between(36.0, 37.1) * 10) / 10
      return { temperature, mask: rnd.next() > 0.012, color, natAt }
    }
    const exitFacts = () => ({ temperature: null, mask: true, color: 'green' as HealthColor, natAt: null })
    const code = { ok: true as const, payload: {} as never, ageSeconds: 3 }

    for (let k = 0; k < days; k++) {
      const day0 = first + k * DAY
      const n = Math.round(passes.length * CHECKS_PER_RESIDENT * rnd.between(0.9, 1.1))
      for (let j = 0; j < n; j++) {
        const at = pickTime(day0)
        if (at > now) continue
        const h = Math.floor((at - day0) / HOUR)
        const outShare = h < 11 ? 0.68 : h >= 16 ? 0.3 : 0.5
        const direction = rnd.next() < outShare ? 'out' : 'in'
        const p = rnd.pick(passes)
        const card = p.noPhone && rnd.next() < 0.8
        const subject: Subject = card
          ? { kind: 'card', code: null, passStatus: p.status, compoundMatches: true, homeQuarantine: false }
          : { kind: 'pass', code, passStatus: p.status, compoundMatches: true, homeQuarantine: false, deviceRevoked: false }
        check(at, pickGate(), direction, subject, { passId: p.id }, direction === 'in' ? entryFacts(at) : exitFacts())
      }
      // Visitors: stopped (登记), registered, checked in, and let out later at any staffed gate.
      for (let v = rnd.int(10, 18) * (name === '任港路新村' ? 2 : 1); v > 0; v--) {
        const at = pickTime(day0)
        if (at > now - 5 * MIN) continue
        const gi = pickGate()
        const f = entryFacts(at)
        // Turned away (fever, no mask, a red or yellow code): never registered.
        if (check(at, gi, 'in', { kind: 'none' }, {}, f) === 'deny') continue
        const inAt = at + rnd.int(60, 240) * 1000
        const out = inAt + rnd.int(15, 180) * MIN
        const left = out < now
        const outGi = pickGate()
        const vid = visitors.length + 1
        const vname = rnd.pick(SURNAMES) + rnd.pick(GIVEN)
        const phone = `170${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`
        visitors.push({
          key: vid, client_id: uuid(rnd), compound_id: cp.id, gate_id: gates[gi]!.id, name: vname, name_masked: maskName(vname),
          phone_enc: `\\x${encrypt(config.dataKey, phone).toString('hex')}`, phone_hash: lookupHash(config.hmacKey, `phone:${phone}`), phone_last4: phone.slice(-4),
          purpose: rnd.pick(VISIT_PURPOSES), host_household_id: hosts.length ? rnd.pick(hosts) : null, origin: rnd.pick(VISIT_ORIGINS),
          in_at: new Date(inAt).toISOString(), out_at: left ? new Date(out).toISOString() : null, out_gate_id: left ? gates[outGi]!.id : null, created_by: keeper(gi),
        })
        // Registered: the same person checked again as a visitor (ids are filled in once the rows exist).
        check(inAt + 20_000, gi, 'in', { kind: 'visitor', registered: true }, { visitorId: vid }, f)
        if (left) check(out, outGi, 'out', { kind: 'visitor', registered: true }, { visitorId: vid }, exitFacts())
      }
    }
  }

  if (visitors.length) {
    const ids = ((await tx.execute(sql`SELECT nextval(pg_get_serial_sequence('visitors', 'id'))::int AS id FROM generate_series(1, ${visitors.length}::int)`)).rows as { id: number }[])
      .map((r) => r.id)
      .sort((a, b) => a - b)
    await insertColumns(
      tx,
      'visitors',
      columns(
        visitors.map(({ key, ...v }) => ({ id: ids[(key as number) - 1]!, ...v })),
        {
          id: 'int', client_id: 'uuid', compound_id: 'int', gate_id: 'int', name: 'text', name_masked: 'text', phone_enc: 'bytea', phone_hash: 'text', phone_last4: 'text',
          purpose: 'text', host_household_id: 'int', origin: 'text', in_at: 'timestamptz', out_at: 'timestamptz', out_gate_id: 'int', created_by: 'int',
        },
      ),
    )
    for (const c of checks) if (c.visitor_id !== null) c.visitor_id = ids[(c.visitor_id as number) - 1]
  }
  checks.sort((a, b) => (a.at as number) - (b.at as number))
  // A bulk load the way the gate bench fills 10 M checks: the per-row rollup trigger off for this one
  // statement, then gate_daily from one GROUP BY with the trigger's own expressions (the test checks that
  // the rollup equals the raw checks). Other triggers on gate_checks still fire.
  await tx.execute(sql`ALTER TABLE gate_checks DISABLE TRIGGER gate_checks_daily`)
  const ts = 'timestamptz'
  await insertColumns(
    tx,
    'gate_checks',
    columns(checks, {
      checked_at: ts, client_id: 'uuid', client_time: ts, gate_id: 'int', compound_id: 'int', gatekeeper_id: 'int', direction: 'gate_direction',
      subject_kind: 'gate_subject_kind', pass_id: 'int', visitor_id: 'int', temperature: 'numeric', mask: 'bool', color: 'health_color', nat_at: ts,
      verdict: 'gate_verdict', reasons: { type: 'text', expr: (v) => sql`string_to_array(${v}, ',')` }, gate_verdict: 'gate_verdict', rule_version: 'int',
      offline: 'bool', case_hold: 'bool',
    }),
  )
  await tx.execute(sql`ALTER TABLE gate_checks ENABLE TRIGGER gate_checks_daily`)
  await tx.execute(sql`
    INSERT INTO gate_daily (gate_id, compound_id, day, hour, direction, verdict, reason, n)
    SELECT gate_id, compound_id, (checked_at AT TIME ZONE 'Asia/Shanghai')::date, extract(hour FROM checked_at AT TIME ZONE 'Asia/Shanghai')::smallint,
      direction, verdict, CASE WHEN verdict = 'pass' THEN '' ELSE coalesce(reasons[1], '') END, count(*)
    FROM gate_checks GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (gate_id, day, hour, direction, verdict, reason) DO UPDATE SET n = gate_daily.n + EXCLUDED.n`)
  // Exactly-once keys, as the scan path writes them with each check.
  await tx.execute(sql`
    INSERT INTO gate_check_keys (client_id, checked_at, check_id, verdict, reasons)
    SELECT client_id, checked_at, id, verdict, reasons FROM gate_checks ON CONFLICT (client_id) DO NOTHING`)
  return { gateChecks: checks.length, visitors: visitors.length }
}

/**
 * The 23:55 day snapshots (quarantine_daily) for the days before today, as the job would have written them:
 * each returnee in the state of their case's last event by then, the day's opens, releases and transfers.
 * Today is computed live by the counts call, so it is left out.
 */
export async function seedQuarantineHistory(tx: Tx, o: { now: number; days: number }) {
  const today = bjDate(o.now)
  const zero = JSON.stringify(Object.fromEntries(QUARANTINE_STATES.map((k) => [k, 0])))
  const r = await tx.execute(sql`
    WITH snap AS (
      SELECT d::date AS day, (d::date + time '23:55') AT TIME ZONE 'Asia/Shanghai' AS at
      FROM generate_series(${today}::date - ${o.days}::int, ${today}::date - 1, interval '1 day') d),
    cm AS (SELECT id, parent_id AS street_id FROM org_units WHERE kind = 'community'),
    st AS (
      SELECT s.day, r.community_id, x.to_state::text AS state
      FROM snap s CROSS JOIN returnees r
      JOIN LATERAL (
        -- Events go in in the order they happened (an arrival logged after the same-day placement is
        -- still before it): the last by id is the state. The seed gives each returnee one case.
        SELECT e.to_state FROM quarantine_events e WHERE e.case_id = r.current_case_id AND e.at <= s.at ORDER BY e.id DESC LIMIT 1) x ON TRUE),
    per AS (
      SELECT day, community_id, jsonb_object_agg(state, n) AS states, sum(n)::int AS total
      FROM (SELECT day, community_id, state, count(*)::int AS n FROM st GROUP BY 1, 2, 3) n GROUP BY 1, 2),
    ev AS (
      SELECT (e.at AT TIME ZONE 'Asia/Shanghai')::date AS day, e.community_id,
        count(*) FILTER (WHERE e.action = 'open')::int AS opened,
        count(*) FILTER (WHERE e.action = 'release')::int AS released,
        count(*) FILTER (WHERE e.action = 'transfer')::int AS transferred
      FROM quarantine_events e JOIN snap s ON e.at >= s.at - interval '23 hours 55 minutes' AND e.at <= s.at GROUP BY 1, 2)
    INSERT INTO quarantine_daily (day, community_id, street_id, counts, created_at, updated_at)
    SELECT s.day, cm.id, cm.street_id,
      ${zero}::jsonb || coalesce(per.states, '{}') || jsonb_build_object('total', coalesce(per.total, 0),
        'newToday', coalesce(ev.opened, 0), 'releasedToday', coalesce(ev.released, 0), 'transferredToday', coalesce(ev.transferred, 0)),
      s.at, s.at
    FROM snap s CROSS JOIN cm LEFT JOIN per ON per.day = s.day AND per.community_id = cm.id LEFT JOIN ev ON ev.day = s.day AND ev.community_id = cm.id
    ON CONFLICT (day, community_id) DO NOTHING`)
  return { quarantineDays: r.rowCount ?? 0 }
}
