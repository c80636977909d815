import { importServerPublicKey } from '@cc/shared'
import { gateApi, type GatePack } from '../api/gate'
import { gateDb, type PackRecord } from './db'

export async function loadPack(gateId: number): Promise<PackRecord | null> {
  return (await (await gateDb()).get('packs', gateId)) ?? null
}

export async function downloadPack(gateId: number): Promise<PackRecord> {
  const pack = await gateApi.pack(gateId)
  const record: PackRecord = { gateId, pack, fetchedAt: Date.now() }
  await (await gateDb()).put('packs', record)
  return record
}

/** Past its validity the pack is not trusted: the gate says so and every verdict becomes 登记. */
export const packStale = (p: GatePack, now = Date.now()) => now > Date.parse(p.validUntil)

const keyCache = new WeakMap<GatePack, Promise<Map<string, CryptoKey>>>()

/** The pack's signing keys as CryptoKeys, imported once per pack (an import costs a few ms). */
export function packKeys(p: GatePack): Promise<Map<string, CryptoKey>> {
  let keys = keyCache.get(p)
  if (!keys) {
    keys = Promise.all(p.keys.map(async (k) => [k.kid, await importServerPublicKey(k.jwk)] as const)).then((e) => new Map(e))
    keyCache.set(p, keys)
  }
  return keys
}
