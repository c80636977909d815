import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { CredentialPayload } from '@cc/shared'
import type { CheckInput, GatePack, VisitorInput } from '../api/gate'
import type { MyPass } from '../api/passes'

/** This phone's key for one pass: the private key never leaves the browser (made non-extractable). */
export interface DeviceRecord {
  /** `${userId}:${passId}` — two residents may share a phone. */
  id: string
  keyPair: CryptoKeyPair
  publicKey: string
  credential: string
  payload: CredentialPayload
  savedAt: number
}

export interface PackRecord {
  gateId: number
  pack: GatePack
  /** When this phone received it (its own clock: the pack's issuedAt is the server's). */
  fetchedAt: number
}

export interface QueuedCheck {
  clientId: string
  input: CheckInput
  queuedAt: number
  /** A visitor registered offline: the check waits until the server has given that visitor an id. */
  visitorClientId?: string
  /** Set when the server refused this check with a 4xx: kept for the record, never retried. */
  refused?: string
}

export interface QueuedVisitor {
  clientId: string
  input: VisitorInput
  queuedAt: number
  refused?: string
}

interface GateDb extends DBSchema {
  devices: { key: string; value: DeviceRecord }
  packs: { key: number; value: PackRecord }
  queue: { key: string; value: QueuedCheck }
  visitors: { key: string; value: QueuedVisitor }
  /** Small cached values (the resident's passes list) for offline display. */
  kv: { key: string; value: unknown }
}

let opened: Promise<IDBPDatabase<GateDb>> | null = null

/** One database for the pass and the gate: both must work with no network. */
export function gateDb() {
  opened ??= openDB<GateDb>('cc-gate', 1, {
    upgrade(db) {
      db.createObjectStore('devices', { keyPath: 'id' })
      db.createObjectStore('packs', { keyPath: 'gateId' })
      db.createObjectStore('queue', { keyPath: 'clientId' })
      db.createObjectStore('visitors', { keyPath: 'clientId' })
      db.createObjectStore('kv')
    },
    // Another tab opened a newer version: let it upgrade, reopen on next use.
    blocking() {
      void opened?.then((d) => d.close())
      opened = null
    },
  })
  return opened
}

export const cachedPasses = {
  get: async (userId: number) => ((await (await gateDb()).get('kv', `passes:${userId}`)) as MyPass[] | undefined) ?? null,
  put: async (userId: number, items: MyPass[]) => void (await (await gateDb()).put('kv', items, `passes:${userId}`)),
}
