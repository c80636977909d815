import { and, eq, sql } from 'drizzle-orm'
import type { Role } from '@cc/shared'
import type { AppConfig } from '../config.js'
import type { Db, Tx } from '../db/client.js'
import { hashPassword, residentDisplayName } from '../modules/auth/auth.service.js'
import { roleGrants, users } from '../modules/auth/auth.table.js'
import { encrypt, lookupHash } from '../crypto.js'
import { orgUnits } from '../modules/org/org.table.js'
import { seedReferenceData } from './reference.js'
import { DISTRICT_NAME, demoStreets } from './demo-org.js'
import { seedRegister } from './register.js'
import { seedQuarantine } from './quarantine.js'
import { seedHistory } from './history.js'
import { seedRedblack } from './redblack.js'

export const DEMO_PASSWORD = 'cc123456'
export const DEMO_RESIDENT_PHONE = '13800000001'

export interface DemoAccount {
  username: string
  displayName: string
  role: Role
  /** Names along the org path, e.g. ['任港街道', '大庆社区']. */
  org: string[]
  alsoGate?: string[]
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '崇川在线编辑', role: 'district_admin', org: [] },
  { username: 'rengang', displayName: '任港街道办', role: 'street_admin', org: ['任港街道'] },
  { username: 'daqing', displayName: '大庆社区 王网格员', role: 'community_worker', org: ['任港街道', '大庆社区'], alsoGate: ['任港街道', '大庆社区', '第一网格', '任港路新村'] },
  { username: 'haocheng', displayName: '濠城社区 李书记', role: 'community_worker', org: ['和平桥街道', '濠城社区'] },
  { username: 'menwei', displayName: '任港路新村 东门志愿者', role: 'gatekeeper', org: ['任港街道', '大庆社区', '第一网格', '任港路新村'] },
  { username: 'qiankun', displayName: '乾坤物业 东方鑫乾项目部', role: 'unit_handler', org: ['和平桥街道', '濠城社区', '东方鑫乾大厦物管项目'] },
]

async function insertUnits(tx: Tx, rows: (typeof orgUnits.$inferInsert)[]) {
  if (rows.length === 0) return []
  return tx.insert(orgUnits).values(rows).returning({ id: orgUnits.id, name: orgUnits.name, parentId: orgUnits.parentId })
}

/** Builds the district tree level by level (the path trigger needs each parent to exist first). */
async function seedOrg(tx: Tx): Promise<number> {
  const [district] = await insertUnits(tx, [{ kind: 'district', name: DISTRICT_NAME }])
  const streets = await insertUnits(tx, demoStreets.map((s) => ({ kind: 'street' as const, name: s.name, parentId: district!.id })))
  for (const [si, s] of demoStreets.entries()) {
    const comms = await insertUnits(tx, s.communities.map((c) => ({ kind: 'community' as const, name: c.name, parentId: streets[si]!.id })))
    for (const [ci, c] of s.communities.entries()) {
      const commId = comms[ci]!.id
      // A property project is searched by its company's name too: it carries the company of the compound it manages.
      const companyOf = (m: { name: string }) => c.grids.flatMap((g) => g.compounds).find((cp) => m.name === `${cp.name}物管项目`)?.propertyCompany
      await insertUnits(
        tx,
        c.markets.map((m) => {
          const company = m.kind === 'property_project' ? companyOf(m) : undefined
          return { kind: 'market' as const, name: m.name, marketKind: m.kind, parentId: commId, attrs: company ? { propertyCompany: company } : {} }
        }),
      )
      const grids = await insertUnits(tx, c.grids.map((g) => ({ kind: 'grid' as const, name: g.name, parentId: commId })))
      for (const [gi, g] of c.grids.entries()) {
        const compounds = await insertUnits(
          tx,
          g.compounds.map((cp) => ({
            kind: 'compound' as const,
            name: cp.name,
            parentId: grids[gi]!.id,
            hasProperty: cp.hasProperty,
            attrs: cp.propertyCompany ? { propertyCompany: cp.propertyCompany } : {},
          })),
        )
        const gates = g.compounds.flatMap((cp, i) => cp.gates.map((gt) => ({ kind: 'gate' as const, name: gt.name, staffed: gt.staffed, parentId: compounds[i]!.id })))
        await insertUnits(tx, gates)
      }
    }
  }
  return district!.id
}

export async function findOrgByNames(db: Db | Tx, names: string[]): Promise<{ id: number; path: string }> {
  let [cur] = await db.select({ id: orgUnits.id, path: orgUnits.path }).from(orgUnits).where(eq(orgUnits.kind, 'district'))
  for (const name of names) {
    ;[cur] = await db
      .select({ id: orgUnits.id, path: orgUnits.path })
      .from(orgUnits)
      .where(and(eq(orgUnits.parentId, cur!.id), eq(orgUnits.name, name)))
    if (!cur) throw new Error(`demo org not found: ${names.join(' / ')}`)
  }
  return cur!
}

/** Seeds reference data always, and the demo district + accounts when the database is empty. */
export async function seedIfEmpty(db: Db, config: AppConfig): Promise<{ seeded: boolean }> {
  return db.transaction(async (tx) => {
    // Serialise concurrent starts: only one instance seeds.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(727002)`)
    await seedReferenceData(tx)
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(orgUnits)) as [{ n: number }]
    if (n > 0) return { seeded: false }
    await seedOrg(tx)
    if (config.mode !== 'demo') return { seeded: true }
    const pw = await hashPassword(DEMO_PASSWORD)
    for (const a of DEMO_ACCOUNTS) {
      const [u] = await tx.insert(users).values({ username: a.username, displayName: a.displayName, passwordHash: pw }).returning({ id: users.id })
      const org = await findOrgByNames(tx, a.org)
      await tx.insert(roleGrants).values({ userId: u!.id, role: a.role, orgId: org.id })
      if (a.alsoGate) await tx.insert(roleGrants).values({ userId: u!.id, role: 'gatekeeper', orgId: (await findOrgByNames(tx, a.alsoGate)).id })
    }
    const [r] = await tx
      .insert(users)
      .values({
        displayName: residentDisplayName(),
        phoneHash: lookupHash(config.hmacKey, `phone:${DEMO_RESIDENT_PHONE}`),
        phoneEnc: encrypt(config.dataKey, DEMO_RESIDENT_PHONE),
      })
      .returning({ id: users.id })
    await tx.insert(roleGrants).values({ userId: r!.id, role: 'resident', orgId: null })
    await seedRegister(tx, config, { findOrg: (names) => findOrgByNames(tx, names), demoResidentUserId: r!.id, demoResidentPhone: DEMO_RESIDENT_PHONE })
    await seedQuarantine(tx, config, { demoResidentUserId: r!.id })
    if (config.demoHistory) await seedHistory(tx, config, { demoResidentUserId: r!.id })
    await seedRedblack(tx)
    return { seeded: true }
  })
}
