import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm'
import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Message, Ok, ROLES, TextLine } from '@cc/shared'
import { decodeCursor, encodeCursor } from '../common/cursor.js'
import { messages } from './notify.table.js'

const ANY = { roles: ROLES, scope: { kind: 'none' } } as const

export const messagesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    config: { access: ANY },
    schema: {
      tags: ['messages'],
      summary: '消息中心',
      querystring: Type.Object({ cursor: Type.Optional(TextLine({ maxLength: 40 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }),
      response: { 200: Type.Object({ items: Type.Array(Message), nextCursor: Type.Union([Type.String(), Type.Null()]), unread: Type.Integer() }) },
    },
    handler: async (req) => {
      const me = req.auth!.userId
      const limit = req.query.limit ?? 20
      const after = decodeCursor(req.query.cursor)
      const rows = await app.db
        .select()
        .from(messages)
        .where(and(eq(messages.userId, me), after ? lt(messages.id, after) : undefined))
        .orderBy(desc(messages.id))
        .limit(limit + 1)
      const [{ n }] = (await app.db
        .select({ n: sql<number>`count(*)::int` })
        .from(messages)
        .where(and(eq(messages.userId, me), isNull(messages.readAt)))) as [{ n: number }]
      const page = rows.slice(0, limit)
      return {
        items: page.map((m) => ({ id: m.id, title: m.title, body: m.body, complaintId: m.complaintId, page: m.page, createdAt: m.createdAt.toISOString(), read: !!m.readAt })),
        nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : null,
        unread: n,
      }
    },
  })

  app.post('/read-all', {
    config: { access: ANY },
    schema: { tags: ['messages'], summary: '全部标为已读', response: { 200: Ok } },
    handler: async (req) => {
      await app.db.update(messages).set({ readAt: new Date() }).where(and(eq(messages.userId, req.auth!.userId), isNull(messages.readAt)))
      return { ok: true }
    },
  })
}
