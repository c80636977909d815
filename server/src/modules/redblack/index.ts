import type { Db } from '../../db/client.js'
import { createEntities } from './redblack.entities.js'
import { createEvidence } from './redblack.evidence.js'
import { createExports } from './redblack.export.js'
import { createPeriods } from './redblack.periods.js'
import { createReads } from './redblack.reads.js'
import type { RedblackAdmin } from './redblack.routes.js'
import { createSuggestions } from './redblack.suggestions.js'

export { redblackAdminRoutes, redblackPublicRoutes } from './redblack.routes.js'

export function createRedblack(db: Db): RedblackAdmin {
  return { reads: createReads(db), periods: createPeriods(db), entities: createEntities(db), suggestions: createSuggestions(db), exports: createExports(db), evidence: createEvidence(db) }
}
