import { Type, type Static } from '@sinclair/typebox'
import { HEALTH_COLORS, Id, QUARANTINE_STATES, SLOTS, TextBlock, TextLine } from '@cc/shared'
import { IdNumber, Phone } from '../households/households.schemas.js'

const Lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)) as never) as unknown as ReturnType<typeof Type.String>
const Day = Type.String({ format: 'date' })
const AreaCode = Type.String({ pattern: '^[0-9]{6}$' })
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()])

export const TRANSPORTS = ['train', 'flight', 'car', 'bus', 'ship', 'other'] as const
export const StateLit = Lit(QUARANTINE_STATES)
export const RiskLit = Lit(['high', 'medium', 'low', 'none'] as const)

/** A journey home, as the returnee or the worker enters it. */
export const TripInput = Type.Object({
  provinceCode: AreaCode,
  cityCode: Type.Optional(Nullable(AreaCode)),
  districtCode: Type.Optional(Nullable(AreaCode)),
  /** 湖北省武汉市江岸区 — what the Area picker showed. */
  originName: TextLine({ minLength: 2, maxLength: 60 }),
  route: Type.Optional(TextLine({ maxLength: 200 })),
  departedOn: Type.Optional(Nullable(Day)),
  arrivedOn: Day,
  transport: Lit(TRANSPORTS),
  transportNo: Type.Optional(TextLine({ maxLength: 40 })),
  keyContact: Type.Boolean(),
  healthColor: Type.Optional(Nullable(Lit(HEALTH_COLORS))),
  travelCardUploadId: Type.Optional(Nullable(Type.String({ format: 'uuid' }))),
})
export type TripInput = Static<typeof TripInput>

const PersonFields = {
  name: TextLine({ minLength: 1, maxLength: 30 }),
  idNumber: IdNumber,
  phone: Type.Optional(Type.Union([Phone, Type.Literal(''), Type.Null()])),
  elderly: Type.Optional(Type.Boolean()),
  noSmartphone: Type.Optional(Type.Boolean()),
}

/** 返崇登记 from the resident H5: for oneself or a family member; where they stay (a compound + room text). */
export const SelfRegisterBody = Type.Object({
  forSelf: Type.Boolean(),
  ...PersonFields,
  compoundId: Id,
  address: TextLine({ minLength: 1, maxLength: 60 }),
  trip: TripInput,
})
export type SelfRegisterBody = Static<typeof SelfRegisterBody>

/** Worker registration (desk or 扫楼): a register member by id, or a person typed in with their room. */
export const WorkerRegisterBody = Type.Object({
  communityId: Id,
  residentId: Type.Optional(Id),
  householdId: Type.Optional(Id),
  name: Type.Optional(PersonFields.name),
  idNumber: Type.Optional(IdNumber),
  phone: PersonFields.phone,
  elderly: PersonFields.elderly,
  noSmartphone: PersonFields.noSmartphone,
  address: Type.Optional(TextLine({ minLength: 1, maxLength: 60 })),
  trip: TripInput,
})
export type WorkerRegisterBody = Static<typeof WorkerRegisterBody>

export const TripView = Type.Object({
  id: Type.Integer(),
  originName: Type.String(),
  provinceCode: Type.String(),
  cityCode: Nullable(Type.String()),
  districtCode: Nullable(Type.String()),
  route: Type.String(),
  departedOn: Nullable(Type.String()),
  arrivedOn: Type.String(),
  transport: Type.String(),
  transportNo: Type.String(),
  keyContact: Type.Boolean(),
  healthColor: Nullable(Type.String()),
  hasTravelCard: Type.Boolean(),
  /** Capability URLs of the 行程卡 photo: only views already limited to the owners and staff in scope carry them. */
  travelCardUrl: Type.Optional(Nullable(Type.String())),
  travelCardThumbUrl: Type.Optional(Nullable(Type.String())),
  risk: Type.String(),
  source: Type.String(),
  reviewed: Type.Boolean(),
  registrations: Type.Integer(),
  createdAt: Type.String(),
})

export const ReturneeView = Type.Object({
  id: Type.Integer(),
  communityId: Type.Integer(),
  communityName: Type.String(),
  nameMasked: Type.String(),
  idMasked: Type.String(),
  phoneLast4: Nullable(Type.String()),
  address: Type.String(),
  elderly: Type.Boolean(),
  noSmartphone: Type.Boolean(),
  residentId: Nullable(Type.Integer()),
  state: Type.String(),
  stateLabel: Type.String(),
  caseId: Nullable(Type.Integer()),
  risk: Type.String(),
  endOn: Nullable(Type.String()),
  lastTrip: Nullable(TripView),
})
export type ReturneeView = Static<typeof ReturneeView>

/** What a registration answers: the person, and whether this merged into an earlier registration. */
export const RegisterResult = Type.Object({ returnee: ReturneeView, tripId: Type.Integer(), merged: Type.Boolean(), created: Type.Boolean() })

export const ReturneesQuery = Type.Object({
  communityId: Type.Optional(Id),
  state: Type.Optional(StateLit),
  q: Type.Optional(TextLine({ maxLength: 30 })),
  unreviewed: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(TextLine({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
})

export const SweepMarkBody = Type.Object({
  householdId: Id,
  mark: Lit(['no_answer', 'registered', 'none'] as const),
  note: Type.Optional(TextLine({ maxLength: 100 })),
})

export const SweepBuilding = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  rooms: Type.Integer(),
  marked: Type.Integer(),
  noAnswer: Type.Integer(),
  registered: Type.Integer(),
  none: Type.Integer(),
  returnees: Type.Integer(),
})
export const SweepRoom = Type.Object({
  householdId: Type.Integer(),
  unit: Type.Integer(),
  room: Type.String(),
  mark: Nullable(Type.String()),
  markedAt: Nullable(Type.String()),
  members: Type.Array(Type.Object({ residentId: Type.Integer(), nameMasked: Type.String(), noSmartphone: Type.Boolean(), elderlyAlone: Type.Boolean(), returneeId: Nullable(Type.Integer()), state: Nullable(Type.String()) })),
})

export const KeyAreaBody = Type.Object({
  level: Lit(['province', 'city', 'district'] as const),
  code: AreaCode,
  name: TextLine({ minLength: 2, maxLength: 60 }),
  risk: Lit(['high', 'medium', 'low'] as const),
  validFrom: Day,
  validUntil: Type.Optional(Nullable(Day)),
  note: Type.Optional(TextLine({ maxLength: 200 })),
})
export const KeyAreaView = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  code: Type.String(),
  name: Type.String(),
  risk: Type.String(),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
  retiredAt: Nullable(Type.String()),
  replacedBy: Nullable(Type.Integer()),
})

export const FollowupInput = Type.Object({
  temperature: Nullable(Type.Number({ minimum: 34, maximum: 43 })),
  symptoms: Type.Array(TextLine({ minLength: 1, maxLength: 20 }), { maxItems: 10 }),
  note: Type.Optional(TextBlock({ maxLength: 200 })),
})
export const SelfFollowupBody = Type.Object({
  ...FollowupInput.properties,
  /** Which slot; the current one (by Beijing time) when left out. */
  slotDate: Type.Optional(Day),
  slot: Type.Optional(Lit(SLOTS)),
})
