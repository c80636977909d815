import type { CredentialPayload, PassStatus } from '@cc/shared'
import { api } from './client'

/** One of the resident's own passes (GET /me/passes). */
export interface MyPass {
  passId: number
  compoundId: number
  compoundName: string
  nameMasked: string
  status: PassStatus
  validUntil: string
  /** A device key is registered for this pass (on this phone or another one). */
  device: boolean
  /** Public key of the phone the pass is bound to now; another phone's key means this one was replaced. */
  deviceKey?: string | null
}

export interface DeviceCredential {
  credential: string
  payload: CredentialPayload
  exp: string | number
}

export const passesApi = {
  mine: () => api<{ items: MyPass[] }>('/me/passes'),
  /** Registers this phone's public key; the server revokes the pass's previous device. */
  registerDevice: (passId: number, publicKey: string) => api<DeviceCredential>(`/me/passes/${passId}/device`, { method: 'POST', body: { publicKey } }),
}
