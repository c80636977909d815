import { ref } from 'vue'
import { maskName } from '@cc/shared'
import { gateApi, type VisitorInput } from '../api/gate'
import { gateDb } from './db'
import { retriable } from './queue'

export interface VisitorDraft {
  name: string
  phone: string
  purpose: string
  hostNote?: string
  origin: string
}

/** Visitors registered offline and not yet on the server. */
export const visitorQueueLength = ref(0)

export async function refreshVisitorQueueLength() {
  visitorQueueLength.value = (await (await gateDb()).getAll('visitors')).filter((v) => !v.refused).length
}

/**
 * Registers a visitor: online at once (the server's id comes back); with no network it is kept on this phone
 * under its client id (the server stores each client id once) and sent before the checks that refer to it.
 */
export async function registerVisitor(gateId: number, draft: VisitorDraft): Promise<{ visitorId?: number; visitorClientId?: string; nameMasked: string }> {
  const input: VisitorInput = { clientId: crypto.randomUUID(), gateId, ...draft }
  if (navigator.onLine) {
    try {
      const v = await gateApi.addVisitor(input)
      return { visitorId: v.id, nameMasked: v.nameMasked }
    } catch (e) {
      if (!retriable(e)) throw e
    }
  }
  await (await gateDb()).put('visitors', { clientId: input.clientId, input, queuedAt: Date.now() })
  await refreshVisitorQueueLength()
  return { visitorClientId: input.clientId, nameMasked: maskName(draft.name) }
}

/**
 * Sends queued visitors. Each one the server confirms gives its id to the queued checks that wait for it, and
 * leaves the queue, in one transaction: a crash in between cannot orphan a check.
 */
export async function syncVisitors(): Promise<number> {
  const db = await gateDb()
  let sent = 0
  for (const v of (await db.getAll('visitors')).filter((x) => !x.refused).sort((a, b) => a.queuedAt - b.queuedAt)) {
    try {
      const saved = await gateApi.addVisitor(v.input)
      const tx = db.transaction(['queue', 'visitors'], 'readwrite')
      for (const q of await tx.objectStore('queue').getAll()) {
        if (q.visitorClientId !== v.clientId) continue
        const { visitorClientId: _, ...rest } = q
        await tx.objectStore('queue').put({ ...rest, input: { ...q.input, visitorId: saved.id } })
      }
      await tx.objectStore('visitors').delete(v.clientId)
      await tx.done
      sent++
    } catch (e) {
      if (retriable(e)) break
      await db.put('visitors', { ...v, refused: e instanceof Error ? e.message : String(e) })
    }
  }
  await refreshVisitorQueueLength()
  return sent
}
