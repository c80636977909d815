import type { FastifyRequest } from 'fastify'
import { maskIdNumber } from '@cc/shared'
import type { AppConfig } from '../../config.js'
import type { Db } from '../../db/client.js'
import { audit } from '../audit/audit.service.js'
import { checkIdNumber, idHashOf } from '../households/households.people.js'
import { run } from './gate.repository.js'
import { REASON_TEXTS } from './gate.service.js'

type Row = {
  checkId: number
  checkedAt: string
  compoundName: string
  gateName: string
  direction: 'in' | 'out'
  verdict: 'pass' | 'deny' | 'register'
  reasons: string[]
  temperature: string | null
  color: 'green' | 'green_star' | 'yellow' | 'red' | null
}

/**
 * The district's search of the check log by ID number (epidemiological tracing). Looked up through the
 * HMAC of the number, never the number itself; every search is written to the audit log, found or not,
 * with the masked number only.
 */
export async function checksByIdNumber(db: Db, config: AppConfig, req: FastifyRequest, raw: string) {
  const id = checkIdNumber(raw)
  const hash = idHashOf(config, id)
  const people = await run<{ id: number; nameMasked: string; idMasked: string }>(
    db,
    'gate_search_people',
    `SELECT id, name_masked AS "nameMasked", id_masked AS "idMasked" FROM residents WHERE id_hash = $1 ORDER BY moved_out IS NULL DESC, id DESC`,
    [hash],
  )
  const rows = people.length
    ? await run<Row>(
        db,
        'gate_search_checks',
        `SELECT c.id AS "checkId", c.checked_at AS "checkedAt", cp.name AS "compoundName", g.name AS "gateName", c.direction, c.verdict, c.reasons,
            c.temperature::text AS temperature, c.color
          FROM gate_checks c JOIN org_units g ON g.id = c.gate_id JOIN org_units cp ON cp.id = c.compound_id
          WHERE c.pass_id IN (SELECT p.id FROM passes p WHERE p.resident_id = ANY($1::int[]))
            AND c.checked_at > now() - interval '28 days'
          ORDER BY c.checked_at DESC LIMIT 1000`,
        [people.map((p) => p.id)],
      )
    : []
  const person = people[0] ? { nameMasked: people[0].nameMasked, idMasked: people[0].idMasked } : null
  await audit(db, req, {
    action: 'gate.checks_by_id_number',
    targetType: 'resident',
    targetId: people[0]?.id,
    detail: { idMasked: person?.idMasked ?? maskIdNumber(id), results: rows.length },
  })
  return {
    person,
    items: rows.map((r) => ({
      ...r,
      checkedAt: new Date(r.checkedAt).toISOString(),
      temperature: r.temperature === null ? null : Number(r.temperature),
      reasons: r.reasons.map((code) => ({ code, text: REASON_TEXTS[code as keyof typeof REASON_TEXTS] ?? code })),
    })),
  }
}
