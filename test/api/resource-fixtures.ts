import type { TestApp } from '../helper.js'

export interface FixtureContext {
  /** Org path names of a unit outside every test role's scope. */
  foreignOrg: string[]
  /** The resident whose token is used: the resource must belong to somebody else. */
  notOwnerOf: number
}

/** For each resource kind a route can be scoped by: make one that the test roles must not reach. */
export const RESOURCE_FIXTURES: Record<string, (app: TestApp, ctx: FixtureContext) => Promise<number>> = {}
