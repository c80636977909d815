import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { loadConfig } from '../../server/src/config.js'
import { createDb, createPool } from '../../server/src/db/client.js'
import { startEmbeddedPostgres } from '../../server/src/db/embedded.js'
import { runMigrations } from '../../server/src/db/migrate.js'
import { seedIfEmpty } from '../../server/src/seed/seed.js'
import { TEST_ENV } from '../../test/env.js'

/**
 * A benchmark's own database, migrated and seeded with the demo district: on BENCH_DATABASE_URL's server
 * (a database created there and dropped after) or on an embedded PostgreSQL in a temporary folder (removed
 * after, unless BENCH_KEEP). `close()` ends the pool and tears everything down.
 */
export async function benchDatabase(name: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `cc-bench-${name}-`))
  chmodSync(dir, 0o755)
  const pgServer = process.env.BENCH_DATABASE_URL
    ? { url: (d = 'postgres') => process.env.BENCH_DATABASE_URL!.replace(/\/[^/]*$/, `/${d}`), stop: async () => {} }
    : await startEmbeddedPostgres(path.join(dir, 'pg'), { quiet: true })
  const dbName = `bench_${name.replace(/\W/g, '')}_${randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: pgServer.url() })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${dbName}`)
  await admin.end()
  const url = pgServer.url(dbName)
  await runMigrations(url)
  const pool = createPool(url)
  const config = loadConfig({ ...TEST_ENV, DATABASE_URL: url, ...env }, { uploadDir: path.join(dir, 'uploads') })
  const db = createDb(pool)
  await seedIfEmpty(db, config)
  async function close() {
    await pool.end()
    if (process.env.BENCH_DATABASE_URL) {
      const a = new pg.Client({ connectionString: pgServer.url() })
      await a.connect()
      await a.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      await a.end()
    }
    await pgServer.stop()
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true })
  }
  return { dir, url, pool, db, config, close }
}
