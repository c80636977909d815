import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../server/src/config.js'
import { createDb, createPool } from '../server/src/db/client.js'
import { startEmbeddedPostgres } from '../server/src/db/embedded.js'
import { runMigrations } from '../server/src/db/migrate.js'
import { seedIfEmpty } from '../server/src/seed/seed.js'
import { TEST_ENV, TEMPLATE_DB } from './env.js'

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
  }
}

/**
 * One real PostgreSQL for the whole run (embedded, in a temp folder, or TEST_DATABASE_URL's server), and a
 * template database with migrations and the demo district applied. Each test file clones the template.
 */
export default async function setup(project: TestProject) {
  try {
    return await prepare(project)
  } catch (err) {
    // Vitest reports a failing global setup as a bare "Test failed"; say what broke.
    console.error('\n测试环境准备失败（全局 setup）：', err)
    throw err
  }
}

async function prepare(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL
  let stop = async () => {}
  let dir: string | null = null
  if (!adminUrl) {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cc-test-pg-'))
    chmodSync(dir, 0o755) // the server runs as the postgres user when we are root
    const db = await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
    adminUrl = db.url('postgres')
    stop = async () => {
      await db.stop()
      if (db.dataDir !== path.join(dir!, 'pg')) rmSync(db.dataDir, { recursive: true, force: true })
    }
  }
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`)
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`)
  const tplUrl = adminUrl.replace(/\/[^/]*$/, `/${TEMPLATE_DB}`)
  await runMigrations(tplUrl)
  const pool = createPool(tplUrl, 2)
  await seedIfEmpty(createDb(pool), loadConfig(TEST_ENV))
  await pool.end()
  await admin.end()
  project.provide('pgAdminUrl', adminUrl)
  return async () => {
    await stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}
