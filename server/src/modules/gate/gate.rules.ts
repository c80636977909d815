import { desc, eq, sql } from 'drizzle-orm'
import { DEFAULT_RULES, validateRules, type RuleSet } from '@cc/shared'
import type { FastifyRequest } from 'fastify'
import type { Db } from '../../db/client.js'
import { AppError, notFound } from '../../errors.js'
import { audit } from '../audit/audit.service.js'
import { users } from '../auth/auth.table.js'
import { admissionRuleSets } from './gate.table.js'

/** How long a process trusts its copy of the active rule set (another instance may have activated one). */
const ACTIVE_TTL_MS = 10_000
const RULES_LOCK = 727_108

export interface RuleSetView {
  id: number
  version: number
  rules: Omit<RuleSet, 'version'>
  note: string
  status: 'draft' | 'active' | 'retired'
  validFrom: string
  validUntil: string | null
  activatedAt: string | null
  activatedByName: string | null
  createdAt: string
}

export interface NewRuleSet {
  rules: Omit<RuleSet, 'version'>
  note: string
  validFrom: string
  validUntil?: string | null
}

/**
 * Admission rule sets are data: versioned, published by the district, one active at a time, history kept.
 * The scan path reads the active one from memory; activating drops this process's copy at once.
 */
export function createRuleSets(db: Db) {
  let cached: { at: number; set: Promise<RuleSet> } | null = null

  /** Version 1 is the seeds' rules: a database without any rule set gets it on first use. */
  async function ensureDefault(): Promise<void> {
    await db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${RULES_LOCK})`)
      await tx.execute(sql`
        INSERT INTO admission_rule_sets (version, rules, note, status, valid_from, activated_at)
        SELECT 1, ${JSON.stringify(DEFAULT_RULES)}::jsonb, '初始规则（依据疫情防控工作要求）', 'active', now(), now()
        WHERE NOT EXISTS (SELECT 1 FROM admission_rule_sets)`)
    })
  }

  async function loadActive(): Promise<RuleSet> {
    for (let i = 0; i < 2; i++) {
      const [row] = await db
        .select({ version: admissionRuleSets.version, rules: admissionRuleSets.rules })
        .from(admissionRuleSets)
        .where(eq(admissionRuleSets.status, 'active'))
      if (row) return { ...row.rules, version: row.version }
      await ensureDefault()
    }
    // Every set retired by hand: the gates still decide, by the seeds' rules.
    return { ...DEFAULT_RULES, version: 0 }
  }

  function view(r: typeof admissionRuleSets.$inferSelect & { activatedByName: string | null }): RuleSetView {
    return {
      id: r.id,
      version: r.version,
      rules: r.rules,
      note: r.note,
      status: r.status,
      validFrom: r.validFrom.toISOString(),
      validUntil: r.validUntil?.toISOString() ?? null,
      activatedAt: r.activatedAt?.toISOString() ?? null,
      activatedByName: r.activatedByName,
      createdAt: r.createdAt.toISOString(),
    }
  }

  async function byId(id: number) {
    const [r] = await db
      .select({ set: admissionRuleSets, activatedByName: users.displayName })
      .from(admissionRuleSets)
      .leftJoin(users, eq(users.id, admissionRuleSets.activatedBy))
      .where(eq(admissionRuleSets.id, id))
    return r ? view({ ...r.set, activatedByName: r.activatedByName }) : null
  }

  return {
    active(): Promise<RuleSet> {
      if (cached && Date.now() - cached.at < ACTIVE_TTL_MS) return cached.set
      const set = loadActive()
      cached = { at: Date.now(), set }
      set.catch(() => (cached = null))
      return set
    },

    invalidate() {
      cached = null
    },

    async list(): Promise<{ active: RuleSetView | null; history: RuleSetView[]; items: RuleSetView[] }> {
      await this.active()
      const rows = await db
        .select({ set: admissionRuleSets, activatedByName: users.displayName })
        .from(admissionRuleSets)
        .leftJoin(users, eq(users.id, admissionRuleSets.activatedBy))
        .orderBy(desc(admissionRuleSets.version))
        .limit(200)
      const history = rows.map((r) => view({ ...r.set, activatedByName: r.activatedByName }))
      return { active: history.find((h) => h.status === 'active') ?? null, history, items: history }
    },

    async create(req: FastifyRequest, body: NewRuleSet): Promise<RuleSetView> {
      const errors = validateRules(body.rules)
      if (errors.length) throw new AppError('VALIDATION', errors.join('；'))
      const validFrom = new Date(body.validFrom)
      const validUntil = body.validUntil ? new Date(body.validUntil) : null
      // Year 0000 is valid ISO and parses, but PostgreSQL cannot store it (was a 500).
      const storable = (d: Date) => d.getTime() >= Date.UTC(2000, 0, 1) && d.getTime() < Date.UTC(10000, 0, 1)
      if (!storable(validFrom) || (validUntil && !storable(validUntil))) throw new AppError('VALIDATION', '生效或失效时间不正确，请重新选择')
      if (validUntil && validUntil <= validFrom) throw new AppError('VALIDATION', '失效时间必须晚于生效时间')
      const id = await db.transaction(async (tx) => {
        // Version numbers are taken under a lock: two drafts saved together get consecutive versions.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${RULES_LOCK})`)
        const [r] = await tx
          .insert(admissionRuleSets)
          .values({
            version: sql`(SELECT coalesce(max(version), 0) + 1 FROM admission_rule_sets)`,
            rules: body.rules,
            note: body.note.trim(),
            status: 'draft',
            validFrom,
            validUntil,
            createdBy: req.auth!.userId,
          })
          .returning({ id: admissionRuleSets.id, version: admissionRuleSets.version })
        await audit(tx, req, { action: 'rules.create', targetType: 'rule_set', targetId: r!.id, detail: { version: r!.version } })
        return r!.id
      })
      return (await byId(id))!
    },

    async activate(req: FastifyRequest, id: number): Promise<RuleSetView> {
      await db.transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(${RULES_LOCK})`)
        const [r] = await tx.select().from(admissionRuleSets).where(eq(admissionRuleSets.id, id)).for('update')
        if (!r) throw notFound('规则版本')
        if (r.status !== 'draft') throw new AppError('CONFLICT', r.status === 'active' ? '该版本已在生效中' : '已停用的版本不能再启用，请复制后新建')
        if (r.validUntil && r.validUntil <= new Date()) throw new AppError('CONFLICT', '该版本的有效期已过，不能启用')
        // The gates apply the active set at once: one dated later would take effect before its time.
        if (r.validFrom.getTime() > Date.now() + 60_000) throw new AppError('CONFLICT', '该版本尚未到生效时间，请到生效时间后再启用')
        await tx.update(admissionRuleSets).set({ status: 'retired' }).where(eq(admissionRuleSets.status, 'active'))
        await tx
          .update(admissionRuleSets)
          .set({ status: 'active', activatedAt: new Date(), activatedBy: req.auth!.userId })
          .where(eq(admissionRuleSets.id, id))
        await audit(tx, req, { action: 'rules.activate', targetType: 'rule_set', targetId: id, detail: { version: r.version } })
      })
      cached = null
      return (await byId(id))!
    },
  }
}

export type RuleSets = ReturnType<typeof createRuleSets>
