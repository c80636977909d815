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
}
