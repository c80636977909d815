/**
 * One command runs the product: PostgreSQL (embedded in .data/ unless DATABASE_URL is set), migrations,
 * seed, the H5 build, and the API + H5 on one port. Ctrl-C closes the server, then PostgreSQL.
 * Start-up failures print one message saying what to do.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { build } from './app.js'
import { loadConfig, newDemoSecrets, type DemoSecrets } from './config.js'
import { createDb, createPool } from './db/client.js'
import { EmbeddedPgError, startEmbeddedPostgres, type EmbeddedDb } from './db/embedded.js'
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

function demoSecrets(): DemoSecrets & { pgPassword?: string } {
  const file = path.join(dataDir, 'secrets.json')
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoSecrets
  const s = { ...newDemoSecrets(), pgPassword: randomBytes(18).toString('base64url') }
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(file, JSON.stringify(s), { mode: 0o600 })
  return s
}

/**
 * The embedded server's superuser password is generated per data folder and kept with the other demo
 * secrets. A cluster made before that used the fixed word "postgres": it is rotated on its first start.
 */
async function startEmbedded(): Promise<EmbeddedDb> {
  const secrets = demoSecrets()
  const pgDir = path.join(dataDir, 'pg')
  const port = Number(process.env.PG_PORT) || undefined
  if (secrets.pgPassword) return startEmbeddedPostgres(pgDir, { port, password: secrets.pgPassword, quiet: true })
  const legacy = await startEmbeddedPostgres(pgDir, { port, password: 'postgres', quiet: true })
  const pgPassword = randomBytes(18).toString('base64url')
  const c = new pg.Client({ connectionString: legacy.url('postgres') })
  await c.connect()
  await c.query(`ALTER USER postgres PASSWORD '${pgPassword}'`)
  await c.end()
  writeFileSync(path.join(dataDir, 'secrets.json'), JSON.stringify({ ...secrets, pgPassword }), { mode: 0o600 })
  return startEmbeddedPostgres(pgDir, { port: legacy.port, password: pgPassword, quiet: true })
}

async function main() {
  let embedded: EmbeddedDb | null = null
  let databaseUrl = process.env.DATABASE_URL
  if (!databaseUrl) {
    embedded = await startEmbedded()
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

/** Resolves when `p` settles or after `ms`, whichever is first: shutdown never hangs on a dead database. */
const within = (p: Promise<unknown>, ms: number) => Promise.race([p.catch((e) => console.error(`关闭时出错：${(e as Error).message}`)), new Promise((r) => setTimeout(r, ms).unref())])

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
  // Loopback unless told otherwise: HOST=0.0.0.0 opens it to phones on the LAN.
  const host = process.env.HOST ?? '127.0.0.1'
  await app.listen({ port, host })

  const url = `http://127.0.0.1:${port}`
  console.log(`\n崇川在线 已启动 (${((Date.now() - t0) / 1000).toFixed(1)} 秒${seeded ? '，已写入演示数据' : ''})`)
  console.log(`  打开: ${url}    接口文档: ${url}/api/docs${host === '127.0.0.1' ? '    （仅本机；手机访问请设置 HOST=0.0.0.0）' : ''}`)
  console.log(`  数据库: ${embedded ? `内嵌 PostgreSQL（${embedded.dataDir}${embedded.reused ? '，沿用上次未关闭的数据库进程' : ''}）` : '外部 DATABASE_URL'}`)
  if (config.mode === 'demo') {
    console.log(`  演示账号（密码均为 ${DEMO_PASSWORD}）:`)
    for (const a of DEMO_ACCOUNTS) console.log(`    ${a.username.padEnd(9)} ${a.displayName}`)
    console.log(`  居民: 手机号 ${DEMO_RESIDENT_PHONE}（或任意手机号），演示模式下验证码直接显示在页面上`)
  }

  // One failing request must never take the server down: Fastify contains errors inside a request; anything
  // that still escapes (a stray promise, a callback after the client left) is logged and the server goes on.
  process.on('unhandledRejection', (err) => app.log.error({ err }, 'unhandled rejection (server keeps running)'))
  process.on('uncaughtException', (err) => app.log.error({ err }, 'uncaught exception (server keeps running)'))

  // The embedded database died under the running server (killed, out of memory): start it again, same
  // folder and port. Meanwhile API calls answer 503 with Retry-After (plugins/errors.ts).
  let closing = false
  let restarting = false
  const watchdog = embedded
    ? setInterval(() => {
        if (closing || restarting || embedded.isRunning()) return
        restarting = true
        app.log.error('embedded PostgreSQL is not running; restarting it')
        embedded
          .restart()
          .then(() => app.log.info('embedded PostgreSQL restarted'))
          .catch((err) => app.log.error({ err }, 'embedded PostgreSQL restart failed; will retry'))
          .finally(() => (restarting = false))
      }, 2000)
    : null
  watchdog?.unref()

  // Ctrl-C reaches every process of the group (pnpm, tsx, node), so the same signal can arrive twice:
  // the first starts an orderly shutdown (jobs, HTTP, pool, then PostgreSQL), repeats are ignored.
  // PostgreSQL runs in its own session (pg_ctl), so the signal never reaches it: it is stopped last, here.
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    if (watchdog) clearInterval(watchdog)
    console.log(`\n正在关闭 (${signal})…`)
    const force = setTimeout(() => process.exit(1), 25_000)
    try {
      await within(jobs?.stop() ?? Promise.resolve(), 8000)
      const httpClosed = app.close()
      // Requests still running get a moment; sockets of clients that vanished mid-request do not hold us.
      await within(httpClosed, 3000)
      app.server.closeAllConnections()
      await within(httpClosed, 2000)
      await within(pool.end(), 3000)
      if (embedded) await within(embedded.stop(), 8000)
      console.log('已关闭')
    } finally {
      clearTimeout(force)
      process.exit(0)
    }
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

/** A start-up failure is one clear message and what to do, never a bare stack trace. */
function explain(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { code?: string }
  const msg = err instanceof Error ? err.message : String(err)
  if (e?.code === 'EADDRINUSE') return `端口 ${process.env.PORT ?? 3000} 已被占用。请关闭占用它的程序，或换一个端口：PORT=3001 pnpm start`
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return `没有权限：${msg}。请检查项目目录的权限，或换一个可写的目录再试。`
  if (e?.code === 'ECONNREFUSED' || e?.code === '28P01' || e?.code === '3D000') return `连不上数据库（${msg}）。请检查 DATABASE_URL，或不设置它以使用内嵌 PostgreSQL。`
  if (err instanceof EmbeddedPgError) return `${msg}\n如果数据目录已损坏，可以删除 ${path.relative(process.cwd(), dataDir) || dataDir}/pg 后重新启动（演示数据会重新生成）。`
  return msg
}

main().catch((err) => {
  console.error(`\n崇川在线 启动失败：${explain(err)}`)
  if (process.env.DEBUG) console.error(err)
  else console.error('（设置 DEBUG=1 可查看详细错误堆栈）')
  process.exit(1)
})
