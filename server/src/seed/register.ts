import { sql } from 'drizzle-orm'
import { residentDisplayName } from '../modules/auth/auth.service.js'
import { idCheckChar, maskIdNumber, maskName } from '@cc/shared'
import type { AppConfig } from '../config.js'
import { encrypt, lookupHash } from '../crypto.js'
import type { Tx } from '../db/client.js'
import { roleGrants, users } from '../modules/auth/auth.table.js'
import { buildings, householdClaims, households, residents } from '../modules/households/households.table.js'
import { passes } from '../modules/passes/passes.table.js'

/**
 * Demo household register: two compounds with buildings, ~300 households and ~700 residents with
 * plausible Nantong names and valid ID numbers, passes for all of them, the demo resident's own household,
 * and three claims waiting for a worker. Deterministic (a seeded PRNG) so screenshots and tests are stable.
 * Everything goes in with a handful of multi-row inserts: the seed runs on every fresh start.
 */

export const REGISTER_COMPOUNDS = [
  { path: ['任港街道', '大庆社区', '第一网格', '任港路新村'], buildings: 24, households: 200 },
  { path: ['和平桥街道', '濠城社区', '第二网格', '濠城新村'], buildings: 12, households: 100 },
] as const

/** Demo accounts waiting for a worker's decision (SMS login in demo mode). */
export const CLAIMANT_PHONES = ['13900000101', '13900000102', '13900000103']

// Nantong's common surnames first (陈、顾、陆、张、朱、徐、季、曹、施、缪…), then the national ones.
const SURNAMES = '陈顾陆张王朱徐季曹施缪丁成邱黄李刘杨吴周孙沈钱姜范冯袁蒋严葛瞿管宋唐许韩邓彭倪汤陶钟'.split('')
const GIVEN = {
  oldM: ['建国', '国华', '志强', '永祥', '德明', '金生', '海林', '桂林', '长根', '福康', '正清', '宝山', '荣华', '炳南', '汉清', '锦堂'],
  oldF: ['秀英', '桂英', '玉兰', '凤英', '秀兰', '美华', '月娥', '金凤', '素珍', '桂芳', '兰英', '菊芬', '翠萍', '惠珍'],
  midM: ['建华', '卫东', '晓东', '海峰', '军', '勇', '伟', '斌', '志刚', '国平', '建军', '红兵', '永明', '立新', '春雷', '海涛'],
  midF: ['丽华', '红梅', '晓燕', '丽娟', '静', '敏', '美玲', '雪梅', '春花', '海燕', '玉梅', '小红', '慧', '芳'],
  youngM: ['浩然', '梓轩', '宇航', '思远', '子墨', '一鸣', '俊杰', '博文', '天佑', '皓轩', '明哲', '嘉豪'],
  youngF: ['子涵', '欣怡', '雨桐', '一诺', '佳怡', '梦琪', '诗涵', '语嫣', '可馨', '思琪', '雨萱', '若溪'],
}
// 崇川区 (and the former 港闸区) most, then the rest of Nantong's counties.
const REGIONS = ['320602', '320602', '320602', '320602', '320611', '320611', '320612', '320682', '320681', '320684', '320623', '320621']

function prng(seed: number) {
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
  return { next, int, pick }
}

type Gen = 'old' | 'mid' | 'young'
interface Person {
  name: string
  id: string
  phone: string | null
  relation: string
  elderlyAlone: boolean
  noSmartphone: boolean
  disabled: boolean
  movedIn: string
}

