import net from 'node:net'
import { build } from '../../server/src/app.js'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { findOrgByNames, seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../../test/env.js'
const url = 'postgres://postgres:postgres@127.0.0.1:55432/probe'
const pool = createPool(url)
const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url, COMPLAINTS_PER_HOUR: '1000000' }, { uploadDir: '/tmp/probe-up' })
await seedIfEmpty(createDb(pool), config)
const app = await build({ config, pool, logger: false })
await app.listen({ port: 0, host: '127.0.0.1' })
const base = `http://127.0.0.1:${(app.server.address() as any).port}`
const u = await pool.query(`INSERT INTO users (display_name, phone_hash) VALUES ('x', 'probe-x${Date.now()}') RETURNING id`)
const g = await pool.query(`INSERT INTO role_grants (user_id, role) VALUES ($1, 'resident') RETURNING id`, [u.rows[0].id])
const tok = app.jwt.sign({ sub: String(u.rows[0].id), gid: g.rows[0].id, role: 'resident', org: null, path: null })
const place = (await findOrgByNames(app.db, ['任港街道', '大庆社区', '第一网格', '任港路新村'])).id
const body = JSON.stringify({ categoryId: 1, placeOrgId: place, description: '东门无人值守，外来人员随意进出', anonymous: false, photoIds: [] })
const counts: Record<string, number> = {}
const ow = net.Socket.prototype.write
;(net.Socket.prototype as any).write = function (this: net.Socket, ...a: any[]) { const k = `write:${this.remotePort}`; counts[k] = (counts[k] ?? 0) + 1; return (ow as any).apply(this, a) }
const ov = (net.Socket.prototype as any)._writev
for (let i = 0; i < 4; i++) {
  for (const k of Object.keys(counts)) delete counts[k]
  const t = performance.now()
  const r = await fetch(`${base}/api/v1/complaints`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json', 'idempotency-key': `probe3-${i}-${Date.now()}` }, body })
  await r.text()
  console.log(r.status, (performance.now() - t).toFixed(1), 'ms', JSON.stringify(counts))
}
await app.close(); await pool.end()
