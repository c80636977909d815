import { Type, type Static } from '@sinclair/typebox'
import { COMPLAINT_STATUSES } from '../complaint-state.js'
import { TextBlock, TextLine } from './common.js'

const NullableInt = Type.Union([Type.Integer(), Type.Null()])
const NullableStr = Type.Union([Type.String(), Type.Null()])
const DateTime = Type.String({ format: 'date-time' })
const NullableDate = Type.Union([DateTime, Type.Null()])

export const StatusSchema = Type.Union(COMPLAINT_STATUSES.map((s) => Type.Literal(s)))

export const Category = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), signHours: Type.Integer(), rectifyDays: Type.Integer() })
export type Category = Static<typeof Category>

export const Photo = Type.Object({ id: Type.String(), url: Type.String(), thumbUrl: Type.String() })
export type Photo = Static<typeof Photo>

export const UploadReply = Type.Object({
  id: Type.String(),
  url: Type.String(),
  thumbUrl: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  bytes: Type.Integer(),
})
export type UploadReply = Static<typeof UploadReply>

/** POST /complaints (resident). Exactly one of placeOrgId (compound/community/market) or address. */
export const CreateComplaintBody = Type.Object({
  categoryId: Type.Integer({ minimum: 1 }),
  placeOrgId: Type.Optional(Type.Integer({ minimum: 1 })),
  address: Type.Optional(TextLine({ minLength: 2, maxLength: 200 })),
  description: TextBlock({ minLength: 5, maxLength: 1000 }),
  anonymous: Type.Boolean(),
  photoIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9, uniqueItems: true }),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
})
export type CreateComplaintBody = Static<typeof CreateComplaintBody>

export const SimilarQuery = Type.Object({
  categoryId: Type.Integer({ minimum: 1 }),
  placeOrgId: Type.Optional(Type.Integer({ minimum: 1 })),
  address: Type.Optional(TextLine({ maxLength: 200 })),
})
export const SimilarItem = Type.Object({
  id: Type.Integer(),
  trackingCode: Type.String(),
  categoryName: Type.String(),
  placeName: Type.String(),
  excerpt: Type.String(),
  status: StatusSchema,
  followers: Type.Integer(),
  followedByMe: Type.Boolean(),
  createdAt: DateTime,
})
export type SimilarItem = Static<typeof SimilarItem>

export const EventView = Type.Object({
  at: DateTime,
  kind: Type.String(),
  fromStatus: Type.Union([StatusSchema, Type.Null()]),
  toStatus: Type.Union([StatusSchema, Type.Null()]),
  /** Who acted, as a label ("区指挥部", "大庆社区") — never a person for the reporter's own actions. */
  actorLabel: Type.String(),
  note: NullableStr,
})
export type EventView = Static<typeof EventView>

const ComplaintBase = {
  id: Type.Integer(),
  trackingCode: Type.String(),
  categoryId: Type.Integer(),
  categoryName: Type.String(),
  placeName: Type.String(),
  description: Type.String(),
  status: StatusSchema,
  createdAt: DateTime,
  photos: Type.Array(Photo),
  rectification: Type.Union([Type.Object({ text: Type.String(), photos: Type.Array(Photo), at: DateTime }), Type.Null()]),
}

/** What the reporter sees of their own report. */
export const ResidentComplaint = Type.Object({
  ...ComplaintBase,
  anonymous: Type.Boolean(),
  rejectReason: NullableStr,
  mergedIntoCode: NullableStr,
  /** The report a duplicate was merged into; its reporter follows that one (and rates nothing here). */
  mergedIntoId: NullableInt,
  followers: Type.Integer(),
  bulletinId: NullableInt,
  bulletinTitle: NullableStr,
  rating: Type.Union([Type.Literal('satisfied'), Type.Literal('unsatisfied'), Type.Null()]),
  canRate: Type.Boolean(),
  events: Type.Array(EventView),
})
export type ResidentComplaint = Static<typeof ResidentComplaint>

const Clocks = {
  assigneeOrgId: NullableInt,
  assigneeName: NullableStr,
  assignedAt: NullableDate,
  signDueAt: NullableDate,
  rectifyDueAt: NullableDate,
  signedAt: NullableDate,
  signOverdue: Type.Boolean(),
  rectifyOverdue: Type.Boolean(),
  escalated: Type.Boolean(),
  returns: Type.Integer(),
  pendingRequest: Type.Union([
    Type.Object({ kind: Type.Union([Type.Literal('extension'), Type.Literal('reassign')]), reason: Type.String(), until: NullableDate, at: DateTime }),
    Type.Null(),
  ]),
  lastReturnNote: NullableStr,
}

/**
 * What an accountable unit (community, street, market entity) sees. It has no field that could identify
 * the reporter: the response schema strips anything else, whatever the service returns.
 */
