import { Type } from '@sinclair/typebox'
import { Id, TextLine } from '@cc/shared'

const N = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()])
const S = Type.String()
const I = Type.Integer()
const Day = Type.String({ format: 'date' })

export const Reason = TextLine({ minLength: 1, maxLength: 200 })

export const DecideBody = Type.Object({
  measure: Type.Union([Type.Literal('home'), Type.Literal('centralised'), Type.Literal('monitoring'), Type.Literal('none')]),
  reason: Reason,
  startOn: Type.Optional(Day),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  siteId: Type.Optional(Id),
  room: Type.Optional(TextLine({ minLength: 1, maxLength: 20 })),
})
export const ExtendBody = Type.Object({ days: Type.Integer({ minimum: 1, maximum: 30 }), reason: Reason })
export const MoveBody = Type.Object({
  to: Type.Union([Type.Literal('home'), Type.Literal('centralised')]),
  reason: Reason,
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  siteId: Type.Optional(Id),
  room: Type.Optional(TextLine({ minLength: 1, maxLength: 20 })),
})
export const TransferBody = Type.Object({ reason: Reason, hospital: TextLine({ minLength: 1, maxLength: 60 }) })
export const ReasonBody = Type.Object({ reason: Reason })
export const ReleaseBody = Type.Object({ reason: Type.Optional(Reason) })

const Unmet = Type.Object({ code: S, text: S })
export const CaseDetail = Type.Object({
  id: I,
  returneeId: I,
  communityId: I,
  state: S,
  stateLabel: S,
  siteId: N(I),
  siteName: N(S),
  room: N(S),
  startOn: N(S),
  endOn: N(S),
  startedAt: N(S),
  closedAt: N(S),
  releaseProposedAt: N(S),
  nameMasked: S,
  idMasked: S,
  phoneLast4: N(S),
  address: S,
  noSmartphone: Type.Boolean(),
  elderly: Type.Boolean(),
  /** The 行程卡 photo of the trip that opened the case (capability URLs; this view is scope-checked). */
  travelCardUrl: Type.Optional(N(S)),
  travelCardThumbUrl: Type.Optional(N(S)),
  release: N(Type.Object({ ready: Type.Boolean(), met: Type.Array(S), unmet: Type.Array(Unmet) })),
  events: Type.Array(Type.Object({ id: I, action: S, fromState: N(S), toState: S, reason: S, data: Type.Record(S, Type.Unknown()), at: S, actor: N(S) })),
  followups: Type.Array(
    Type.Object({
      id: I,
      slotDate: S,
      slot: S,
      opensAt: S,
      dueAt: S,
      temperature: N(Type.Number()),
      symptoms: Type.Array(S),
      abnormal: Type.Boolean(),
      recordedAt: N(S),
      recorderKind: N(S),
      overdue: Type.Boolean(),
      late: Type.Boolean(),
    }),
  ),
  nats: Type.Array(Type.Object({ id: I, dueOn: S, result: N(S), sampledOn: N(S), recordedAt: N(S) })),
  alerts: Type.Array(Type.Object({ id: I, kind: S, text: S, createdAt: S, handledAt: N(S), handledNote: N(S) })),
})

export const FollowupResult = Type.Object({
  id: I,
  caseId: I,
  slotDate: S,
  slot: S,
  temperature: N(Type.Number()),
  symptoms: Type.Array(S),
  abnormal: Type.Boolean(),
  alertId: N(I),
  recorderKind: S,
})

export const NatBody = Type.Object({ result: Type.Union([Type.Literal('negative'), Type.Literal('positive')]), sampledOn: Type.Optional(Day) })
export const NatResult = Type.Object({ id: I, caseId: I, dueOn: S, result: S })

export const SiteBody = Type.Object({
  orgId: Id,
  name: TextLine({ minLength: 1, maxLength: 60 }),
  address: TextLine({ minLength: 1, maxLength: 120 }),
  rooms: Type.Integer({ minimum: 0, maximum: 5000 }),
  capacity: Type.Integer({ minimum: 0, maximum: 10000 }),
  active: Type.Optional(Type.Boolean()),
})
export const SitePatch = Type.Partial(Type.Omit(SiteBody, ['orgId']))
export const Site = Type.Object({ id: I, orgId: I, orgName: S, name: S, address: S, rooms: I, capacity: I, occupancy: I, free: I, full: Type.Boolean(), active: Type.Boolean() })

export const TodayItem = Type.Object({
  kind: S,
  urgency: I,
  at: S,
  title: S,
  detail: S,
  nameMasked: N(S),
  returneeId: N(I),
  caseId: N(I),
  targetId: I,
})
const KindCounts = Type.Object({ alert: I, overdue: I, due_now: I, nat_due: I, release_due: I, new_registration: I, complaint: I })
export const Today = Type.Object({ communityId: I, generatedAt: S, counts: KindCounts, items: Type.Array(TodayItem) })
export const TodaySummary = Type.Object({ generatedAt: S, items: Type.Array(Type.Object({ communityId: I, communityName: S, ...KindCounts.properties })) })

const States = Type.Object({ registered: I, home: I, centralised: I, monitoring: I, released: I, cleared: I, transferred: I, lost: I })
export const Counts = Type.Object({
  day: S,
  rows: Type.Array(
    Type.Object({ communityId: I, communityName: S, streetId: I, streetName: S, total: I, newToday: I, releasedToday: I, transferredToday: I, states: States }),
  ),
  totals: Type.Object({ ...States.properties, people: I, newToday: I, releasedToday: I, transferredToday: I }),
  reconciled: Type.Boolean(),
})

export const DailyHistory = Type.Object({ items: Type.Array(Type.Object({ day: S, counts: Type.Record(S, I) })) })
export const PublicTotals = Type.Object({ day: S, home: I, centralised: I, monitoring: I, releasedToday: I, releasedTotal: I, newToday: I })
