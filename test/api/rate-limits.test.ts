import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../server/src/app.js'
import { createPool } from '../../server/src/db/client.js'
import { createTestApp, residentLogin, type TestApp } from '../helper.js'
import { categoryId, fileReport } from './flow.js'

/**
 * Limits are counted in PostgreSQL per user (per IP only on anonymous routes): residents behind one carrier
 * NAT do not share a quota, and a second API instance on the same database sees the same counts.
 */
const PER_HOUR = 3
let app: TestApp
let second: Awaited<ReturnType<typeof build>>
let secondPool: ReturnType<typeof createPool>

beforeAll(async () => {
  app = await createTestApp({ complaintsPerHour: PER_HOUR })
  secondPool = createPool(app.config.databaseUrl, 2)
  second = await build({ config: app.config, pool: secondPool, sms: app.sms, logger: false })
})
afterAll(async () => {
  await second.close()
  await secondPool.end()
  await app.close2()
})

const NAT = '100.64.1.1'
/** fileReport needs only inject and db, which both instances have. */
const submit = (instance: Pick<TestApp, 'inject' | 'db'>, headers: Record<string, string>) => fileReport(instance as TestApp, headers)

describe('rate limits', () => {
  it('gives two residents behind the same IP a quota each', async () => {
    const a = await residentLogin(app, '13600000001')
    const b = await residentLogin(app, '13600000002')
    const cat = await categoryId(app)
    const file = (h: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/api/v1/complaints', remoteAddress: NAT, headers: h, payload: { categoryId: cat, address: '任港路88号门口', description: '门口无人测温无人查验', anonymous: false, photoIds: [] } })
    for (let i = 0; i < PER_HOUR; i++) expect((await file(a.headers)).statusCode).toBe(201)
    const over = await file(a.headers)
    expect(over.statusCode).toBe(429)
    expect(over.json().detail).toMatch(/操作太频繁/)
    expect((await file(b.headers)).statusCode).toBe(201)
  })

  it('shares the count between two API instances on the same database', async () => {
    const c = await residentLogin(app, '13600000003')
    expect((await submit(app, c.headers)).statusCode).toBe(201)
    expect((await submit(second, c.headers)).statusCode).toBe(201)
    expect((await submit(app, c.headers)).statusCode).toBe(201)
    const over = await submit(second, c.headers)
    expect(over.statusCode).toBe(429)
    // The quota counts reports filed, in the database both instances share: nothing was written for the refused one.
    const filed = await app.pool.query('SELECT count(*)::int AS n FROM complaints WHERE reporter_id = $1', [c.userId])
    expect(filed.rows[0].n).toBe(PER_HOUR)
  })

  it('never spends the hourly quota on retries of a report already filed', async () => {
    const c = await residentLogin(app, '13600000004')
    const cat = await categoryId(app)
    const payload = { categoryId: cat, address: '任港路新村', description: '卡口无人测温', anonymous: false, photoIds: [] }
    const keyed = (key: string) => app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { ...c.headers, 'idempotency-key': key }, payload })
    for (let i = 0; i < PER_HOUR; i++) expect((await keyed(`quota-key-${i}`)).statusCode).toBe(201)
    // The phone lost the answers and retries them all, twice: same reports, no 429.
    for (let round = 0; round < 2; round++) for (let i = 0; i < PER_HOUR; i++) expect((await keyed(`quota-key-${i}`)).statusCode).toBe(201)
    expect((await keyed('quota-key-new')).statusCode).toBe(429)
  })

  it('limits SMS codes per phone whatever the address or instance', async () => {
    const phone = '13600009999'
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/sms/send', remoteAddress: '100.64.2.1', payload: { phone } })).statusCode).toBe(200)
    const again = await second.inject({ method: 'POST', url: '/api/v1/auth/sms/send', remoteAddress: '100.64.2.2', payload: { phone } })
    expect(again.statusCode).toBe(429)
    expect(again.json().detail).toMatch(/秒后再获取验证码/)
  })

  it('keeps a coarse per-IP guard on anonymous routes, shared by the instances', async () => {
    const ip = '100.64.9.9'
    let last = 0
    for (let i = 0; i < 31; i++) {
      const instance = i % 2 ? second : app
      const r = await instance.inject({ method: 'POST', url: '/api/v1/auth/sms/send', remoteAddress: ip, payload: { phone: `1370000${String(i).padStart(4, '0')}` } })
      last = r.statusCode
      if (i < 30) expect(r.statusCode, r.body).toBe(200)
    }
    expect(last).toBe(429)
  })
})
