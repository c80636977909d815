import { sql } from 'drizzle-orm'
import {
  NAT_DAYS,
  addDays,
  beijingDate,
  beijingInstant,
  followupSlots,
  idCheckChar,
  maskIdNumber,
  maskName,
  riskOf,
  type KeyArea,
  type QuarantineState,
} from '@cc/shared'
import type { AppConfig } from '../config.js'
import { encrypt, lookupHash } from '../crypto.js'
import type { Tx } from '../db/client.js'

/**
 * Demo returnees and quarantine: ~300 people across the district's communities in every state, with the
 * words of the seeds (湖北、温州返崇, 居家/集中隔离14天, 扫楼), follow-ups twice a day with a few overdue, one
 * fever alert in 大庆社区, one full centralised site, and a dozen 任港路新村 residents on the register in
 * home quarantine (so the gate denies them). Dates are relative to today; deterministic; a few bulk inserts.
 */

const ORIGINS = [
  { provinceCode: '420000', cityCode: '420100', districtCode: '420102', originName: '湖北省武汉市江岸区', w: 5 },
  { provinceCode: '420000', cityCode: '420100', districtCode: '420106', originName: '湖北省武汉市武昌区', w: 4 },
  { provinceCode: '420000', cityCode: '420900', districtCode: '420902', originName: '湖北省孝感市孝南区', w: 2 },
  { provinceCode: '420000', cityCode: '421000', districtCode: '421002', originName: '湖北省荆州市沙市区', w: 2 },
  { provinceCode: '330000', cityCode: '330300', districtCode: '330302', originName: '浙江省温州市鹿城区', w: 4 },
  { provinceCode: '330000', cityCode: '330300', districtCode: '330381', originName: '浙江省温州市瑞安市', w: 2 },
  { provinceCode: '310000', cityCode: '310100', districtCode: '310115', originName: '上海市浦东新区', w: 3 },
  { provinceCode: '320000', cityCode: '320500', districtCode: '320505', originName: '江苏省苏州市虎丘区', w: 2 },
  { provinceCode: '440000', cityCode: '440300', districtCode: '440306', originName: '广东省深圳市宝安区', w: 2 },
]
const SURNAMES = '陈顾陆张王朱徐季曹施缪丁成邱黄李刘杨吴周孙沈钱'.split('')
const GIVEN = ['建华', '海峰', '晓燕', '丽娟', '志刚', '美玲', '卫东', '春花', '浩然', '子涵', '俊杰', '雨桐', '国平', '秀英', '永明', '海燕']
const ROUTES: Record<string, string> = { train: 'G7204 南京南—南通西', flight: 'MU2881 武汉天河—南通兴东', car: '自驾 沪陕高速—苏通大桥', bus: '长途客车 至南通汽车客运站' }

/** How the people are spread over the states (sums to 1). */
const MIX: [QuarantineState, number][] = [
  ['registered', 0.1],
  ['home', 0.38],
  ['centralised', 0.1],
  ['monitoring', 0.07],
  ['released', 0.25],
  ['cleared', 0.04],
  ['transferred', 0.03],
  ['lost', 0.03],
]

function prng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! }
}

async function insertMany(tx: Tx, table: string, rows: Record<string, unknown>[], returning = false): Promise<{ id: number }[]> {
  const out: { id: number }[] = []
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000)
    const cols = Object.keys(chunk[0]!)
    const r = await tx.execute(sql`
      INSERT INTO ${sql.identifier(table)} (${sql.join(cols.map((c) => sql.identifier(c)), sql`, `)})
      SELECT ${sql.join(cols.map((c) => sql.identifier(c)), sql`, `)} FROM jsonb_populate_recordset(NULL::${sql.identifier(table)}, ${JSON.stringify(chunk)}::jsonb)
      ${returning ? sql`RETURNING id` : sql``}`)
    out.push(...(r.rows as { id: number }[]))
  }
  return out
}

