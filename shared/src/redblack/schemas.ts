import { Type, type Static, type TSchema } from '@sinclair/typebox'
import { TextBlock, TextLine } from '../schemas/common.js'
import { RB_ENTITY_KINDS, RB_LISTS } from './rules.js'

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const DateTime = Type.String({ format: 'date-time' })
export const RbListSchema = Type.Union(RB_LISTS.map((x) => Type.Literal(x)))
export const RbEntityKindSchema = Type.Union(RB_ENTITY_KINDS.map((x) => Type.Literal(x)))

export const RbFlagSchema = Type.Object({
  code: Type.Union([Type.Literal('second_black'), Type.Literal('award')]),
  label: Type.String(),
  recommendation: Type.String(),
  periodNumbers: Type.Array(Nullable(Type.Integer())),
})

export const RbEntityRef = Type.Object({
  id: Type.Integer(),
  kind: RbEntityKindSchema,
  kindLabel: Type.String(),
  name: Type.String(),
  streetName: Type.String(),
  companyId: Nullable(Type.Integer()),
  companyName: Nullable(Type.String()),
})
export type RbEntityRef = Static<typeof RbEntityRef>

export const RbEntity = Type.Object({
  id: Type.Integer(),
  kind: RbEntityKindSchema,
  kindLabel: Type.String(),
  name: Type.String(),
  streetOrgId: Type.Integer(),
  streetName: Type.String(),
  orgUnitId: Nullable(Type.Integer()),
  companyId: Nullable(Type.Integer()),
  companyName: Nullable(Type.String()),
  compoundOrgId: Nullable(Type.Integer()),
  compoundName: Nullable(Type.String()),
})
export type RbEntity = Static<typeof RbEntity>

export const RbEntityBody = Type.Object({
  kind: RbEntityKindSchema,
  name: TextLine({ minLength: 2, maxLength: 60 }),
  streetOrgId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  orgUnitId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  companyId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  compoundOrgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
})
export type RbEntityBody = Static<typeof RbEntityBody>

const RbPhoto = Type.Object({ id: Type.String(), url: Type.String(), thumbUrl: Type.String() })

