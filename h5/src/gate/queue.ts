import { ref } from 'vue'
import { ApiError } from '../api/client'
import { gateApi, type CheckInput } from '../api/gate'
import { gateDb, type QueuedCheck } from './db'

/** Checks waiting for the network (shown in the 离线 banner). */
export const queueLength = ref(0)
/** Checks the server refused (4xx): kept so nothing is silently lost, shown to the gatekeeper. */
export const refusedCount = ref(0)

export async function refreshQueueLength() {
  const all = await (await gateDb()).getAll('queue')
  queueLength.value = all.filter((q) => !q.refused).length
  refusedCount.value = all.length - queueLength.value
}

/** Kept on this phone until the server confirms it; the client id makes the later sync exactly-once. */
export async function enqueue(input: CheckInput, visitorClientId?: string) {
  const item: QueuedCheck = { clientId: input.clientId, input: { ...input, offline: true }, queuedAt: Date.now(), ...(visitorClientId ? { visitorClientId } : {}) }
  await (await gateDb()).put('queue', item)
  await refreshQueueLength()
}

/** Network down or server unavailable: worth retrying later. Anything else is the check's own fault. */
export const retriable = (e: unknown) => !(e instanceof ApiError) || e.status === 0 || e.status >= 500 || e.status === 401 || e.status === 429

let running: Promise<number> | null = null

/**
 * Sends queued checks in batches of up to 200, oldest first; each is removed only when the server has
 * answered for its client id (stored now or already stored before). Single-flight: the 'online' event and
 * the periodic retry may fire together. Resolves to how many the server confirmed.
 */
export function syncQueue(): Promise<number> {
  running ??= (async () => {
    const db = await gateDb()
    let confirmed = 0
    for (;;) {
      // A check of a visitor the server does not know yet waits for that visitor (syncVisitors runs first).
      const pending = (await db.getAll('queue')).filter((q) => !q.refused && !q.visitorClientId).sort((a, b) => a.queuedAt - b.queuedAt).slice(0, 200)
      if (!pending.length) break
      try {
        const { results } = await gateApi.sync(pending.map((q) => q.input))
        const answered = new Set(results.map((r) => r.clientId))
        const tx = db.transaction('queue', 'readwrite')
        for (const id of answered) await tx.store.delete(id)
        await tx.done
        confirmed += answered.size
        if (answered.size === 0) break
      } catch (e) {
        if (retriable(e)) break
        // The batch was refused as a whole: one bad check must not hold back the others, so each goes alone.
        confirmed += await sendOneByOne(pending)
        break
      }
    }
    await refreshQueueLength()
    return confirmed
  })().finally(() => (running = null))
  return running
}

async function sendOneByOne(items: QueuedCheck[]) {
  const db = await gateDb()
  let confirmed = 0
  for (const q of items) {
    try {
      await gateApi.check(q.input)
      await db.delete('queue', q.clientId)
      confirmed++
    } catch (e) {
      if (retriable(e)) return confirmed
      await db.put('queue', { ...q, refused: e instanceof Error ? e.message : String(e) })
    }
  }
  return confirmed
}

export type { CheckInput }