export async function seedRegister(tx: Tx, config: AppConfig, opts: { findOrg: (names: string[]) => Promise<{ id: number }>; demoResidentUserId: number; demoResidentPhone: string }) {
  const rnd = prng(20200214)
  const usedIds = new Set<string>()
  const usedPhones = new Set<string>([opts.demoResidentPhone, ...CLAIMANT_PHONES])

  function idNumber(year: number, male: boolean): string {
    for (;;) {
      const md = `${String(rnd.int(1, 12)).padStart(2, '0')}${String(rnd.int(1, 28)).padStart(2, '0')}`
      // Sequence numbers stay below 800: tests make their people with 9xx, so they never meet a seeded one.
      const seq = rnd.int(0, 79) * 10 + (male ? rnd.int(0, 4) * 2 + 1 : rnd.int(0, 4) * 2)
      const first17 = `${rnd.pick(REGIONS)}${year}${md}${String(seq).padStart(3, '0')}`
      const id = first17 + idCheckChar(first17)
      if (!usedIds.has(id)) return usedIds.add(id), id
    }
  }
  function phone(): string {
    for (;;) {
      const p = `${rnd.pick(['139', '138', '137', '151', '152', '158', '187', '188', '189', '180', '133', '153'])}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`
      if (!usedPhones.has(p)) return usedPhones.add(p), p
    }
  }
  function person(gen: Gen, male: boolean, relation: string, surname: string, movedInYear: number, o: Partial<Person> = {}): Person {
    const year = gen === 'old' ? rnd.int(1936, 1956) : gen === 'mid' ? rnd.int(1962, 1988) : rnd.int(1990, 2016)
    const given = rnd.pick(GIVEN[`${gen}${male ? 'M' : 'F'}` as keyof typeof GIVEN])
    const noSmartphone = gen === 'old' ? rnd.next() < 0.45 : gen === 'young' && year > 2010
    return {
      name: surname + given,
      id: idNumber(year, male),
      phone: noSmartphone && rnd.next() < 0.6 ? null : phone(),
      relation,
      elderlyAlone: false,
      noSmartphone,
      disabled: rnd.next() < 0.02,
      movedIn: `${Math.max(movedInYear, year)}-${String(rnd.int(1, 12)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      ...o,
    }
  }
  function family(): Person[] {
    const s = rnd.pick(SURNAMES)
    const spouse = () => rnd.pick(SURNAMES)
    const since = rnd.int(1995, 2021)
    const k = rnd.next()
    if (k < 0.12) return [person('old', rnd.next() < 0.35, '户主', s, since, { elderlyAlone: true })]
    if (k < 0.32) return [person('old', true, '户主', s, since), person('old', false, '配偶', spouse(), since)]
    if (k < 0.67) return [person('mid', true, '户主', s, since), person('mid', false, '配偶', spouse(), since), person('young', rnd.next() < 0.5, '子女', s, since)]
    if (k < 0.88)
      return [
        person('mid', true, '户主', s, since),
        person('mid', false, '配偶', spouse(), since),
        person('young', rnd.next() < 0.5, '子女', s, since),
        person('old', rnd.next() < 0.5, '父母', s, since),
        ...(rnd.next() < 0.4 ? [person('old', false, '父母', spouse(), since)] : []),
      ]
    return [person('mid', rnd.next() < 0.6, '租户', s, rnd.int(2018, 2022)), ...(rnd.next() < 0.5 ? [person('mid', rnd.next() < 0.5, '租户', spouse(), 2019)] : [])]
  }

  const seal = (p: Person) => ({
    name: p.name,
    nameMasked: maskName(p.name),
    idEnc: encrypt(config.dataKey, p.id),
    idHash: lookupHash(config.hmacKey, `id:${p.id}`),
    idMasked: maskIdNumber(p.id),
    phoneEnc: p.phone ? encrypt(config.dataKey, p.phone) : null,
    phoneHash: p.phone ? lookupHash(config.hmacKey, `phone:${p.phone}`) : null,
    phoneLast4: p.phone ? p.phone.slice(-4) : null,
    relation: p.relation,
    elderlyAlone: p.elderlyAlone,
    noSmartphone: p.noSmartphone,
    disabled: p.disabled,
    movedIn: p.movedIn,
  })

  const compounds: { id: number; buildings: { id: number; name: string; units: number }[] }[] = []
  for (const c of REGISTER_COMPOUNDS) {
    const org = await opts.findOrg([...c.path])
    const rows = Array.from({ length: c.buildings }, (_, i) => ({ compoundId: org.id, name: `${i + 1}幢`, units: i % 3 === 2 ? 3 : 2, floors: 6 }))
    compounds.push({ id: org.id, buildings: await tx.insert(buildings).values(rows).returning({ id: buildings.id, name: buildings.name, units: buildings.units }) })
  }

  // Rooms 101–602, two per floor and unit; households take a random set of them, inserted in address order.
  const slots: { compoundId: number; buildingId: number; unit: number; room: string; people: Person[] }[] = []
  for (const [ci, c] of compounds.entries()) {
    const all = c.buildings.flatMap((b, bi) =>
      Array.from({ length: b.units * 12 }, (_, k) => ({ bi, buildingId: b.id, unit: Math.floor(k / 12) + 1, room: `${Math.floor((k % 12) / 2) + 1}0${(k % 2) + 1}` })),
    )
    const first = all.shift()! // 1幢1单元101: the demo resident's home in 任港路新村
    const chosen = all
      .map((s) => ({ s, r: rnd.next() }))
      .sort((a, b) => a.r - b.r)
      .slice(0, REGISTER_COMPOUNDS[ci]!.households - 1)
      .map((x) => x.s)
    for (const s of [first, ...chosen].sort((a, b) => a.bi - b.bi || a.unit - b.unit || a.room.localeCompare(b.room)))
      slots.push({ compoundId: c.id, buildingId: s.buildingId, unit: s.unit, room: s.room, people: family() })
  }
  // The demo resident (SMS login with the README's phone) heads 任港路新村 1幢1单元101 and has a pass.
  const demoHome = slots[0]!
  demoHome.people = [person('mid', true, '户主', '陈', 2008, { name: '陈建华', phone: opts.demoResidentPhone, noSmartphone: false }), ...demoHome.people.slice(1, 3)]
  demoHome.people.forEach((p, i) => i > 0 && (p.relation = i === 1 ? '配偶' : '子女'))

  const hh = await tx
    .insert(households)
    .values(slots.map(({ compoundId, buildingId, unit, room }) => ({ compoundId, buildingId, unit, room })))
    .returning({ id: households.id })
  const residentRows = slots.flatMap((s, i) => s.people.map((p) => ({ ...seal(p), householdId: hh[i]!.id, compoundId: s.compoundId })))
  residentRows[0]!.relation = '户主'
  const made = await tx.insert(residents).values(residentRows.map((r, i) => ({ ...r, userId: i === 0 ? opts.demoResidentUserId : null }))).returning({ id: residents.id })
  const validUntil = sql`now() + interval '180 days'`
  await tx.insert(passes).values(
    made.map((r, i) => {
      // Two passes suspended, for the worker's list to show what that looks like.
      const suspended = i === 17 || i === 42
      return { residentId: r.id, compoundId: residentRows[i]!.compoundId, validUntil, status: suspended ? ('suspended' as const) : ('active' as const), statusReason: suspended ? '居家隔离期间暂停，解除后恢复' : null }
    }),
  )

  // Three claims waiting: a registered person claiming their own room (approve links them), a newcomer
  // in 任港路新村, and one in 濠城新村.
  const claimants = await tx
    .insert(users)
    .values(CLAIMANT_PHONES.map((p) => ({ displayName: residentDisplayName(), phoneHash: lookupHash(config.hmacKey, `phone:${p}`), phoneEnc: encrypt(config.dataKey, p) })))
    .returning({ id: users.id })
  await tx.insert(roleGrants).values(claimants.map((u) => ({ userId: u.id, role: 'resident' as const, orgId: null })))
  const registered = slots[5]!.people.find((p) => !p.phone) ?? slots[5]!.people[0]!
  const newcomer = person('mid', false, '租户', rnd.pick(SURNAMES), 2022)
  const haocheng = slots.findIndex((s) => s.compoundId === compounds[1]!.id)
  const other = person('young', true, '子女', rnd.pick(SURNAMES), 2022)
  const vacant = (ci: number) => {
    const taken = new Set(slots.map((s) => `${s.buildingId}/${s.unit}/${s.room}`))
    const b = compounds[ci]!.buildings[3]!
    for (let k = 0; ; k++) {
      const room = `${Math.floor(k / 2) + 1}0${(k % 2) + 1}`
      if (!taken.has(`${b.id}/1/${room}`)) return { buildingId: b.id, unit: 1, room }
    }
  }
  const claim = (userId: number, compoundId: number, at: { buildingId: number; unit: number; room: string }, p: Person) => {
    const s = seal(p)
    return { userId, compoundId, ...at, name: s.name, idEnc: s.idEnc, idHash: s.idHash, idMasked: s.idMasked, relation: p.relation }
  }
  await tx.insert(householdClaims).values([
    claim(claimants[0]!.id, slots[5]!.compoundId, slots[5]!, registered),
    claim(claimants[1]!.id, compounds[0]!.id, vacant(0), newcomer),
    claim(claimants[2]!.id, compounds[1]!.id, slots[haocheng + 3]!, other),
  ])
  return { households: hh.length, residents: made.length }
}