export const UnitComplaint = Type.Object({ ...ComplaintBase, ...Clocks, followers: Type.Integer(), events: Type.Array(EventView) })
export type UnitComplaint = Static<typeof UnitComplaint>

/** The district's view: everything, including the (masked) reporter — each view is audited. */
export const AdminComplaint = Type.Object({
  ...ComplaintBase,
  ...Clocks,
  placeOrgId: NullableInt,
  streetName: NullableStr,
  anonymous: Type.Boolean(),
  followers: Type.Integer(),
  rejectReason: NullableStr,
  mergedIntoId: NullableInt,
  rating: Type.Union([Type.Literal('satisfied'), Type.Literal('unsatisfied'), Type.Null()]),
  reporter: Type.Union([Type.Object({ name: Type.String(), phoneMasked: NullableStr }), Type.Null()]),
  /**
   * Who to assign it to, from the place: the community containing a compound (or the community itself), a
   * street, or the market entity itself; null for a typed address. label: "任港街道 / 大庆社区".
   */
  suggestedUnit: Type.Union([
    Type.Object({
      id: Type.Integer(),
      kind: Type.Union([Type.Literal('community'), Type.Literal('street'), Type.Literal('market')]),
      name: Type.String(),
      label: Type.String(),
    }),
    Type.Null(),
  ]),
  events: Type.Array(EventView),
})
export type AdminComplaint = Static<typeof AdminComplaint>

/** List rows (district queue and unit queue): no reporter in either. */
export const ComplaintRow = Type.Object({
  id: Type.Integer(),
  trackingCode: Type.String(),
  categoryName: Type.String(),
  placeName: Type.String(),
  excerpt: Type.String(),
  status: StatusSchema,
  followers: Type.Integer(),
  createdAt: DateTime,
  assigneeName: NullableStr,
  signDueAt: NullableDate,
  rectifyDueAt: NullableDate,
  signOverdue: Type.Boolean(),
  rectifyOverdue: Type.Boolean(),
  escalated: Type.Boolean(),
  hasPendingRequest: Type.Boolean(),
})
export type ComplaintRow = Static<typeof ComplaintRow>

const STATUS_LIST = `(${COMPLAINT_STATUSES.join('|')})`
export const AdminListQuery = Type.Object({
  status: Type.Optional(StatusSchema),
  /** Several statuses in one tab, comma-separated ("submitted,reopened"); ignored when `status` is given. */
  statuses: Type.Optional(Type.String({ pattern: `^${STATUS_LIST}(,${STATUS_LIST})*$`, maxLength: 200 })),
  /** Only reports with an extension or reassignment request waiting for a decision (any status). */
  pending: Type.Optional(Type.Boolean()),
  /** Exact tracking code, case-insensitive ("cc250214abcde"). */
  code: Type.Optional(TextLine({ minLength: 1, maxLength: 20 })),
  categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
  streetId: Type.Optional(Type.Integer({ minimum: 1 })),
  overdue: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(TextLine({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})

export const RejectBody = Type.Object({ reason: TextBlock({ minLength: 2, maxLength: 300 }) })
/** The report to merge into, by id or by its tracking code (one of the two). */
export const MergeBody = Type.Object({ targetId: Type.Optional(Type.Integer({ minimum: 1 })), targetCode: Type.Optional(TextLine({ minLength: 1, maxLength: 20 })) })
export const AssignBody = Type.Object({
  unitOrgId: Type.Integer({ minimum: 1 }),
  /** Overrides the category's clocks. */
  signHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 72 })),
  rectifyDueAt: Type.Optional(DateTime),
  note: Type.Optional(TextBlock({ maxLength: 300 })),
})
export const NoteBody = Type.Object({ note: Type.Optional(TextBlock({ maxLength: 500 })) })
export const ReturnBody = Type.Object({ note: TextBlock({ minLength: 2, maxLength: 500 }) })
export const ExtensionBody = Type.Object({ reason: TextBlock({ minLength: 2, maxLength: 300 }), until: DateTime })
export const ReassignRequestBody = Type.Object({ reason: TextBlock({ minLength: 2, maxLength: 300 }) })
export const DecideBody = Type.Object({ approve: Type.Boolean(), note: Type.Optional(TextBlock({ maxLength: 300 })) })
export const RectifyBody = Type.Object({
  text: TextBlock({ minLength: 5, maxLength: 1000 }),
  photoIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 9, uniqueItems: true }),
})
export const RateBody = Type.Object({ satisfied: Type.Boolean(), comment: Type.Optional(TextBlock({ maxLength: 300 })) })

