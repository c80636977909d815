import { Type, type Static, type StringOptions, type TSchema } from '@sinclair/typebox'

/**
 * Every text field of every request is one of these two. Control characters are refused at the schema:
 * PostgreSQL cannot store NUL (it answers 22021, which used to surface as a 500), and nothing a person
 * types contains the others. `TextLine` is one line; `TextBlock` (descriptions, notes) also allows line
 * breaks and tabs (and the CR of a CRLF some keyboards send).
 */
export const LINE_PATTERN = '^[^\\u0000-\\u001F\\u007F-\\u009F]*$'
export const BLOCK_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$'
export const TextLine = (o: Omit<StringOptions, 'pattern'> = {}) => Type.String({ ...o, pattern: LINE_PATTERN })
export const TextBlock = (o: Omit<StringOptions, 'pattern'> = {}) => Type.String({ ...o, pattern: BLOCK_PATTERN })

export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 })
export const IdParams = Type.Object({ id: Id })

/** Keyset pagination: `cursor` is opaque to clients; `nextCursor` is null on the last page. */
export const PageQuery = Type.Object({
  cursor: Type.Optional(TextLine({ maxLength: 200 })),
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
