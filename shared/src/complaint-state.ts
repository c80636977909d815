/** The complaint state machine of DESIGN §3.1. Server and H5 both read it; only the server enforces it. */
export const COMPLAINT_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'merged',
  'assigned',
  'signed',
  'rectified',
  'verified',
  'published',
  'closed',
  'reopened',
] as const
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number]

export const COMPLAINT_STATUS_LABELS: Record<ComplaintStatus, string> = {
  submitted: '已提交',
  accepted: '已受理',
  rejected: '不予受理',
  merged: '已合并',
  assigned: '已交办',
  signed: '已签收',
  rectified: '已整改',
  verified: '已核验',
  published: '已通报',
  closed: '已办结',
  reopened: '重新办理',
}

export const COMPLAINT_TRANSITIONS: Record<ComplaintStatus, readonly ComplaintStatus[]> = {
  submitted: ['accepted', 'rejected', 'merged'],
  accepted: ['assigned'],
  rejected: [],
  merged: [],
  assigned: ['signed', 'accepted'],
  signed: ['rectified', 'accepted'],
  rectified: ['verified', 'signed'],
  verified: ['published'],
  published: ['closed', 'reopened'],
  closed: [],
  reopened: ['accepted'],
}

export function canTransition(from: ComplaintStatus, to: ComplaintStatus): boolean {
  return COMPLAINT_TRANSITIONS[from].includes(to)
}

/** Open = still waiting for somebody to act; used for duplicate suggestions and the "open" counter. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'accepted', 'assigned', 'signed', 'rectified', 'reopened']

/** The steps a resident sees in "我的反映" (Vant Steps). */
export const RESIDENT_STEPS: { label: string; reached: readonly ComplaintStatus[] }[] = [
  { label: '提交', reached: COMPLAINT_STATUSES },
  { label: '受理', reached: ['accepted', 'assigned', 'signed', 'rectified', 'verified', 'published', 'closed', 'reopened'] },
  { label: '交办', reached: ['assigned', 'signed', 'rectified', 'verified', 'published', 'closed'] },
  { label: '整改', reached: ['rectified', 'verified', 'published', 'closed'] },
  { label: '核验', reached: ['verified', 'published', 'closed'] },
  { label: '通报', reached: ['published', 'closed'] },
]

export function residentStepIndex(status: ComplaintStatus): number {
  let idx = 0
  RESIDENT_STEPS.forEach((s, i) => {
    if (s.reached.includes(status)) idx = i
  })
  return idx
}
