import { exportRawPublicKey, phoneQrText } from '@cc/shared'
import { passesApi } from '../api/passes'
import { gateDb, type DeviceRecord } from './db'

const idOf = (userId: number, passId: number) => `${userId}:${passId}`

export async function getDevice(userId: number, passId: number): Promise<DeviceRecord | null> {
  return (await (await gateDb()).get('devices', idOf(userId, passId))) ?? null
}

/**
 * Makes a new key pair on this phone and registers its public half for the pass. The private key is created
 * non-extractable: it can sign here and nowhere else, so a copied IndexedDB or a screenshot is worth nothing
 * a minute later. The server revokes the pass's previous device (a lost phone).
 */
export async function registerDevice(userId: number, passId: number): Promise<DeviceRecord> {
  const keyPair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as CryptoKeyPair
  const publicKey = await exportRawPublicKey(keyPair.publicKey)
  const reply = await passesApi.registerDevice(passId, publicKey)
  const record: DeviceRecord = { id: idOf(userId, passId), keyPair, publicKey, credential: reply.credential, payload: reply.payload, savedAt: Date.now() }
  await (await gateDb()).put('devices', record)
  return record
}

/** Same key, fresh credential (the server renews it for a key it knows): the QR keeps working past a week. */
export async function renewDevice(d: DeviceRecord): Promise<DeviceRecord> {
  const reply = await passesApi.registerDevice(d.payload.pid, d.publicKey)
  const record: DeviceRecord = { ...d, credential: reply.credential, payload: reply.payload, savedAt: Date.now() }
  await (await gateDb()).put('devices', record)
  return record
}

/** The text of the QR shown now: the credential plus this second, signed by the device key. */
export function qrTextNow(d: DeviceRecord, nowSec = Math.floor(Date.now() / 1000)) {
  return phoneQrText(d.credential, d.keyPair.privateKey, nowSec)
}
