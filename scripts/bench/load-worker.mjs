// Load client for `pnpm bench`, run in a worker thread so it does not share the server's event loop.
// Plain ESM (no TypeScript loader needed inside the worker). Records every response time so the
// percentiles are exact (autocannon's own summary has no p95).
import { parentPort, workerData } from 'node:worker_threads'
import autocannon from 'autocannon'

const o = workerData
let seq = 0
const times = []
const statuses = {}
const instance = autocannon(
  {
    url: o.url,
    connections: o.connections,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds }),
    timeout: 30,
    requests: [
      {
        method: o.method,
        headers: o.headers,
        body: o.body,
        // Each submit is a new report: its own Idempotency-Key, and residents in turn.
        ...(o.uniqueKey
          ? {
              setupRequest: (req) => {
                seq++
                const auth = o.tokens ? { authorization: `Bearer ${o.tokens[seq % o.tokens.length]}` } : {}
                return { ...req, headers: { ...req.headers, ...auth, 'idempotency-key': `${o.uniqueKey}-${seq}-${Math.random().toString(36).slice(2)}` } }
              },
            }
          : {}),
      },
    ],
  },
  (err, res) => {
    if (err) throw err
    times.sort((a, b) => a - b)
    const q = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(times.length * p))] : NaN)
    parentPort.postMessage({
      count: times.length,
      rps: times.length / ((res.duration ?? o.seconds) || 1),
      p50: q(0.5),
      p95: q(0.95),
      p99: q(0.99),
      statuses,
      errors: res.errors + res.timeouts,
    })
  },
)
instance.on('response', (_client, status, _bytes, ms) => {
  times.push(ms)
  statuses[status] = (statuses[status] ?? 0) + 1
})
