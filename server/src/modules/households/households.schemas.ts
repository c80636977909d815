import { Type, type Static } from '@sinclair/typebox'
import { Id, PASS_STATUSES, PHONE_PATTERN, TextLine } from '@cc/shared'
import { RESIDENT_RELATIONS } from './households.table.js'

/**
 * Request and response shapes of the register (gate-plan.md). Responses list masked fields only: a
 * response schema strips whatever it does not name, so a plain ID number or phone can never leak out.
 */

// Years 1900–2099: 0000-01-01 is a valid ISO date that PostgreSQL cannot store (it was a 500).
const DateStr = Type.String({ format: 'date', pattern: '^(19|20)[0-9]{2}-' })

export const Relation = Type.Union(RESIDENT_RELATIONS.map((r) => Type.Literal(r)))
export const PassStatusSchema = Type.Union(PASS_STATUSES.map((s) => Type.Literal(s)))

/** ID numbers are checked by the service (checksum, birth date) so the message can say what is wrong. */
export const IdNumber = TextLine({ minLength: 15, maxLength: 24 })
export const PersonName = TextLine({ minLength: 1, maxLength: 30 })
export const Phone = Type.String({ pattern: PHONE_PATTERN })
export const Room = TextLine({ minLength: 1, maxLength: 12 })
export const Reason = TextLine({ minLength: 2, maxLength: 200 })

export const Building = Type.Object({ id: Type.Integer(), name: Type.String(), units: Type.Integer() })
export const Compound = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  communityId: Type.Integer(),
  communityName: Type.String(),
  buildings: Type.Array(Building),
})

export const Member = Type.Object({
  id: Type.Integer(),
  nameMasked: Type.String(),
  idMasked: Type.String(),
  phoneLast4: Type.Union([Type.String(), Type.Null()]),
  relation: Type.String(),
  elderlyAlone: Type.Boolean(),
  noSmartphone: Type.Boolean(),
  disabled: Type.Boolean(),
  movedIn: Type.Union([Type.String(), Type.Null()]),
  movedOut: Type.Union([Type.String(), Type.Null()]),
  /** Has logged in / claimed: the resident can show a phone pass. */
  linked: Type.Boolean(),
  passId: Type.Union([Type.Integer(), Type.Null()]),
  passStatus: Type.Union([PassStatusSchema, Type.Null()]),
})
export type Member = Static<typeof Member>

export const Household = Type.Object({
  id: Type.Integer(),
  compoundId: Type.Integer(),
  compoundName: Type.String(),
  buildingId: Type.Integer(),
  buildingName: Type.String(),
  unit: Type.Integer(),
  room: Type.String(),
  /** 任港路新村1幢2单元301 */
  address: Type.String(),
  members: Type.Array(Member),
})
export type Household = Static<typeof Household>

