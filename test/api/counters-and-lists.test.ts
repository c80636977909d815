import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { autoClose, sweepClocks } from '../../server/src/jobs/clocks.js'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { createTestApp, residentLogin, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport, upload } from './flow.js'

let app: TestApp
let resident: Awaited<ReturnType<typeof residentLogin>>
let other: Awaited<ReturnType<typeof residentLogin>>
let admin: { headers: Record<string, string> }
let worker: { headers: Record<string, string> }
let street: { headers: Record<string, string> }
let foreignWorker: { headers: Record<string, string> }

beforeAll(async () => {
  app = await createTestApp()
  resident = await residentLogin(app, '13612345601')
  other = await residentLogin(app, '13612345602')
  admin = await staffToken(app, 'district_admin', [])
  worker = await staffToken(app, 'community_worker', DAQING)
  street = await staffToken(app, 'street_admin', ['任港街道'])
  foreignWorker = await staffToken(app, 'community_worker', ['和平桥街道', '濠西社区'])
})
afterAll(() => app.close2())

type Step = 'submitted' | 'accepted' | 'assigned' | 'signed' | 'rectified' | 'verified'
async function walk(until: Step, who = resident) {
  const r = await fileReport(app, who.headers)
  expect(r.statusCode, r.body).toBe(201)
  const id = r.json().id as number
  if (until === 'submitted') return id
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
  if (until === 'accepted') return id
  const daqing = await findOrgByNames(app.db, DAQING)
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })).statusCode).toBe(200)
  if (until === 'assigned') return id
  expect((await act(app, worker.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
  if (until === 'signed') return id
  const photo = (await upload(app, worker.headers, 'rectify')).json().id
  expect((await act(app, worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '已在东门增设志愿者，24小时查验', photoIds: [photo] })).statusCode).toBe(200)
  if (until === 'rectified') return id
  expect((await act(app, admin.headers, `/api/v1/admin/complaints/${id}/verify`)).statusCode).toBe(200)
  return id
}

/** The home numbers counted the plain way, over every report (what the counters must always equal). */
async function recount() {
  const r = await app.pool.query(`
    SELECT
      count(*) FILTER (WHERE created_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' AND status NOT IN ('rejected', 'merged'))::int AS "receivedToday",
      count(*) FILTER (WHERE status IN ('submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened'))::int AS open,
      count(*) FILTER (WHERE status IN ('assigned', 'signed') AND (sign_overdue OR rectify_overdue))::int AS overdue,
      count(*) FILTER (WHERE status IN ('verified', 'published', 'closed'))::int AS "pluggedTotal",
      (count(*) FILTER (WHERE rectified_on_time))::float / NULLIF(count(*) FILTER (WHERE rectified_on_time IS NOT NULL), 0) AS "onTimeRate",
      (count(*) FILTER (WHERE rating = 'satisfied'))::float / NULLIF(count(*) FILTER (WHERE rating IS NOT NULL), 0) AS "satisfactionRate",
      count(*) FILTER (WHERE pending_request IS NOT NULL)::int AS "pendingRequests",
      count(*) FILTER (WHERE status IN ('submitted', 'reopened'))::int AS "toTriage",
      count(*) FILTER (WHERE status = 'accepted')::int AS "toAssign",
      count(*) FILTER (WHERE status = 'rectified')::int AS "toVerify"
    FROM complaints`)
  return r.rows[0]
}
const stats = async () => {
  const r = await app.inject({ url: '/api/v1/admin/stats', headers: admin.headers })
  expect(r.statusCode, r.body).toBe(200)
  return r.json()
}
const publishDraft = async () => {
  const d = await act(app, admin.headers, '/api/v1/admin/bulletins/draft')
  expect(d.statusCode, d.body).toBe(200)
  const p = await act(app, admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
  expect(p.statusCode, p.body).toBe(200)
  return p.json() as { id: number; items: unknown[] }
}

describe('home numbers (GET /api/v1/admin/stats)', () => {
  it('equal a plain recount after every kind of transition, and after the deltas are folded', async () => {
    const expectRecount = async (when: string) => expect(await stats(), when).toEqual(await recount())
    await expectRecount('start')

    const rejected = await walk('submitted')
    await act(app, admin.headers, `/api/v1/admin/complaints/${rejected}/reject`, { reason: '经核实不属于防控漏洞' })
    const original = await walk('accepted', other)
    const dup = await walk('submitted')
    await act(app, admin.headers, `/api/v1/admin/complaints/${dup}/merge`, { targetId: original })
    await expectRecount('after reject and merge')

    const requested = await walk('signed')
    await act(app, worker.headers, `/api/v1/tasks/${requested}/extension`, { reason: '需采购门禁设备', until: new Date(Date.now() + 5 * 86400_000).toISOString() })
    const reassigned = await walk('assigned')
    await act(app, worker.headers, `/api/v1/tasks/${reassigned}/reassign`, { reason: '该小区由濠城社区管理' })
    await expectRecount('with pending requests')
    await act(app, admin.headers, `/api/v1/admin/complaints/${reassigned}/decide-request`, { approve: true })
    await expectRecount('after a reassignment')

    const late = await walk('assigned')
    const due = (await app.pool.query('SELECT rectify_due_at FROM complaints WHERE id = $1', [late])).rows[0].rectify_due_at as Date
    await sweepClocks(app.db, new Date(due.getTime() + 1000))
    await expectRecount('after the clocks flagged overdue reports')

    const happy = await walk('verified')
    const unhappy = await walk('verified')
    await walk('rectified')
    await publishDraft()
    await act(app, resident.headers, `/api/v1/complaints/${happy}/rate`, { satisfied: true })
    await act(app, resident.headers, `/api/v1/complaints/${unhappy}/rate`, { satisfied: false })
    await expectRecount('after publishing and rating')

    // A writer that bypasses the services (a job, an operator's UPDATE) is counted too: the triggers see it.
    await app.pool.query(`UPDATE complaints SET published_at = now() - interval '8 days' WHERE status = 'published'`)
    await walk('verified')
    await publishDraft()
    await app.pool.query(`UPDATE complaints SET published_at = now() - interval '8 days' WHERE status = 'published'`)
    expect(await autoClose(app.db)).toBeGreaterThan(0)
    await expectRecount('after the auto-close job')

    const before = (await app.pool.query('SELECT count(*)::int AS n FROM complaint_counters')).rows[0].n
    await app.pool.query('SELECT complaint_counters_compact()')
    const after = (await app.pool.query('SELECT count(*)::int AS n FROM complaint_counters')).rows[0].n
    expect(after).toBeLessThan(before)
    await expectRecount('after folding the deltas')
    await app.pool.query('SELECT complaint_counters_rebuild()')
    await expectRecount('after a rebuild')
  })

  it('counts 今日受理 without rejected or merged reports', async () => {
    const s0 = await stats()
    const a = await walk('submitted')
    const b = await walk('submitted')
    expect((await stats()).receivedToday).toBe(s0.receivedToday + 2)
    await act(app, admin.headers, `/api/v1/admin/complaints/${a}/reject`, { reason: '经核实不属于防控漏洞' })
    await act(app, admin.headers, `/api/v1/admin/complaints/${b}/merge`, { targetId: await walk('accepted', other) })
    expect((await stats()).receivedToday).toBe(s0.receivedToday + 1)
  })
})

describe('public bulletin list', () => {
  it('gives each bulletin the number of its own items', async () => {
    await walk('verified')
    await walk('verified')
    const two = await publishDraft()
    await walk('verified')
    const one = await publishDraft()
    const truth = async (id: number) => (await app.pool.query('SELECT count(*)::int AS n FROM bulletin_items WHERE bulletin_id = $1', [id])).rows[0].n
    expect(two.items.length).toBe(await truth(two.id))
    expect(one.items.length).toBe(await truth(one.id))
    expect(two.items.length).not.toBe(one.items.length)
    const list = (await app.inject({ url: '/api/v1/bulletins' })).json().items as { id: number; itemCount: number }[]
    expect(list.find((b) => b.id === two.id)!.itemCount).toBe(two.items.length)
    expect(list.find((b) => b.id === one.id)!.itemCount).toBe(one.items.length)
  })
})

describe('lists', () => {
  it('answers a submit with the same report a reload shows', async () => {
    const photo = (await upload(app, resident.headers)).json().id
    for (const over of [{}, { photoIds: [photo] }, { placeOrgId: undefined, address: '崇川路88号门口' }]) {
      const r = await fileReport(app, resident.headers, over)
      expect(r.statusCode, r.body).toBe(201)
      const again = await app.inject({ url: `/api/v1/complaints/${r.json().id}`, headers: resident.headers })
      expect(r.json()).toEqual(again.json())
    }
  })

  it('keeps the assignee path on the report: the unit and the units above see the task, others do not, and a reassignment clears it', async () => {
    const id = await walk('assigned')
    const ids = async (h: Record<string, string>) => (await app.inject({ url: '/api/v1/tasks?limit=50', headers: h })).json().items.map((i: { id: number }) => i.id)
    expect(await ids(worker.headers)).toContain(id)
    expect(await ids(street.headers)).toContain(id)
    expect(await ids(foreignWorker.headers)).not.toContain(id)
    const daqing = await findOrgByNames(app.db, DAQING)
    expect((await app.pool.query('SELECT assignee_path FROM complaints WHERE id = $1', [id])).rows[0].assignee_path).toBe(daqing.path)
    await act(app, worker.headers, `/api/v1/tasks/${id}/reassign`, { reason: '该小区由濠城社区管理' })
    await act(app, admin.headers, `/api/v1/admin/complaints/${id}/decide-request`, { approve: true })
    expect((await app.pool.query('SELECT assignee_path FROM complaints WHERE id = $1', [id])).rows[0].assignee_path).toBeNull()
    expect(await ids(worker.headers)).not.toContain(id)
  })

  it('pages 我的反映 over own and joined reports, newest first, each exactly once', async () => {
    const me = await residentLogin(app, '13612345609')
    const own = [await walk('submitted', me), await walk('submitted', me)]
    const joined = await walk('submitted', other)
    await app.pool.query('INSERT INTO complaint_followers (complaint_id, user_id) VALUES ($1, $2)', [joined, me.userId])
    own.push(await walk('accepted', me))
    const seen: number[] = []
    let cursor: string | null = null
    do {
      const r: Awaited<ReturnType<TestApp['inject']>> = await app.inject({ url: `/api/v1/complaints/mine?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: me.headers })
      expect(r.statusCode, r.body).toBe(200)
      seen.push(...r.json().items.map((i: { id: number }) => i.id))
      cursor = r.json().nextCursor
    } while (cursor)
    expect(seen).toEqual([...own, joined].sort((a, b) => b - a))
    // Each item is the full resident view, events included.
    const first = (await app.inject({ url: '/api/v1/complaints/mine', headers: me.headers })).json().items[0]
    expect(first).toEqual((await app.inject({ url: `/api/v1/complaints/${first.id}`, headers: me.headers })).json())
  })

  it('issues the same number of queries for a page of 2 as for a page of 20 (no query per item)', async () => {
    for (let i = 0; i < 6; i++) await walk('assigned')
    const count = async (url: string, headers: Record<string, string>) => {
      let n = 0
      const orig = app.pool.query.bind(app.pool)
      app.pool.query = ((...a: Parameters<typeof orig>) => (n++, orig(...a))) as typeof app.pool.query
      try {
        const r = await app.inject({ url, headers })
        expect(r.statusCode, r.body).toBe(200)
        expect(r.json().items.length).toBeGreaterThanOrEqual(url.includes('limit=2') ? 2 : 3)
      } finally {
        app.pool.query = orig
      }
      return n
    }
    for (const [url, h] of [
      ['/api/v1/complaints/mine', resident.headers],
      ['/api/v1/tasks', worker.headers],
      ['/api/v1/admin/complaints', admin.headers],
    ] as const)
      expect(await count(`${url}?limit=2`, h), url).toBe(await count(`${url}?limit=20`, h))
  })
})
