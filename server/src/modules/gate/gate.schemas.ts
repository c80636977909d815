import { Type } from '@sinclair/typebox'
import { DIRECTIONS, HEALTH_COLORS, Id, PASS_STATUSES, TextLine, VERDICTS } from '@cc/shared'

const lit = <T extends string>(xs: readonly T[]) => Type.Union(xs.map((x) => Type.Literal(x)))
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const DateTime = Type.String({ format: 'date-time' })

export const VerdictSchema = lit(VERDICTS)
export const DirectionSchema = lit(DIRECTIONS)
export const ColorSchema = lit(HEALTH_COLORS)

const ColorRule = Type.Object({ verdict: VerdictSchema, reason: TextLine({ minLength: 1, maxLength: 60 }), action: TextLine({ minLength: 1, maxLength: 100 }) })

/** A rule set without its version, as the district submits it (validateRules checks the rest). */
export const RulesBody = Type.Object(
  {
    feverThreshold: Type.Number({ minimum: 36, maximum: 40 }),
    natMaxHours: Type.Integer({ minimum: 1, maximum: 720 }),
    qrMaxAgeSeconds: Type.Integer({ minimum: 10, maximum: 600 }),
    clockSkewSeconds: Type.Integer({ minimum: 0, maximum: 3600 }),
    maskRequired: Type.Boolean(),
    checkTemperatureOnExit: Type.Boolean(),
    colors: Type.Object({ green: ColorRule, green_star: ColorRule, yellow: ColorRule, red: ColorRule }, { additionalProperties: false }),
  },
  { additionalProperties: false },
)
export const RuleSetSchema = Type.Intersect([Type.Object({ version: Type.Integer() }), RulesBody])

export const RuleSetRow = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  rules: RulesBody,
  note: Type.String(),
  status: lit(['draft', 'active', 'retired'] as const),
  validFrom: Type.String(),
  validUntil: Nullable(Type.String()),
  activatedAt: Nullable(Type.String()),
  activatedByName: Nullable(Type.String()),
  createdAt: Type.String(),
})

export const NewRuleSetBody = Type.Object({
  rules: RulesBody,
  note: TextLine({ maxLength: 200 }),
  validFrom: DateTime,
  validUntil: Type.Optional(Nullable(DateTime)),
})

export const Reason = Type.Object({ code: Type.String(), text: Type.String() })

export const CheckBody = Type.Object({
  clientId: Type.String({ format: 'uuid' }),
  clientTime: DateTime,
  gateId: Id,
  direction: DirectionSchema,
  /** The scanned text (phone QR or card QR). */
  code: Type.Optional(TextLine({ minLength: 1, maxLength: 2048 })),
  /** A card code typed in (10 digits). */
  cardCode: Type.Optional(Type.String({ pattern: '^[0-9]{10}$' })),
  visitorId: Type.Optional(Id),
  // Wider than any thermometer: a typo is a fact to decide on (evaluate asks to measure again), not a 400
  // that would fail a whole offline batch.
  temperature: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 100 }))),
  mask: Type.Optional(Nullable(Type.Boolean())),
  color: Type.Optional(Nullable(ColorSchema)),
  natAt: Type.Optional(Nullable(DateTime)),
  gateVerdict: Type.Optional(VerdictSchema),
  offline: Type.Optional(Type.Boolean()),
})

export const CheckReply = Type.Object({
  stored: Type.Boolean(),
  checkId: Type.Integer(),
  verdict: VerdictSchema,
  reasons: Type.Array(Reason),
  actions: Type.Array(Type.String()),
  ruleVersion: Type.Integer(),
  subject: Type.Object({ kind: lit(['pass', 'card', 'visitor', 'none'] as const), nameMasked: Nullable(Type.String()), passId: Nullable(Type.Integer()) }),
  disagree: Type.Boolean(),
})

export const SyncBody = Type.Object({ checks: Type.Array(CheckBody, { minItems: 1, maxItems: 200 }) })
export const SyncReply = Type.Object({
  results: Type.Array(Type.Object({ clientId: Type.String(), stored: Type.Boolean(), verdict: VerdictSchema, disagree: Type.Boolean() })),
})

export const GateRow = Type.Object({ id: Type.Integer(), name: Type.String(), staffed: Type.Boolean(), compoundId: Type.Integer(), compoundName: Type.String() })

export const GateQuery = Type.Object({ gateId: Id })

export const PackReply = Type.Object({
  gateId: Type.Integer(),
  compoundId: Type.Integer(),
  compoundName: Type.String(),
  gateName: Type.String(),
  issuedAt: Type.String(),
  validUntil: Type.String(),
  keys: Type.Array(Type.Object({ kid: Type.String(), jwk: Type.Object({ kty: Type.String(), crv: Type.String(), x: Type.String(), y: Type.String() }) })),
  ruleSet: RuleSetSchema,
  deny: Type.Object({
    passes: Type.Array(Type.Object({ pid: Type.Integer(), status: lit(PASS_STATUSES) })),
    devices: Type.Array(Type.String()),
    quarantinedPassIds: Type.Array(Type.Integer()),
  }),
  cards: Type.Array(Type.Object({ code: Type.String(), pid: Type.Integer(), n: Type.String() })),
})

export const Counted = Type.Object({ reason: Type.String(), text: Type.String(), n: Type.Integer() })
export const CountsReply = Type.Object({
  day: Type.String(),
  in: Type.Integer(),
  out: Type.Integer(),
  denied: Type.Array(Counted),
  registered: Type.Integer(),
  visitorsInside: Type.Integer(),
})
export const CommunityCountsReply = Type.Object({
  communityId: Type.Integer(),
  communityName: Type.String(),
  items: Type.Array(
    Type.Object({ day: Type.String(), in: Type.Integer(), out: Type.Integer(), denied: Type.Integer(), registered: Type.Integer(), total: Type.Integer() }),
  ),
  denied: Type.Array(Counted),
})

export const VisitorBody = Type.Object({
  clientId: Type.String({ format: 'uuid' }),
  gateId: Id,
  name: TextLine({ minLength: 1, maxLength: 20 }),
  phone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }),
  purpose: TextLine({ minLength: 1, maxLength: 40 }),
  hostHouseholdId: Type.Optional(Id),
  hostNote: Type.Optional(TextLine({ maxLength: 60 })),
  origin: TextLine({ minLength: 1, maxLength: 40 }),
})
export const Visitor = Type.Object({
  id: Type.Integer(),
  gateId: Type.Integer(),
  nameMasked: Type.String(),
  phoneLast4: Type.String(),
  purpose: Type.String(),
  hostHouseholdId: Nullable(Type.Integer()),
  hostRoom: Nullable(Type.String()),
  hostNote: Nullable(Type.String()),
  origin: Type.String(),
  inAt: Type.String(),
  outAt: Nullable(Type.String()),
})

export const ByIdNumberReply = Type.Object({
  person: Nullable(Type.Object({ nameMasked: Type.String(), idMasked: Type.String() })),
  items: Type.Array(
    Type.Object({
      checkId: Type.Integer(),
      checkedAt: Type.String(),
      compoundName: Type.String(),
      gateName: Type.String(),
      direction: DirectionSchema,
      verdict: VerdictSchema,
      reasons: Type.Array(Reason),
      temperature: Nullable(Type.Number()),
      color: Nullable(ColorSchema),
    }),
  ),
})