export const HouseholdsQuery = Type.Object({
  compoundId: Id,
  buildingId: Type.Optional(Id),
  unit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  room: Type.Optional(Room),
  /** Part of a name (王, 王*明) or the last 4 digits of a phone. */
  q: Type.Optional(TextLine({ minLength: 1, maxLength: 20 })),
  cursor: Type.Optional(TextLine({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})

export const CreateHouseholdBody = Type.Object({ compoundId: Id, buildingId: Id, unit: Type.Integer({ minimum: 1, maximum: 20, default: 1 }), room: Room })

const Flags = {
  elderlyAlone: Type.Optional(Type.Boolean()),
  noSmartphone: Type.Optional(Type.Boolean()),
  disabled: Type.Optional(Type.Boolean()),
}
export const AddResidentBody = Type.Object({
  name: PersonName,
  idNumber: IdNumber,
  /** Empty or null: no phone. */
  phone: Type.Optional(Type.Union([Phone, Type.Literal(''), Type.Null()])),
  relation: Relation,
  ...Flags,
  movedIn: Type.Optional(Type.Union([DateStr, Type.Null()])),
})
export type AddResidentBody = Static<typeof AddResidentBody>
export const PatchResidentBody = Type.Object({
  name: Type.Optional(PersonName),
  /** null or empty clears the phone. */
  phone: Type.Optional(Type.Union([Phone, Type.Literal(''), Type.Null()])),
  relation: Type.Optional(Relation),
  ...Flags,
  movedIn: Type.Optional(Type.Union([DateStr, Type.Null()])),
})
export type PatchResidentBody = Static<typeof PatchResidentBody>
export const MoveOutBody = Type.Object({ date: DateStr, reason: Reason })

export const ImportError = Type.Object({ row: Type.Integer(), column: Type.String(), message: Type.String() })
export const ImportSample = Type.Object({
  row: Type.Integer(),
  building: Type.String(),
  unit: Type.Integer(),
  room: Type.String(),
  nameMasked: Type.String(),
  idMasked: Type.String(),
  phoneLast4: Type.Union([Type.String(), Type.Null()]),
  relation: Type.String(),
  elderlyAlone: Type.Boolean(),
  noSmartphone: Type.Boolean(),
  disabled: Type.Boolean(),
})
export const ImportPreview = Type.Object({
  id: Type.Integer(),
  compoundId: Type.Integer(),
  fileName: Type.String(),
  total: Type.Integer(),
  valid: Type.Integer(),
  /** All errors found; `errors` lists the first 500 of them. */
  errorCount: Type.Integer(),
  errors: Type.Array(ImportError),
  sample: Type.Array(ImportSample),
  expiresAt: Type.String(),
})
export const ImportResult = Type.Object({ households: Type.Integer(), residents: Type.Integer(), passes: Type.Integer() })

export const ClaimStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('refused')])
export const Claim = Type.Object({
  id: Type.Integer(),
  compoundId: Type.Integer(),
  compoundName: Type.String(),
  buildingId: Type.Integer(),
  buildingName: Type.String(),
  unit: Type.Integer(),
  room: Type.String(),
  address: Type.String(),
  nameMasked: Type.String(),
  idMasked: Type.String(),
  relation: Type.String(),
  status: ClaimStatusSchema,
  reason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  residentId: Type.Union([Type.Integer(), Type.Null()]),
  /** For the worker: the same person is already registered in this room / elsewhere / not at all. */
  existing: Type.Union([Type.Literal('same_household'), Type.Literal('other_household'), Type.Null()]),
})
export type Claim = Static<typeof Claim>
export const ClaimBody = Type.Object({
  compoundId: Id,
  buildingId: Id,
  unit: Type.Integer({ minimum: 1, maximum: 20, default: 1 }),
  room: Room,
  name: PersonName,
  idNumber: IdNumber,
  relation: Relation,
})
export type ClaimBody = Static<typeof ClaimBody>
export const ClaimsQuery = Type.Object({
  status: Type.Optional(ClaimStatusSchema),
  cursor: Type.Optional(TextLine({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})

export const PassRow = Type.Object({
  id: Type.Integer(),
  residentId: Type.Integer(),
  compoundId: Type.Integer(),
  nameMasked: Type.String(),
  room: Type.String(),
  householdId: Type.Integer(),
  status: PassStatusSchema,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  validUntil: Type.String(),
  noSmartphone: Type.Boolean(),
  hasDevice: Type.Boolean(),
  hasCard: Type.Boolean(),
  updatedAt: Type.String(),
})
export type PassRow = Static<typeof PassRow>
export const PassesQuery = Type.Object({
  compoundId: Id,
  status: Type.Optional(PassStatusSchema),
  /** Only residents flagged 无智能手机 (who need a printed card). */
  noSmartphone: Type.Optional(Type.Boolean()),
  cursor: Type.Optional(TextLine({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
})
export const PassActionBody = Type.Object({ reason: Reason })
export const CardsBody = Type.Object({ passIds: Type.Array(Id, { minItems: 1, maxItems: 100 }) })
export const Card = Type.Object({
  passId: Type.Integer(),
  nameMasked: Type.String(),
  compoundName: Type.String(),
  address: Type.String(),
  code: Type.String(),
  qr: Type.String(),
  exp: Type.String(),
})

