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
