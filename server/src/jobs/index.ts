import type { FastifyInstance } from 'fastify'
import PgBoss from 'pg-boss'
import { deliverOutbox } from '../modules/notify/notify.service.js'
import { cleanup } from './cleanup.js'
import { autoClose, sweepClocks } from './clocks.js'
import { ensureGatePartitions, purgeGateChecks } from './gate.js'
import { markOverdueFollowups, proposeReleases } from './quarantine.js'
import { snapshotDaily } from '../modules/quarantine/quarantine.today.js'

/**
 * Background jobs on pg-boss (a queue inside PostgreSQL: no extra infrastructure). Cron schedules are
 * shared by all instances; pg-boss makes sure each tick runs once.
 */
export async function startJobs(app: FastifyInstance): Promise<{ stop: () => Promise<void> }> {
  const boss = new PgBoss({ connectionString: app.config.databaseUrl, schema: 'pgboss', max: 4 })
  boss.on('error', (err: Error) => app.log.error({ message: err.message }, 'job queue error'))
  await boss.start()
  const jobs: [string, string, () => Promise<unknown>][] = [
    ['complaint-clocks', '* * * * *', () => sweepClocks(app.db)],
    ['outbox-wechat', '* * * * *', () => deliverOutbox(app.db, app.services.wechat, app.config.wechat.templateStatus)],
    ['complaint-autoclose', '17 * * * *', () => autoClose(app.db)],
    ['cleanup', '41 * * * *', () => cleanup(app.db, app.services.storage)],
    ['gate-partitions', '7 0 * * *', () => ensureGatePartitions(app.db)],
    ['gate-purge', '23 3 * * *', () => purgeGateChecks(app.db)],
    ['followup-overdue', '* * * * *', () => markOverdueFollowups(app.db)],
    ['release-proposals', '*/15 * * * *', () => proposeReleases(app.db)],
    ['quarantine-daily', '55 23 * * *', () => snapshotDaily(app.db)],
    // Folds the dashboard rollups' delta rows (migration 0015) so a year's range stays a short index scan.
    ['dashboard-compact', '*/5 * * * *', () => app.pool.query('SELECT dash_rollup_compact()').then(() => 'folded')],
  ]
  for (const [name, cron, run] of jobs) {
    await boss.createQueue(name)
    await boss.schedule(name, cron, undefined, { tz: 'Asia/Shanghai' })
    await boss.work(name, async () => {
      const r = await run()
      app.log.debug({ job: name, r }, 'job done')
    })
  }
  // stop() resolves before pg-boss has closed its pool; wait for 'stopped' so PostgreSQL can go after it.
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 8000)
        boss.once('stopped', () => {
          clearTimeout(timer)
          resolve()
        })
        boss.stop({ graceful: true, timeout: 5000 }).catch(() => resolve())
      }),
  }
}
