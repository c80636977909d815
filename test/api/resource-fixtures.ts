import { findOrgByNames } from '../../server/src/seed/seed.js'
import type { TestApp } from '../helper.js'

export interface FixtureContext {
  /** Org path names of a unit outside every test role's scope. */
  foreignOrg: string[]
  /** The resident whose token is used: the resource must belong to somebody else. */
  notOwnerOf: number
}

let n = 0

/** For each resource kind a route can be scoped by: make one that the test roles must not reach. */
export const RESOURCE_FIXTURES: Record<string, (app: TestApp, ctx: FixtureContext) => Promise<number>> = {
  /** A report by another resident, assigned (signed) to a community outside the test roles' scope. */
  async complaint(app, ctx) {
    const org = await findOrgByNames(app.db, ctx.foreignOrg)
    const u = await app.pool.query(`INSERT INTO users (display_name, username) VALUES ('他人', $1) RETURNING id`, [`other_${++n}_${Date.now()}`])
    const cat = await app.pool.query(`SELECT id FROM complaint_categories LIMIT 1`)
    const c = await app.pool.query(
      `INSERT INTO complaints (tracking_code, reporter_id, client_key, category_id, place_org_id, description, anonymous, status, assignee_org_id, assigned_at, sign_due_at, rectify_due_at)
       VALUES ($1, $2, $3, $4, $5, '别人的反映', false, 'signed', $5, now(), now() + interval '2 hours', now() + interval '1 day') RETURNING id`,
      [`FX${Date.now()}${n}`, u.rows[0].id, `k${n}`, cat.rows[0].id, org.id],
    )
    return c.rows[0].id
  },
  household: async (app, ctx) => (await foreignRegister(app, ctx)).householdId,
  resident: async (app, ctx) => (await foreignRegister(app, ctx)).residentId,
  pass: async (app, ctx) => (await foreignRegister(app, ctx)).passId,
  householdClaim: async (app, ctx) => (await foreignRegister(app, ctx)).claimId,
  registerImport: async (app, ctx) => (await foreignRegister(app, ctx)).importId,
  returnee: async (app, ctx) => (await foreignQuarantine(app, ctx)).returneeId,
  quarantineCase: async (app, ctx) => (await foreignQuarantine(app, ctx)).caseId,
  followup: async (app, ctx) => (await foreignQuarantine(app, ctx)).slotId,
  nat: async (app, ctx) => (await foreignQuarantine(app, ctx)).natId,
  quarantineAlert: async (app, ctx) => (await foreignQuarantine(app, ctx)).alertId,
  quarantineSite: async (app, ctx) => (await foreignQuarantine(app, ctx)).siteId,
}

/** A returnee in home quarantine in the foreign community, with a slot, a NAT, an alert, and a site run by the foreign street. */
const quarantines = new WeakMap<TestApp, Promise<{ returneeId: number; caseId: number; slotId: number; natId: number; alertId: number; siteId: number }>>()
function foreignQuarantine(app: TestApp, ctx: FixtureContext) {
  let made = quarantines.get(app)
  if (!made) {
    made = (async () => {
      const community = await findOrgByNames(app.db, ctx.foreignOrg)
      const street = await findOrgByNames(app.db, ctx.foreignOrg.slice(0, 1))
      const q = async (text: string, values: unknown[]) => (await app.pool.query(text, values)).rows[0]
      const r = await q(
        `INSERT INTO returnees (community_id, org_path, street_id, address, name, name_masked, id_enc, id_hash, id_masked) VALUES ($1, $2, $3, '夹具地址', '他人', '他*', '\\x00', $4, '3206**********0000') RETURNING id`,
        [community.id, community.path, street.id, `fixture-returnee-${Date.now()}-${++n}`],
      )
      const c = await q(`INSERT INTO quarantine_cases (returnee_id, community_id, org_path, state, start_on, end_on) VALUES ($1, $2, $3, 'home', current_date, current_date + 13) RETURNING id`, [r.id, community.id, community.path])
      await app.pool.query(`UPDATE returnees SET state = 'home', current_case_id = $1 WHERE id = $2`, [c.id, r.id])
      const f = await q(`INSERT INTO followup_slots (case_id, community_id, slot_date, slot, opens_at, due_at) VALUES ($1, $2, current_date, 'am', now() - interval '1 hour', now() + interval '1 hour') RETURNING id`, [c.id, community.id])
      const t = await q(`INSERT INTO nat_tests (case_id, community_id, due_on) VALUES ($1, $2, current_date) RETURNING id`, [c.id, community.id])
      const a = await q(`INSERT INTO quarantine_alerts (case_id, returnee_id, community_id, kind, text) VALUES ($1, $2, $3, 'fever', '夹具预警') RETURNING id`, [c.id, r.id, community.id])
      const s = await q(`INSERT INTO quarantine_sites (org_id, name, address, rooms, capacity) VALUES ($1, $2, '夹具地址', 10, 10) RETURNING id`, [street.id, `夹具隔离点${++n}`])
      return { returneeId: r.id, caseId: c.id, slotId: f.id, natId: t.id, alertId: a.id, siteId: s.id }
    })()
    quarantines.set(app, made)
  }
  return made
}

/**
 * A household with one member, their pass, a pending claim and an import preview, in the first compound
 * under the foreign org (made once per app).
 */
const registers = new WeakMap<TestApp, Promise<{ householdId: number; residentId: number; passId: number; claimId: number; importId: number }>>()
function foreignRegister(app: TestApp, ctx: FixtureContext) {
  let made = registers.get(app)
  if (!made) {
    made = (async () => {
      const org = await findOrgByNames(app.db, ctx.foreignOrg)
      const q = async (text: string, values: unknown[]) => (await app.pool.query(text, values)).rows[0]
      const compound = await q(`SELECT id FROM org_units WHERE kind = 'compound' AND path LIKE $1 ORDER BY id LIMIT 1`, [`${org.path}%`])
      const b = await q(`INSERT INTO buildings (compound_id, name, units) VALUES ($1, '夹具幢', 1) RETURNING id`, [compound.id])
      const h = await q(`INSERT INTO households (compound_id, building_id, unit, room) VALUES ($1, $2, 1, '101') RETURNING id`, [compound.id, b.id])
      const r = await q(
        `INSERT INTO residents (household_id, compound_id, name, name_masked, id_enc, id_hash, id_masked) VALUES ($1, $2, '他人', '他*', '\\x00', $3, '3206**********0000') RETURNING id`,
        [h.id, compound.id, `fixture-${Date.now()}-${++n}`],
      )
      const p = await q(`INSERT INTO passes (resident_id, compound_id, valid_until) VALUES ($1, $2, now() + interval '1 day') RETURNING id`, [r.id, compound.id])
      const u = await q(`INSERT INTO users (display_name, username) VALUES ('他人', $1) RETURNING id`, [`claimant_${++n}_${Date.now()}`])
      const k = await q(
        `INSERT INTO household_claims (user_id, compound_id, building_id, unit, room, name, id_enc, id_hash, id_masked) VALUES ($1, $2, $3, 1, '101', '他人', '\\x00', 'h', 'm') RETURNING id`,
        [u.id, compound.id, b.id],
      )
      const i = await q(
        `INSERT INTO register_imports (compound_id, file_name, total, valid, error_count, rows, expires_at) VALUES ($1, 'x.xlsx', 0, 0, 0, '[]', now() + interval '1 day') RETURNING id`,
        [compound.id],
      )
      return { householdId: h.id, residentId: r.id, passId: p.id, claimId: k.id, importId: i.id }
    })()
    registers.set(app, made)
  }
  return made
}