export const AdminStats = Type.Object({
  receivedToday: Type.Integer(),
  open: Type.Integer(),
  overdue: Type.Integer(),
  pluggedTotal: Type.Integer(),
  /** 0..1, null when nothing was due yet */
  onTimeRate: Type.Union([Type.Number(), Type.Null()]),
  satisfactionRate: Type.Union([Type.Number(), Type.Null()]),
  pendingRequests: Type.Integer(),
  toTriage: Type.Integer(),
  /** accepted (or reassignment approved) and not yet assigned to a unit */
  toAssign: Type.Integer(),
  toVerify: Type.Integer(),
})
export type AdminStats = Static<typeof AdminStats>

export const Message = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  complaintId: NullableInt,
  /** H5 route to open (e.g. /r/return/12) for notices that are not about a complaint. */
  page: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  createdAt: DateTime,
  read: Type.Boolean(),
})
export type Message = Static<typeof Message>

const BulletinStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')])
const BulletinKind = Type.Union([Type.Literal('regular'), Type.Literal('erratum')])

export const BulletinItem = Type.Object({
  id: Type.Integer(),
  seq: Type.Integer(),
  complaintId: Type.Integer(),
  problem: Type.String(),
  place: Type.String(),
  measures: Type.String(),
})
export type BulletinItem = Static<typeof BulletinItem>

export const Bulletin = Type.Object({
  id: Type.Integer(),
  number: NullableInt,
  title: Type.String(),
  status: BulletinStatus,
  kind: BulletinKind,
  correctsId: NullableInt,
  correctsTitle: NullableStr,
  erratumText: NullableStr,
  publishedAt: NullableDate,
  items: Type.Array(BulletinItem),
  errata: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
})
export type Bulletin = Static<typeof Bulletin>

/**
 * The editor's view of a bulletin: each item carries what may still identify the reporter (a self-
 * introduction, a flat number, a name, a long number) for the editor to reword before publishing.
 */
export const AdminBulletinItem = Type.Object({ ...BulletinItem.properties, warnings: Type.Array(Type.String()) })
export type AdminBulletinItem = Static<typeof AdminBulletinItem>
export const AdminBulletin = Type.Object({ ...Bulletin.properties, items: Type.Array(AdminBulletinItem), erratumWarnings: Type.Array(Type.String()) })
export type AdminBulletin = Static<typeof AdminBulletin>

/** A 422 PUBLIC_DIGITS problem lists, per item, the 7+ digit numbers publishing would make public. */
export const DigitsToConfirm = Type.Array(Type.Object({ itemId: Type.Union([Type.Integer(), Type.Null()]), seq: Type.Union([Type.Integer(), Type.Null()]), digits: Type.Array(Type.String()) }))
export type DigitsToConfirm = Static<typeof DigitsToConfirm>

export const BulletinSummary = Type.Object({
  id: Type.Integer(),
  number: NullableInt,
  title: Type.String(),
  status: BulletinStatus,
  kind: BulletinKind,
  publishedAt: NullableDate,
  itemCount: Type.Integer(),
})
export type BulletinSummary = Static<typeof BulletinSummary>

export const ItemEditBody = Type.Object({
  problem: TextBlock({ minLength: 2, maxLength: 500 }),
  place: TextLine({ minLength: 2, maxLength: 200 }),
  measures: TextBlock({ minLength: 2, maxLength: 1000 }),
})
export const ErratumBody = Type.Object({
  text: TextBlock({ minLength: 5, maxLength: 2000 }),
  /** The editor's yes to publishing 7+ digit numbers that are not a phone or ID (e.g. a hotline). */
  confirmDigits: Type.Optional(Type.Boolean()),
})
export const PublishBody = Type.Object({ confirmDigits: Type.Optional(Type.Boolean()) })

export const bulletinTitle = (n: number) => `崇川区网友反馈问题整改通报(第${n}期)`

/** A unit's queue numbers (GET /tasks/stats), over the caller's org and the units below it. */
export const TaskStats = Type.Object({
  assigned: Type.Integer(),
  signed: Type.Integer(),
  rectified: Type.Integer(),
  verified: Type.Integer(),
  /** assigned or signed with a clock run out */
  overdue: Type.Integer(),
  pendingRequests: Type.Integer(),
  /** signed again after the fix was returned */
  returned: Type.Integer(),
})
export type TaskStats = Static<typeof TaskStats>

/**
 * What anybody holding a tracking code may see (GET /track/:code, no login): where and what kind, how far it
 * got and the verified fix in public wording. No description, photos, reporter, notes or people.
 */
export const PublicComplaint = Type.Object({
  trackingCode: Type.String(),
  categoryName: Type.String(),
  placeName: Type.String(),
  status: StatusSchema,
  createdAt: DateTime,
  steps: Type.Array(Type.Object({ label: Type.String(), at: DateTime })),
  rectification: Type.Union([Type.Object({ text: Type.String(), at: DateTime }), Type.Null()]),
  bulletinId: NullableInt,
  bulletinTitle: NullableStr,
  mergedIntoCode: NullableStr,
})
export type PublicComplaint = Static<typeof PublicComplaint>