export const RbEvidenceInput = Type.Union([
  Type.Object({ kind: Type.Literal('complaint'), complaintId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('bulletin_item'), bulletinItemId: Type.Integer({ minimum: 1, maximum: 2147483647 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('gate_check'), gateCheckId: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('inspection'),
      note: TextBlock({ minLength: 2, maxLength: 1000 }),
      photoIds: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
])
export type RbEvidenceInput = Static<typeof RbEvidenceInput>

export const RbEntryBody = Type.Object({
  entityId: Type.Integer({ minimum: 1, maximum: 2147483647 }),
  list: RbListSchema,
  reason: TextBlock({ minLength: 2, maxLength: 500 }),
  evidence: Type.Array(RbEvidenceInput, { maxItems: 20 }),
})
export type RbEntryBody = Static<typeof RbEntryBody>

/** Evidence as the editor sees it: ids and tracking codes, for the district only. */
export const RbEvidence = Type.Object({
  kind: Type.Union([Type.Literal('complaint'), Type.Literal('bulletin_item'), Type.Literal('gate_check'), Type.Literal('inspection')]),
  label: Type.String(),
  complaintId: Type.Optional(Type.Integer()),
  trackingCode: Type.Optional(Type.String()),
  bulletinItemId: Type.Optional(Type.Integer()),
  gateCheckId: Type.Optional(Type.Integer()),
  note: Type.Optional(Type.String()),
  photos: Type.Optional(Type.Array(RbPhoto)),
})
export type RbEvidence = Static<typeof RbEvidence>
/** Evidence as the public sees it: what kind, never whose. */
export const RbPublicEvidence = Type.Object({ kind: RbEvidence.properties.kind, label: Type.String(), photos: Type.Optional(Type.Array(RbPhoto)) })

const entryBase = {
  id: Type.Integer(),
  seq: Type.Integer(),
  list: RbListSchema,
  entity: RbEntityRef,
  reason: Type.String(),
  flags: Type.Array(RbFlagSchema),
}
export const RbEntry = Type.Object({ ...entryBase, warnings: Type.Array(Type.String()), evidence: Type.Array(RbEvidence) })
export type RbEntry = Static<typeof RbEntry>
export const RbPublicEntry = Type.Object({ ...entryBase, evidence: Type.Array(RbPublicEvidence) })
export type RbPublicEntry = Static<typeof RbPublicEntry>

export const RbPeriodSummary = Type.Object({
  id: Type.Integer(),
  number: Nullable(Type.Integer()),
  title: Type.String(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  kind: Type.Union([Type.Literal('regular'), Type.Literal('erratum')]),
  publishedAt: Nullable(DateTime),
  red: Type.Integer(),
  black: Type.Integer(),
})
export type RbPeriodSummary = Static<typeof RbPeriodSummary>
export const RbPeriodList = Type.Object({ items: Type.Array(RbPeriodSummary), nextCursor: Nullable(Type.String()) })

const periodHead = {
  ...RbPeriodSummary.properties,
  correctsId: Nullable(Type.Integer()),
  correctsTitle: Nullable(Type.String()),
  erratumText: Nullable(Type.String()),
  errata: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String() })),
}
export const RbPeriod = Type.Object({
  ...periodHead,
  rulesVersion: Type.Integer(),
  /** A draft's number if it were published now (others may publish first); null once published. */
  nextNumber: Nullable(Type.Integer()),
  entries: Type.Array(RbEntry),
})
export type RbPeriod = Static<typeof RbPeriod>
export const RbPublicPeriod = Type.Object({ ...periodHead, red: Type.Array(RbPublicEntry), black: Type.Array(RbPublicEntry) })
export type RbPublicPeriod = Static<typeof RbPublicPeriod>

export const RbEntityHistory = Type.Object({
  entity: RbEntityRef,
  flags: Type.Array(RbFlagSchema),
  history: Type.Array(
    Type.Object({
      periodId: Type.Integer(),
      number: Type.Integer(),
      title: Type.String(),
      publishedAt: DateTime,
      list: RbListSchema,
      reason: Type.String(),
      viaProject: Nullable(Type.String()),
    }),
  ),
})
export type RbEntityHistory = Static<typeof RbEntityHistory>

export const RbTrend = Type.Object({
  items: Type.Array(
    Type.Object({ periodId: Type.Integer(), number: Type.Integer(), title: Type.String(), publishedAt: DateTime, red: Type.Integer(), black: Type.Integer() }),
  ),
})
export type RbTrend = Static<typeof RbTrend>

const kindTexts = Type.Object(Object.fromEntries(RB_ENTITY_KINDS.map((k) => [k, TextLine({ minLength: 2, maxLength: 200 })])) as Record<(typeof RB_ENTITY_KINDS)[number], ReturnType<typeof TextLine>>)
export const RbRulesBody = Type.Object({
  windowDays: Type.Integer({ minimum: 1, maximum: 366 }),
  awardMinReds: Type.Integer({ minimum: 1, maximum: 10 }),
  sanctions: kindTexts,
  awards: kindTexts,
})
export type RbRulesBody = Static<typeof RbRulesBody>
export const RbRules = Type.Object({ version: Type.Integer(), ...RbRulesBody.properties, createdAt: DateTime })
export type RbRules = Static<typeof RbRules>

const SuggestionItem = Type.Object({
  entity: Nullable(RbEntityRef),
  /** The org unit to register as an entity when `entity` is null (a compound's community). */
  orgUnitId: Type.Integer(),
  kind: Nullable(RbEntityKindSchema),
  streetOrgId: Nullable(Type.Integer()),
  name: Type.String(),
  reason: Type.Union([Type.Literal('overdue'), Type.Literal('returned'), Type.Literal('rebound'), Type.Literal('on_time')]),
  reasonLabel: Type.String(),
  count: Type.Integer(),
  onTimeRate: Type.Optional(Type.Number()),
  complaints: Type.Array(Type.Object({ id: Type.Integer(), trackingCode: Type.String() })),
})
export const RbSuggestions = Type.Object({ black: Type.Array(SuggestionItem), red: Type.Array(SuggestionItem) })
export type RbSuggestions = Static<typeof RbSuggestions>

export const RbEntityList = Type.Object({ items: Type.Array(RbEntity), nextCursor: Nullable(Type.String()) })
export const RbErratumBody = Type.Object({ text: TextBlock({ minLength: 2, maxLength: 2000 }) })

/** What the editor can attach to one entity's entry (same labels as stored evidence). */
export const RbEvidenceCandidates = Type.Object({
  complaints: Type.Array(Type.Object({ complaintId: Type.Integer(), trackingCode: Type.String(), label: Type.String() })),
  bulletinItems: Type.Array(Type.Object({ bulletinItemId: Type.Integer(), label: Type.String() })),
  gateDenials: Type.Array(Type.Object({ gateCheckId: Type.Integer(), label: Type.String() })),
})
export type RbEvidenceCandidates = Static<typeof RbEvidenceCandidates>
