import type { PassStatus } from '@cc/shared'
import { api, apiWithRetry, ApiError, currentAccessToken } from './client'
import type { CursorPage } from './complaints'

/** The household register (户籍/住户) and pass administration of a community worker; the resident's claim. */

export interface RegisterBuilding {
  id: number
  name: string
  /** Number of 单元; 1 for compounds without units. */
  units: number
}
export interface RegisterCompound {
  id: number
  name: string
  communityId?: number
  communityName?: string
  buildings: RegisterBuilding[]
}

export interface Member {
  id: number
  nameMasked: string
  idMasked: string
  phoneLast4: string | null
  relation: string
  elderlyAlone: boolean
  noSmartphone: boolean
  disabled: boolean
  movedIn: string | null
  movedOut: string | null
  passId: number | null
  passStatus: PassStatus | null
  /** The resident has an account (logged in or claimed): they can show a phone pass. */
  linked?: boolean
  /** Present when the server sends it (the pass detail). */
  passStatusReason?: string | null
}

export interface Household {
  id: number
  compoundId: number
  buildingId?: number
  buildingName: string
  unit: number
  room: string
  compoundName?: string
  /** 任港路新村1幢2单元301 */
  address?: string
  members: Member[]
}

export interface HouseholdQuery {
  compoundId: number
  buildingId?: number | null
  unit?: number
  room?: string
  q?: string
  cursor?: string | null
  limit?: number
}

export interface MemberInput {
  name: string
  idNumber: string
  phone?: string
  relation: string
  elderlyAlone: boolean
  noSmartphone: boolean
  disabled: boolean
  movedIn?: string
}
export interface MemberPatch {
  name?: string
  /** null clears the phone. */
  phone?: string | null
  relation?: string
  elderlyAlone?: boolean
  noSmartphone?: boolean
  disabled?: boolean
  movedIn?: string | null
}

export interface ImportError {
  /** Spreadsheet row number as the worker sees it in the file (header = row 1). */
  row: number
  column: string
  message: string
}
export interface ImportSample {
  row: number
  building: string
  unit: number
  room: string
  nameMasked: string
  idMasked: string
  phoneLast4: string | null
  relation: string
  elderlyAlone: boolean
  noSmartphone: boolean
  disabled: boolean
}
export interface ImportPreview {
  id: number
  compoundId?: number
  fileName?: string
  total: number
  valid: number
  /** All errors found; `errors` lists the first few hundred. */
  errorCount?: number
  errors: ImportError[]
  sample: ImportSample[]
  expiresAt?: string
}
export interface ImportResult {
  households: number
  residents: number
  passes: number
}

export type ClaimStatus = 'pending' | 'approved' | 'refused'
export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = { pending: '待审核', approved: '已通过', refused: '未通过' }
export interface Claim {
  id: number
  status: ClaimStatus
  compoundId: number
  compoundName?: string
  buildingId?: number
  buildingName?: string
  unit: number
  room: string
  address?: string
  nameMasked?: string
  idMasked?: string
  relation: string
  reason?: string | null
  createdAt: string
  decidedAt?: string | null
  residentId?: number | null
  /** For the worker: the same person is already registered in this room / elsewhere / not at all. */
  existing?: 'same_household' | 'other_household' | null
}
export interface ClaimInput {
  compoundId: number
  buildingId: number
  unit: number
  room: string
  name: string
  idNumber: string
  relation: string
}

export interface PassRow {
  id: number
  residentId: number
  nameMasked: string
  room: string
  householdId?: number
  status: PassStatus
  statusReason: string | null
  validUntil?: string
  hasDevice: boolean
  hasCard: boolean
  /** Sent by the server when it knows the resident has no smartphone (the card candidates). */
  noSmartphone?: boolean
  elderlyAlone?: boolean
}
export interface PassCard {
  passId: number
  nameMasked: string
  compoundName: string
  /** 楼栋单元房号 */
  address: string
  /** 10-digit card code for typed entry. */
  code: string
  /** The QR text (CC1C.<credential>). */
  qr: string
  /** Expiry, ISO time or unix seconds. */
  exp: string | number
}

/** Relations as the register writes them (the server keeps the same list). */
export const RELATIONS = ['户主', '配偶', '子女', '父母', '祖父母', '孙子女', '兄弟姐妹', '租户', '其他'] as const

/** A mainland mobile number, as typed (spaces and dashes dropped first). */
export const normalisePhone = (s: string) => s.replace(/[\s-]/g, '')
export const isMobile = (s: string) => /^1[3-9]\d{9}$/.test(normalisePhone(s))

const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body })

let compoundsCache: Promise<{ items: RegisterCompound[] }> | null = null

