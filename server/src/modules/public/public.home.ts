import { sql } from 'drizzle-orm'
import { redactPublicText } from '@cc/shared'
import type { Db } from '../../db/client.js'
import type { ComplaintsService } from '../complaints/complaints.service.js'
import { publicTotals } from '../quarantine/quarantine.today.js'

/** What a red/black reader gives the home page (the 红黑榜 module's `reads.list`), kept narrow so either side can change. */
export interface RbLatestSource {
  list(opts: { includeDrafts: boolean; limit?: number }): Promise<{ items: { id: number; number: number | null; title: string; kind: string; publishedAt: string | null; red: number; black: number }[] }>
}

export interface HomeNumbers {
  /** Beijing date and time the numbers were read (shown: "数据更新于"). */
  asOf: string
  pluggedWeek: number
  pluggedTotal: number
  onTimeRate: number | null
  satisfactionRate: number | null
  bulletin: { id: number; title: string; publishedAt: string; itemCount: number; items: { problem: string; place: string }[] } | null
  redblack: { id: number; title: string; publishedAt: string | null; red: number; black: number } | null
  quarantine: { day: string; home: number; centralised: number; monitoring: number; releasedTotal: number; newToday: number }
}

const bj = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')

/**
 * The district's public numbers. No person is in any of them: counts, rates, the bulletin's public wording
 * (redacted again) and the red/black list's units. Read from the maintained counters where they exist.
 */
export async function readHome(db: Db, complaints: ComplaintsService, rb: RbLatestSource | null, now = new Date()): Promise<HomeNumbers> {
  const [stats, week, bulletin, redblack, q] = await Promise.all([
    complaints.stats(),
    // This week from Monday 00:00 Beijing: reports whose fix was verified since then and still stands.
    db.execute(sql`
      SELECT count(*)::int AS n FROM complaints
      WHERE verified_at >= (date_trunc('week', ${now}::timestamptz AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')
        AND status IN ('verified', 'published', 'closed')`),
    latestBulletin(db),
    rb ? latestRedblack(rb) : Promise.resolve(null),
    publicTotals(db, now),
  ])
  return {
    asOf: bj(now),
    pluggedWeek: (week.rows[0] as { n: number }).n,
    pluggedTotal: stats.pluggedTotal,
    onTimeRate: stats.onTimeRate,
    satisfactionRate: stats.satisfactionRate,
    bulletin,
    redblack,
    quarantine: { day: q.day, home: q.home, centralised: q.centralised, monitoring: q.monitoring, releasedTotal: q.releasedTotal, newToday: q.newToday },
  }
}

async function latestBulletin(db: Db): Promise<HomeNumbers['bulletin']> {
  const r = await db.execute(sql`
    SELECT b.id, b.title, b.published_at AS "publishedAt", (SELECT count(*)::int FROM bulletin_items i WHERE i.bulletin_id = b.id) AS "itemCount"
    FROM bulletins b WHERE b.status = 'published' AND b.kind = 'regular' ORDER BY b.published_at DESC, b.id DESC LIMIT 1`)
  const b = r.rows[0] as { id: number; title: string; publishedAt: string | Date; itemCount: number } | undefined
  if (!b) return null
  const items = await db.execute(sql`SELECT problem, place FROM bulletin_items WHERE bulletin_id = ${b.id} ORDER BY seq LIMIT 3`)
  return {
    id: b.id,
    title: b.title,
    publishedAt: bj(new Date(b.publishedAt)).slice(0, 10),
    itemCount: b.itemCount,
    items: (items.rows as { problem: string; place: string }[]).map((i) => ({ problem: redactPublicText(i.problem), place: redactPublicText(i.place) })),
  }
}

async function latestRedblack(rb: RbLatestSource): Promise<HomeNumbers['redblack']> {
  try {
    const { items } = await rb.list({ includeDrafts: false, limit: 10 })
    const p = items.find((x) => x.kind === 'regular')
    return p ? { id: p.id, title: p.title, publishedAt: p.publishedAt ? bj(new Date(p.publishedAt)).slice(0, 10) : null, red: p.red, black: p.black } : null
  } catch {
    // The home page still shows everything else if the red/black list cannot be read.
    return null
  }
}
