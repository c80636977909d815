import type { FastifyRequest } from 'fastify'
import type { DbOrTx } from '../../db/client.js'
import { auditLog } from './audit.table.js'

export interface AuditEntry {
  action: string
  targetType?: string
  targetId?: string | number
  detail?: Record<string, unknown>
}

/** Appends one line to the audit log, attributed to the caller of `req` (or the system). */
export async function audit(db: DbOrTx, req: FastifyRequest | null, e: AuditEntry, actorUserId?: number): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: req?.auth?.userId ?? actorUserId ?? null,
    actorRole: req?.auth?.role ?? null,
    action: e.action,
    targetType: e.targetType ?? null,
    targetId: e.targetId === undefined ? null : String(e.targetId),
    ip: req?.ip ?? null,
    detail: e.detail ?? {},
  })
}