export const registerApi = {
  /** Adds a building to a compound (the same name again returns it); the compounds cache is dropped. */
  addBuilding: async (b: { compoundId: number; name: string; units: number }) => {
    const r = await api<RegisterBuilding>('/register/buildings', { method: 'POST', body: b })
    compoundsCache = null
    return r
  },
  /** The worker's compounds and their buildings; cached for the session of the page (they rarely change). */
  compounds: (fresh = false) => {
    if (fresh) compoundsCache = null
    compoundsCache ??= api<{ items: RegisterCompound[] }>('/register/compounds').catch((e) => {
      compoundsCache = null
      throw e
    })
    return compoundsCache
  },
  households: (q: HouseholdQuery, signal?: AbortSignal) =>
    api<CursorPage<Household>>('/register/households', { query: { ...q, limit: q.limit ?? 20 }, signal }),
  household: (id: number) => api<Household>(`/register/households/${id}`),
  createHousehold: (body: { compoundId: number; buildingId: number; unit: number; room: string }) => post<Household>('/register/households', body),
  addMember: (householdId: number, body: MemberInput) => post<Member>(`/register/households/${householdId}/residents`, body),
  updateMember: (id: number, body: MemberPatch) => api<Member>(`/register/residents/${id}`, { method: 'PATCH', body }),
  moveOut: (id: number, date: string, reason: string) => post<Member>(`/register/residents/${id}/move-out`, { date, reason }),

  /** The template is a download behind the bearer token: fetched, then handed to the browser as a file. */
  downloadTemplate: async () => {
    const once = () => {
      const token = currentAccessToken()
      return fetch('/api/v1/register/imports/template', { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'same-origin' })
    }
    let res = await once().catch(() => null)
    // An expired access token: any call through `api` refreshes it, then ask again.
    if (res?.status === 401) res = await api('/register/compounds').then(once, () => res)
    if (!res) throw new ApiError(0, null)
    if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null))
    return res.blob()
  },
  /**
   * Uploads a spreadsheet with upload progress (fetch cannot report it): `onProgress(0..1)` while sending,
   * `onSent` when the server has it and is parsing and checking (解析校验). A 401 (access token expired)
   * is retried once through `api`, which refreshes the token.
   */
  uploadImport: async (file: File, compoundId: number, onProgress: (f: number) => void, onSent: () => void) => {
    const form = () => {
      const f = new FormData()
      // The field before the file: a streaming multipart parser knows the compound when the rows arrive.
      f.append('compoundId', String(compoundId))
      f.append('file', file, file.name)
      return f
    }
    try {
      // In the query too: the route's scope check reads the compound before the body is parsed.
      return await xhrUpload<ImportPreview>(`/api/v1/register/imports?compoundId=${compoundId}`, form(), onProgress, onSent)
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e
      const r = await api<ImportPreview>('/register/imports', { method: 'POST', form: form(), query: { compoundId } })
      onSent()
      return r
    }
  },
  commitImport: (id: number | string) => post<ImportResult>(`/register/imports/${id}/commit`),

  claims: (status: ClaimStatus | '' = 'pending', cursor?: string | null, limit?: number) =>
    api<CursorPage<Claim>>('/register/claims', { query: { status: status || undefined, cursor, limit } }),
  approveClaim: (id: number) => post<Claim>(`/register/claims/${id}/approve`),
  refuseClaim: (id: number, reason: string) => post<Claim>(`/register/claims/${id}/refuse`, { reason }),
}

export const passAdminApi = {
  list: (q: { compoundId: number; status?: PassStatus | ''; noSmartphone?: boolean; cursor?: string | null; limit?: number }) =>
    api<CursorPage<PassRow>>('/passes', { query: { ...q, status: q.status || undefined, noSmartphone: q.noSmartphone || undefined, limit: q.limit ?? 30 } }),
  suspend: (id: number, reason: string) => post<unknown>(`/passes/${id}/suspend`, { reason }),
  restore: (id: number, reason: string) => post<unknown>(`/passes/${id}/restore`, { reason }),
  revoke: (id: number, reason: string) => post<unknown>(`/passes/${id}/revoke`, { reason }),
  /** Issues (or re-issues) printed cards: a new card credential for each pass. */
  cards: (passIds: number[]) => post<{ items: PassCard[] }>('/passes/cards', { passIds }),
}

/** The resident's side: claim a household. */
export const claimApi = {
  compounds: (q: string, signal?: AbortSignal) => api<{ items: RegisterCompound[] }>('/me/register/compounds', { query: { q }, signal }),
  /** One key per filled form: a retried submit never files a second claim. */
  submit: (body: ClaimInput, idempotencyKey: string, onRetry?: (n: number) => void) =>
    apiWithRetry<Claim>('/me/household-claims', { method: 'POST', body, idempotencyKey }, 4, onRetry),
  mine: () => api<{ items: Claim[] }>('/me/household-claims'),
}

function xhrUpload<T>(url: string, form: FormData, onProgress: (f: number) => void, onSent: () => void) {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('accept', 'application/json')
    const token = currentAccessToken()
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`)
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.upload.onload = () => onSent()
    xhr.onerror = () => reject(new ApiError(0, null))
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = JSON.parse(xhr.responseText)
      } catch {
        /* not JSON: a proxy's error page */
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T)
      else reject(new ApiError(xhr.status, data as never))
    }
    xhr.send(form)
  })
}
