import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import pg from 'pg'
import * as schema from './schema.js'

// bigint (int8) and numeric come back as strings by default; counts here fit in a double.
pg.types.setTypeParser(20, (v) => Number(v))

export type Db = NodePgDatabase<typeof schema>
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]
export type DbOrTx = Db | Tx

export function createPool(url: string, max = 20): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, application_name: 'chongchuan' })
  // An idle client dropped by the server (restart, admin shutdown) must not crash the process; the pool
  // replaces it on the next query.
  pool.on('error', (err) => console.error(`PostgreSQL connection lost: ${err.message}`))
  // Socket-level Nagle/delayed-ACK would add ~40 ms to small parameterised queries.
  pool.on('connect', (client) => {
    const stream = (client as unknown as { connection?: { stream?: NodeJS.WritableStream & { setNoDelay?: (b: boolean) => void; cork?: () => void; uncork?: () => void } } }).connection?.stream
    stream?.setNoDelay?.(true)
    // node-postgres writes each message of a query (bind, describe, execute, sync) with its own write(): four
    // syscalls and four TCP segments per query, the largest CPU cost of a submit. Corking the socket for the
    // rest of the tick sends them as one.
    if (stream?.cork && stream.uncork) {
      const write = stream.write
      let corked = false
      stream.write = function (this: typeof stream, ...args: unknown[]) {
        if (!corked) {
          corked = true
          stream.cork!()
          process.nextTick(() => {
            corked = false
            stream.uncork!()
          })
        }
        return (write as (...a: unknown[]) => boolean).apply(this, args)
      } as typeof stream.write
    }
  })
  return pool
}

export function createDb(pool: pg.Pool): Db {
  return drizzle(pool, { schema })
}
