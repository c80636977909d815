import { expect } from 'vitest'
import { findOrgByNames } from '../../server/src/seed/seed.js'
import { residentLogin, staffToken, type TestApp } from '../helper.js'
import { act, DAQING, fileReport, upload } from './flow.js'

export type Headers = Record<string, string>
export type Step = 'submitted' | 'accepted' | 'assigned' | 'signed' | 'rectified' | 'verified'

/** The people of one complaint loop in the demo district, logged in through the real routes. */
export async function loopActors(app: TestApp, phones: [string, string] = ['13512345678', '13512340000']) {
  return {
    resident: await residentLogin(app, phones[0]),
    other: await residentLogin(app, phones[1]),
    admin: await staffToken(app, 'district_admin', []),
    worker: await staffToken(app, 'community_worker', DAQING),
    street: await staffToken(app, 'street_admin', ['任港街道']),
  }
}
export type LoopActors = Awaited<ReturnType<typeof loopActors>>

/** Walks an accepted (or reopened and re-accepted) report from assignment to `until` through the routes. */
export async function fromAccepted(app: TestApp, a: LoopActors, id: number, until: Step) {
  if (until === 'accepted') return
  const daqing = await findOrgByNames(app.db, DAQING)
  const r = await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/assign`, { unitOrgId: daqing.id })
  expect(r.statusCode, r.body).toBe(200)
  if (until === 'assigned') return
  expect((await act(app, a.worker.headers, `/api/v1/tasks/${id}/sign`)).statusCode).toBe(200)
  if (until === 'signed') return
  const photo = (await upload(app, a.worker.headers, 'rectify')).json().id
  const fix = await act(app, a.worker.headers, `/api/v1/tasks/${id}/rectify`, { text: '已在东门增设志愿者，24小时查验出入人员', photoIds: [photo] })
  expect(fix.statusCode, fix.body).toBe(200)
  if (until === 'rectified') return
  const v = await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/verify`)
  expect(v.statusCode, v.body).toBe(200)
}

/** Files a report as `who` and walks it to `until`; returns its id. */
export async function walk(app: TestApp, a: LoopActors, until: Step, who: { headers: Headers } = a.resident, over: Record<string, unknown> = {}) {
  const r = await fileReport(app, who.headers, over)
  expect(r.statusCode, r.body).toBe(201)
  const id = r.json().id as number
  if (until === 'submitted') return id
  expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
  await fromAccepted(app, a, id, until)
  return id
}

export const statusOf = async (app: TestApp, id: number) => (await app.pool.query('SELECT status FROM complaints WHERE id = $1', [id])).rows[0].status as string
