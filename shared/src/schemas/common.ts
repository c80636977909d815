import { Type, type Static, type TSchema } from '@sinclair/typebox'

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 })
export const IdParams = Type.Object({ id: Id })

/** Keyset pagination: `cursor` is opaque to clients; `nextCursor` is null on the last page. */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
})
export type PageQuery = Static<typeof PageQuery>

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) })
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem' },
)

export const Ok = Type.Object({ ok: Type.Boolean() })
