import type { AppConfig } from '../../config.js'
import type { Db } from '../../db/client.js'
import { SYSTEM, createComplaintCore } from './complaints.core.js'
import { createIntake } from './complaints.intake.js'
import { createRectify } from './complaints.rectify.js'
import { createTriage } from './complaints.triage.js'
import { createTrack } from './complaints.track.js'
import { createUnitStats } from './complaints.unitstats.js'
import { createComplaintViews } from './complaints.views.js'

export { actorOf, type Actor } from './complaints.core.js'

/**
 * The complaint loop, one file per phase: intake (resident), triage and assignment (district), rectify →
 * verify → rate (unit, district, resident). All status changes go through core.transition.
 */
export function createComplaintsService(db: Db, config: AppConfig) {
  const core = createComplaintCore(db, config)
  const views = createComplaintViews(core)
  return {
    ...views,
    ...createIntake(core, views),
    ...createTriage(core, views),
    ...createRectify(core, views),
    ...createUnitStats(core),
    ...createTrack(core),
    SYSTEM,
    event: core.event,
    lockComplaint: core.lockComplaint,
  }
}
export type ComplaintsService = ReturnType<typeof createComplaintsService>
