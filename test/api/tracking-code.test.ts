import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestApp, residentLogin, type TestApp } from '../helper.js'
import { fileReport } from './flow.js'

// The first two draws are the same code, as two reports of one day can draw by chance.
vi.mock('../../server/src/modules/complaints/complaints.core.js', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../server/src/modules/complaints/complaints.core.js')>()
  let draws = 0
  return { ...m, newTrackingCode: () => (draws++ < 2 ? 'CC250101ZZZZZ' : m.newTrackingCode()) }
})

let app: TestApp
beforeAll(async () => {
  app = await createTestApp()
})
afterAll(() => app.close2())

describe('POST /api/v1/complaints', () => {
  it('draws another tracking code when the first is already taken, instead of answering 409', async () => {
    const a = await residentLogin(app, '13712345601')
    const b = await residentLogin(app, '13712345602')
    const first = await fileReport(app, a.headers)
    expect(first.statusCode, first.body).toBe(201)
    expect(first.json().trackingCode).toBe('CC250101ZZZZZ')
    const second = await fileReport(app, b.headers)
    expect(second.statusCode, second.body).toBe(201)
    expect(second.json().trackingCode).not.toBe('CC250101ZZZZZ')
    expect((await app.pool.query(`SELECT count(*)::int AS n FROM complaints WHERE reporter_id = $1`, [b.userId])).rows[0].n).toBe(1)
  })
})