export async function seedQuarantine(tx: Tx, config: AppConfig, opts: { demoResidentUserId: number; total?: number; now?: Date }) {
  const rnd = prng(20200125)
  const now = opts.now ?? new Date()
  const today = beijingDate(now)
  const total = opts.total ?? 300

  const areas: (KeyArea & { name: string; retired?: boolean })[] = [
    { level: 'province', code: '420000', name: '湖北省', risk: 'medium', validFrom: addDays(today, -60), validUntil: null },
    { level: 'city', code: '420100', name: '湖北省武汉市', risk: 'high', validFrom: addDays(today, -60), validUntil: null },
    { level: 'city', code: '330300', name: '浙江省温州市', risk: 'medium', validFrom: addDays(today, -45), validUntil: addDays(today, -20), retired: true },
    { level: 'city', code: '330300', name: '浙江省温州市', risk: 'high', validFrom: addDays(today, -45), validUntil: null },
  ]
  const areaIds = await insertMany(
    tx,
    'key_areas',
    areas.map((a) => ({ level: a.level, code: a.code, name: a.name, risk: a.risk, valid_from: a.validFrom, valid_until: a.validUntil, note: a.retired ? '升级为高风险' : null, retired_at: a.retired ? now.toISOString() : null })),
    true,
  )
  await tx.execute(sql`UPDATE key_areas SET replaced_by = ${areaIds[3]!.id} WHERE id = ${areaIds[2]!.id}`)
  const current = areas.filter((a) => !a.retired)

  const streets = (await tx.execute(sql`SELECT id, name FROM org_units WHERE kind = 'street' ORDER BY id`)).rows as { id: number; name: string }[]
  const sites = await insertMany(
    tx,
    'quarantine_sites',
    [
      { org_id: streets[0]!.id, name: '和平桥隔离观察点（锦江之星）', address: '崇川区濠西路18号', rooms: 6, capacity: 6, occupancy: 0 },
      { org_id: streets[1]?.id ?? streets[0]!.id, name: '任港集中隔离点（如家酒店）', address: '崇川区任港路66号', rooms: 80, capacity: 80, occupancy: 0 },
      { org_id: streets[2]?.id ?? streets[0]!.id, name: '崇川区集中医学观察点', address: '崇川区青年中路120号', rooms: 120, capacity: 120, occupancy: 0 },
    ],
    true,
  )

  const communities = (
    await tx.execute(sql`
      SELECT cm.id, cm.path, cm.parent_id AS "streetId", cm.name,
        (SELECT json_agg(c.id ORDER BY c.id) FROM org_units g JOIN org_units c ON c.parent_id = g.id WHERE g.parent_id = cm.id AND c.kind = 'compound') AS compounds
      FROM org_units cm WHERE cm.kind = 'community' ORDER BY cm.id`)
  ).rows as { id: number; path: string; streetId: number; name: string; compounds: number[] | null }[]
  const daqing = communities.find((c) => c.name === '大庆社区') ?? communities[0]!
  // Register residents of 任港路新村 with an active pass: placed in home quarantine, the gate denies them.
  const linked = (
    await tx.execute(sql`
      SELECT r.id, r.household_id AS "householdId", r.compound_id AS "compoundId", r.name, r.name_masked AS "nameMasked", r.id_enc AS "idEnc",
        r.id_hash AS "idHash", r.id_masked AS "idMasked", r.user_id AS "userId", c.name || b.name || h.room AS address
      FROM residents r JOIN passes p ON p.resident_id = r.id AND p.status = 'active' JOIN households h ON h.id = r.household_id
      JOIN buildings b ON b.id = h.building_id JOIN org_units c ON c.id = r.compound_id
      JOIN org_units g ON g.id = c.parent_id WHERE g.parent_id = ${daqing.id} AND r.user_id IS DISTINCT FROM ${opts.demoResidentUserId}
      ORDER BY r.id OFFSET 30 LIMIT 12`)
  ).rows as { id: number; householdId: number; compoundId: number; name: string; nameMasked: string; idEnc: Buffer; idHash: string; idMasked: string; address: string }[]

  const weighted = ORIGINS.flatMap((o) => Array<typeof o>(o.w).fill(o))
  const people: Record<string, unknown>[] = []
  const plan: { state: QuarantineState; community: (typeof communities)[number]; startOn: string | null; endOn: string | null; origin: (typeof ORIGINS)[number]; arrivedOn: string; transport: string; siteId: number | null; room: string | null }[] = []
  let fullSiteUsed = 0
  for (let i = 0; i < total; i++) {
    const isLinked = i < linked.length
    const community = isLinked || i % 4 === 0 ? daqing : communities[i % communities.length]!
    let x = rnd.next()
    let state: QuarantineState = 'registered'
    for (const [s, w] of MIX) if ((x -= w) < 0) ((state = s), (x = 9))
    if (isLinked) state = 'home'
    // The small site is filled exactly, so the demo shows a full site refusing.
    if (i >= linked.length && fullSiteUsed < 6 && i % 7 === 3) state = 'centralised'
    const origin = rnd.pick(weighted)
    const transport = rnd.pick(['train', 'train', 'car', 'flight', 'bus'])
    let startOn: string | null = null
    let endOn: string | null = null
    if (['home', 'centralised', 'monitoring'].includes(state)) {
      startOn = addDays(today, -rnd.int(0, 12))
      endOn = addDays(startOn, state === 'monitoring' ? 6 : 13)
      if (endOn < today) endOn = today
    } else if (state !== 'registered') {
      startOn = addDays(today, -rnd.int(15, 40))
      endOn = addDays(startOn, 13)
    }
    const arrivedOn = startOn ? addDays(startOn, -rnd.int(0, 1)) : addDays(today, -rnd.int(0, 2))
    let siteId: number | null = null
    let room: string | null = null
    if (state === 'centralised') {
      const full = fullSiteUsed < 6
      siteId = sites[full ? 0 : 1 + (i % 2)]!.id
      room = full ? `${++fullSiteUsed}0${1}` : `${200 + i}`
    }
    plan.push({ state, community, startOn, endOn, origin, arrivedOn, transport, siteId, room })
    if (isLinked) {
      const r = linked[i]!
      people.push({
        community_id: community.id, org_path: community.path, street_id: community.streetId, compound_id: r.compoundId, household_id: r.householdId, resident_id: r.id,
        address: r.address, name: r.name, name_masked: r.nameMasked, id_enc: `\\x${Buffer.from(r.idEnc).toString('hex')}`, id_hash: r.idHash, id_masked: r.idMasked,
        elderly: false, no_smartphone: false, owner_ids: [], state,
      })
    } else {
      const name = rnd.pick(SURNAMES) + rnd.pick(GIVEN)
      const first17 = `320602${rnd.int(1965, 2002)}${String(rnd.int(1, 12)).padStart(2, '0')}${String(rnd.int(1, 28)).padStart(2, '0')}8${String(i % 100).padStart(2, '0')}`
      const id = first17 + idCheckChar(first17)
      const phone = `139${String(60000000 + i * 7919).slice(0, 8)}`
      const compound = community.compounds?.[i % (community.compounds?.length || 1)] ?? null
      const elderly = i % 11 === 0
      people.push({
        community_id: community.id, org_path: community.path, street_id: community.streetId, compound_id: compound, household_id: null, resident_id: null,
        address: `${rnd.int(1, 24)}幢${rnd.int(1, 6)}0${rnd.int(1, 2)}室`, name, name_masked: maskName(name),
        id_enc: `\\x${encrypt(config.dataKey, id).toString('hex')}`, id_hash: lookupHash(config.hmacKey, `id:${id}`), id_masked: maskIdNumber(id),
        phone_enc: `\\x${encrypt(config.dataKey, phone).toString('hex')}`, phone_hash: lookupHash(config.hmacKey, `phone:${phone}`), phone_last4: phone.slice(-4),
        elderly, no_smartphone: elderly, owner_ids: i === linked.length + 1 ? [opts.demoResidentUserId] : [], state,
      })
    }
  }
  const returneeIds = await insertMany(tx, 'returnees', people, true)

  const tripIds = await insertMany(
    tx,
    'returnee_trips',
    plan.map((p, i) => ({
      returnee_id: returneeIds[i]!.id, community_id: p.community.id, province_code: p.origin.provinceCode, city_code: p.origin.cityCode, district_code: p.origin.districtCode,
      origin_name: p.origin.originName, route: ROUTES[p.transport] ?? '', departed_on: addDays(p.arrivedOn, -1), arrived_on: p.arrivedOn, transport: p.transport,
      transport_no: p.transport === 'train' ? 'G7204' : p.transport === 'flight' ? 'MU2881' : p.transport === 'car' ? '苏F·8K2' + String(i).padStart(2, '0') : '',
      key_contact: i % 9 === 0, health_color: i % 13 === 0 ? 'yellow' : 'green', risk: riskOf(current, p.origin, p.arrivedOn),
      source: i % 3 === 0 ? 'self' : 'worker', registrations: 1,
      // A handful of fresh self-registrations wait for the worker's review.
      reviewed_at: p.state === 'registered' && i % 3 === 0 ? null : now.toISOString(),
    })),
    true,
  )

  const closedAt = (p: (typeof plan)[number]) => (p.endOn && p.endOn < today ? beijingInstant(addDays(p.endOn, 1), '10:00').toISOString() : now.toISOString())
  const caseIds = await insertMany(
    tx,
    'quarantine_cases',
    plan.map((p, i) => ({
      returnee_id: returneeIds[i]!.id, trip_id: tripIds[i]!.id, community_id: p.community.id, org_path: p.community.path,
      resident_id: (people[i]!.resident_id as number | null) ?? null, compound_id: people[i]!.compound_id, state: p.state, site_id: p.siteId, room: p.room,
      start_on: p.startOn, end_on: p.endOn, started_at: p.startOn ? beijingInstant(p.startOn, '09:00').toISOString() : null,
      closed_at: ['released', 'cleared', 'transferred', 'lost'].includes(p.state) ? closedAt(p) : null,
    })),
    true,
  )
  await tx.execute(sql`UPDATE returnees r SET current_case_id = qc.id FROM quarantine_cases qc WHERE qc.returnee_id = r.id AND r.current_case_id IS NULL`)
  await tx.execute(sql`UPDATE quarantine_sites s SET occupancy = (SELECT count(*) FROM quarantine_cases qc WHERE qc.site_id = s.id AND qc.state = 'centralised')`)

  const events: Record<string, unknown>[] = []
  const slots: Record<string, unknown>[] = []
  const nats: Record<string, unknown>[] = []
  const measure = (s: QuarantineState) => (s === 'released' || s === 'transferred' || s === 'lost' ? 'home' : s === 'cleared' ? 'none' : s)
  plan.forEach((p, i) => {
    const caseId = caseIds[i]!.id
    const ev = (action: string, from: string | null, to: string, at: string, reason: string) => events.push({ case_id: caseId, community_id: p.community.id, action, from_state: from, to_state: to, reason, at, data: {} })
    const opened = beijingInstant(p.arrivedOn, '18:00').toISOString()
    ev('open', null, 'registered', opened < now.toISOString() ? opened : now.toISOString(), i % 3 === 0 ? '本人或家属返崇登记' : '社区扫楼登记')
    if (p.state === 'registered') return
    const m = measure(p.state)
    const placedAt = beijingInstant(p.startOn!, '09:00').toISOString()
    const placed = m === 'none' ? 'cleared' : m
    ev(m, 'registered', placed, placedAt, m === 'none' ? '低风险地区，无需管控' : `${p.origin.originName}返崇，${m === 'centralised' ? '集中隔离' : m === 'monitoring' ? '健康监测' : '居家隔离'}`)
    if (p.state === 'released') ev('release', 'home', 'released', closedAt(p), '期满且条件满足，确认解除')
    if (p.state === 'transferred') ev('transfer', 'home', 'transferred', closedAt(p), '发热，转运至南通市第三人民医院')
    if (p.state === 'lost') ev('lose', 'home', 'lost', closedAt(p), '电话不通，上门无人应答')
    if (!['home', 'centralised', 'monitoring'].includes(p.state)) return
    for (const s of followupSlots(new Date(placedAt), p.endOn!)) {
      const past = s.dueAt.getTime() <= now.getTime()
      // Elderly people without smartphones are the ones whose slots go overdue.
      const missed = past && (people[i]!.no_smartphone as boolean) && s.date >= addDays(today, -1)
      const recorded = past && !missed
      slots.push({
        case_id: caseId, community_id: p.community.id, slot_date: s.date, slot: s.slot, opens_at: s.opensAt.toISOString(), due_at: s.dueAt.toISOString(),
        temperature: recorded ? (36 + rnd.int(2, 9) / 10).toFixed(1) : null, symptoms: [], abnormal: false,
        recorded_at: recorded ? new Date(s.dueAt.getTime() - rnd.int(30, 300) * 60_000).toISOString() : null,
        recorder_kind: recorded ? (i % 3 === 0 ? 'self' : 'worker') : null, overdue: missed, overdue_at: missed ? s.dueAt.toISOString() : null,
      })
    }
    for (const d of NAT_DAYS[p.state as 'home']) {
      const due = addDays(p.startOn!, d - 1)
      if (due > p.endOn!) continue
      nats.push({ case_id: caseId, community_id: p.community.id, due_on: due, result: due < today ? 'negative' : null, sampled_on: due < today ? due : null, recorded_at: due < today ? beijingInstant(due, '16:00').toISOString() : null })
    }
  })
  await insertMany(tx, 'quarantine_events', events)
  if (slots.length) await insertMany(tx, 'followup_slots', slots)
  if (nats.length) await insertMany(tx, 'nat_tests', nats)

  // One fever alert in 大庆社区: the latest recorded slot of its first linked resident reads 37.8.
  const fever = plan.findIndex((p) => p.community.id === daqing.id && p.state === 'home')
  if (fever >= 0) {
    const s = (await tx.execute(sql`
      UPDATE followup_slots SET temperature = 37.8, symptoms = ARRAY['咳嗽']::text[], abnormal = true
      WHERE id = (SELECT id FROM followup_slots WHERE case_id = ${caseIds[fever]!.id} AND recorded_at IS NOT NULL ORDER BY due_at DESC LIMIT 1)
      RETURNING id, slot_date AS d, slot`)).rows[0] as { id: number; d: string; slot: string } | undefined
    if (s)
      await tx.execute(sql`INSERT INTO quarantine_alerts (case_id, returnee_id, community_id, kind, text, followup_id)
        VALUES (${caseIds[fever]!.id}, ${returneeIds[fever]!.id}, ${daqing.id}, 'fever', ${`${people[fever]!.name_masked} ${s.d}${s.slot === 'am' ? '上午' : '下午'}随访异常：体温 37.8℃，咳嗽`}, ${s.id})`)
  }
  return { returnees: returneeIds.length, slots: slots.length, nats: nats.length }
}
