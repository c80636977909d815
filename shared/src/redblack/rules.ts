/**
 * 红黑榜 rules: which entity kinds can be listed, the seeds' sanctions and awards, and the one pure function that
 * turns an entity's listing history into flags ("二次上榜", "推荐表彰"). The rules themselves are data (a versioned
 * row on the server); `DEFAULT_RB_RULES` is the first version, worded after the 2020 reports.
 */
export const RB_LISTS = ['red', 'black'] as const
export type RbList = (typeof RB_LISTS)[number]
export const RB_LIST_LABELS: Record<RbList, string> = { red: '红榜', black: '黑榜' }

export const RB_ENTITY_KINDS = ['community', 'property_project', 'property_company', 'supermarket', 'farmers_market', 'enterprise'] as const
export type RbEntityKind = (typeof RB_ENTITY_KINDS)[number]
export const RB_ENTITY_KIND_LABELS: Record<RbEntityKind, string> = {
  community: '社区',
  property_project: '物业项目',
  property_company: '物业公司',
  supermarket: '超市',
  farmers_market: '农贸市场',
  enterprise: '企业',
}

export const RB_EVIDENCE_KINDS = ['complaint', 'bulletin_item', 'gate_check', 'inspection'] as const
export type RbEvidenceKind = (typeof RB_EVIDENCE_KINDS)[number]
export const RB_EVIDENCE_LABELS: Record<RbEvidenceKind, string> = {
  complaint: '群众反映',
  bulletin_item: '整改通报',
  gate_check: '卡口核验',
  inspection: '督查记录',
}

export type RbFlagCode = 'second_black' | 'award'
export const RB_FLAG_LABELS: Record<RbFlagCode, string> = { second_black: '二次上榜', award: '推荐表彰' }

export interface RbRulesData {
  /** Two black listings no further apart than this are "二次上榜". */
  windowDays: number
  /** Red listings in a row (no black in between, none since) that earn a recommendation. */
  awardMinReds: number
  sanctions: Record<RbEntityKind, string>
  awards: Record<RbEntityKind, string>
}

export const DEFAULT_RB_RULES: RbRulesData = {
  windowDays: 30,
  awardMinReds: 2,
  sanctions: {
    property_project: '提请市物业主管部门取消其项目经理从业资格',
    property_company: '纳入全市企业失信行为联合惩戒体系，取消该企业全年评优评先资格，两年内不得承接崇川区范围内新建物管项目',
    community: '提请区纪委监委对社区负责人诫勉谈话，责令限期整改',
    supermarket: '由市场监管部门约谈负责人，责令停业整改',
    farmers_market: '由市场监管部门约谈市场开办方，责令限期整改',
    enterprise: '暂停复工资格，由驻点干部督促整改到位后重新审核',
  },
  awards: {
    property_project: '作为年度优秀物管项目优先推荐，项目经理在年度评优评先中优先推荐',
    property_company: '在评优评先中予以推荐，在崇川区项目招标中予以优先推荐',
    community: '在年度社区考核和评优评先中予以推荐',
    supermarket: '在诚信经营评选中予以推荐',
    farmers_market: '在文明市场评选中予以推荐',
    enterprise: '在复工复产先进评选中予以推荐',
  },
}

/** One listing in an entity's history. `at` is the publish time (a draft counts as "now"); `number` null for a draft. */
export interface RbHistoryItem {
  list: RbList
  at: string
  number: number | null
}

export interface RbFlag {
  code: RbFlagCode
  label: string
  recommendation: string
  /** The period numbers that caused the flag (null for the draft being edited). */
  periodNumbers: (number | null)[]
}

const DAY_MS = 86_400_000

/**
 * Flags for an entity as of its latest listing in `history` (any order; items after `asOf` are ignored).
 * - 二次上榜: the latest black listing has an earlier black listing at most `windowDays` before it.
 * - 推荐表彰: at least `awardMinReds` red listings since the last black one (none in between, none after).
 * Same-time listings keep their given order (a draft after every published period).
 */
export function evaluateRedBlack(history: readonly RbHistoryItem[], kind: RbEntityKind, rules: RbRulesData, asOf?: string): RbFlag[] {
  const limit = asOf ? Date.parse(asOf) : Infinity
  const items = history
    .map((h, i) => ({ ...h, t: Date.parse(h.at), i }))
    .filter((h) => Number.isFinite(h.t) && h.t <= limit)
    .sort((a, b) => a.t - b.t || a.i - b.i)
  const flags: RbFlag[] = []
  const blacks = items.filter((h) => h.list === 'black')
  const last = blacks.at(-1)
  if (last && blacks.length >= 2) {
    const prev = blacks.slice(0, -1).filter((b) => last.t - b.t <= rules.windowDays * DAY_MS)
    if (prev.length) {
      flags.push({
        code: 'second_black',
        label: RB_FLAG_LABELS.second_black,
        recommendation: rules.sanctions[kind],
        periodNumbers: [prev.at(-1)!.number, last.number],
      })
    }
  }
  const redsSince = items.slice(last ? items.indexOf(last) + 1 : 0).filter((h) => h.list === 'red')
  if (redsSince.length >= Math.max(1, rules.awardMinReds)) {
    flags.push({ code: 'award', label: RB_FLAG_LABELS.award, recommendation: rules.awards[kind], periodNumbers: redsSince.map((r) => r.number) })
  }
  return flags
}

export const redBlackTitle = (n: number) => `崇川区疫情防控红黑榜(第${n}期)`
export const RB_DRAFT_TITLE = '崇川区疫情防控红黑榜(草稿)'
