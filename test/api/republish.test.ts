import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { autoClose } from '../../server/src/jobs/clocks.js'
import { createTestApp, type TestApp } from '../helper.js'
import { act } from './flow.js'
import { fromAccepted, loopActors, statusOf, walk, type LoopActors } from './loop.js'

let app: TestApp
let a: LoopActors
beforeAll(async () => {
  app = await createTestApp()
  a = await loopActors(app)
})
afterAll(() => app.close2())

describe('a reopened complaint (不满意) goes round the loop again', () => {
  it('is drafted into a later bulletin, published, rateable again — round after round — and auto-closes', async () => {
    const id = await walk(app, a, 'verified')
    const bulletins: number[] = []
    for (let round = 1; round <= 3; round++) {
      // Drafting twice must not put it in the draft twice.
      await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      const d = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      expect(d.statusCode, d.body).toBe(200)
      expect(d.json().items.filter((i: { complaintId: number }) => i.complaintId === id), `round ${round}`).toHaveLength(1)
      const p = await act(app, a.admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)
      expect(p.statusCode, p.body).toBe(200)
      bulletins.push(d.json().id)
      expect(await statusOf(app, id)).toBe('published')
      const mine = await app.inject({ url: `/api/v1/complaints/${id}`, headers: a.resident.headers })
      expect(mine.json()).toMatchObject({ status: 'published', canRate: true, rating: null, bulletinId: d.json().id, bulletinTitle: p.json().title })
      if (round === 3) break
      const rated = await act(app, a.resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: false, comment: `第${round}次整改不到位` })
      expect(rated.json()).toMatchObject({ status: 'reopened', rating: 'unsatisfied', canRate: false })
      // Once reopened it is not drafted until it is verified again.
      const early = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      expect(early.json().items.map((i: { complaintId: number }) => i.complaintId)).not.toContain(id)
      expect((await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/accept`)).statusCode).toBe(200)
      await fromAccepted(app, a, id, 'verified')
    }
    expect(new Set(bulletins).size).toBe(3)
    const items = await app.pool.query('SELECT bulletin_id FROM bulletin_items WHERE complaint_id = $1 ORDER BY bulletin_id', [id])
    expect(items.rows.map((r) => r.bulletin_id)).toEqual(bulletins)
    // The district list shows it once, not once per bulletin.
    const list = await app.inject({ url: '/api/v1/admin/complaints?status=published&limit=100', headers: a.admin.headers })
    expect(list.json().items.filter((i: { id: number }) => i.id === id)).toHaveLength(1)
    // Third round: nobody rates, so it closes by itself after 7 days.
    expect(await autoClose(app.db, new Date(Date.now() + 8 * 86400_000))).toBeGreaterThanOrEqual(1)
    expect(await statusOf(app, id)).toBe('closed')
    const ratings = await app.pool.query(`SELECT note FROM complaint_events WHERE complaint_id = $1 AND kind = 'rated' ORDER BY id`, [id])
    expect(ratings.rows.map((r) => r.note)).toEqual(['第1次整改不到位', '第2次整改不到位'])
  })

  it('closes when the reporter is satisfied with the second fix', async () => {
    const id = await walk(app, a, 'verified')
    const publish = async () => {
      const d = await act(app, a.admin.headers, '/api/v1/admin/bulletins/draft')
      expect((await act(app, a.admin.headers, `/api/v1/admin/bulletins/${d.json().id}/publish`)).statusCode).toBe(200)
    }
    await publish()
    await act(app, a.resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: false })
    await act(app, a.admin.headers, `/api/v1/admin/complaints/${id}/accept`)
    await fromAccepted(app, a, id, 'verified')
    await publish()
    const r = await act(app, a.resident.headers, `/api/v1/complaints/${id}/rate`, { satisfied: true })
    expect(r.json()).toMatchObject({ status: 'closed', rating: 'satisfied' })
  })
})
