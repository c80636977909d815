import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { inject } from 'vitest'
import type { Role } from '@cc/shared'
import { build, type BuildOptions } from '../server/src/app.js'
import { loadConfig, type AppConfig } from '../server/src/config.js'
import { createPool } from '../server/src/db/client.js'
import { DevSmsProvider } from '../server/src/modules/auth/sms.js'
import { findOrgByNames } from '../server/src/seed/seed.js'
import { TEST_ENV, TEMPLATE_DB } from './env.js'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** A fresh database cloned from the seeded template: test files never share rows. */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl')
  const name = `cc_t_${randomBytes(5).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  // Cloning needs the template to have no other sessions; files start at once, so retry briefly.
  for (let i = 0; ; i++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`)
      break
    } catch (e) {
      if (i > 50) throw e
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200))
    }
  }
  await admin.end()
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`)
  return {
    url,
    drop: async () => {
      const a = new pg.Client({ connectionString: adminUrl })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await a.end()
    },
  }
}

export type TestApp = Awaited<ReturnType<typeof build>> & { sms: DevSmsProvider; close2: () => Promise<void> }

export async function createTestApp(overrides: Partial<AppConfig> = {}, env: NodeJS.ProcessEnv = {}, opts: Partial<BuildOptions> = {}): Promise<TestApp> {
  const db = await freshDatabase()
  const config = loadConfig({ ...TEST_ENV, ...env }, { uploadDir: path.join(ROOT, 'test/.artifacts/uploads', path.basename(db.url)), ...overrides })
  const pool = createPool(db.url, 10)
  const sms = new DevSmsProvider()
  const app = await build({ config: { ...config, databaseUrl: db.url }, pool, sms, logger: process.env.TEST_LOG ? { level: 'error' } : false, ...opts })
  return Object.assign(app, {
    sms,
    close2: async () => {
      await app.close()
      await pool.end()
      await db.drop()
    },
  }) as TestApp
}

/** Creates a staff user holding `role` at the org named by `orgNames`, and returns a bearer header. */
export async function staffToken(app: TestApp, role: Role, orgNames: string[], username = `${role}_${randomBytes(3).toString('hex')}`) {
  const org = await findOrgByNames(app.db, orgNames)
  const u = await app.pool.query<{ id: number }>(`INSERT INTO users (display_name, username) VALUES ($1, $2) RETURNING id`, [username, username])
  const g = await app.pool.query<{ id: number }>(`INSERT INTO role_grants (user_id, role, org_id) VALUES ($1, $2, $3) RETURNING id`, [u.rows[0]!.id, role, org.id])
  const token = app.jwt.sign({ sub: String(u.rows[0]!.id), gid: g.rows[0]!.id, role, org: org.id, path: org.path })
  return { userId: u.rows[0]!.id, orgId: org.id, headers: { authorization: `Bearer ${token}` } }
}

/** A resident logged in through the real SMS flow. */
/** A different client address per call, so per-IP rate limits do not couple unrelated tests. */
export const someIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`

export async function residentLogin(app: TestApp, phone: string) {
  const remoteAddress = someIp()
  const sent = await app.inject({ method: 'POST', url: '/api/v1/auth/sms/send', payload: { phone }, remoteAddress })
  if (sent.statusCode !== 200) throw new Error(`sms send failed: ${sent.body}`)
  const code = sent.json().devCode as string
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login/sms', payload: { phone, code }, remoteAddress })
  if (res.statusCode !== 200) throw new Error(`sms login failed: ${res.body}`)
  const body = res.json()
  return { userId: body.me.id as number, headers: { authorization: `Bearer ${body.accessToken}` }, cookie: res.cookies.find((c) => c.name === 'cc_rt')!.value }
}
