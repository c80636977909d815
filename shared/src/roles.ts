/** Roles of the product (DESIGN §2). The order is the order the H5 offers them when switching. */
export const ROLES = [
  'resident',
  'gatekeeper',
  'unit_handler',
  'community_worker',
  'street_admin',
  'district_admin',
] as const
export type Role = (typeof ROLES)[number]

export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  gatekeeper: '卡口值守',
  unit_handler: '责任单位',
  community_worker: '社区工作者',
  street_admin: '街道',
  district_admin: '区指挥部',
}

/** Staff roles act inside an org scope; residents act for themselves. */
export const STAFF_ROLES = ROLES.filter((r) => r !== 'resident') as Exclude<Role, 'resident'>[]

/** Which org kind a staff role's scope must be (the server refuses grants that do not fit). */
export const ROLE_SCOPE_KIND: Record<Exclude<Role, 'resident'>, OrgKind[]> = {
  gatekeeper: ['compound', 'gate'],
  unit_handler: ['market'],
  community_worker: ['community', 'grid'],
  street_admin: ['street'],
  district_admin: ['district'],
}

export const ORG_KINDS = ['district', 'street', 'community', 'grid', 'compound', 'gate', 'market'] as const
export type OrgKind = (typeof ORG_KINDS)[number]

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  grid: '网格',
  compound: '小区',
  gate: '出入口',
  market: '市场主体',
}

/** Allowed parent kind for each org kind; the database enforces the same with a trigger. */
export const ORG_PARENT_KIND: Record<OrgKind, OrgKind | null> = {
  district: null,
  street: 'district',
  community: 'street',
  grid: 'community',
  compound: 'grid',
  gate: 'compound',
  market: 'community',
}

export const MARKET_KINDS = [
  'property_project',
  'supermarket',
  'farmers_market',
  'enterprise',
  'commercial_building',
] as const
export type MarketKind = (typeof MARKET_KINDS)[number]
export const MARKET_KIND_LABELS: Record<MarketKind, string> = {
  property_project: '物管项目',
  supermarket: '超市',
  farmers_market: '农贸市场',
  enterprise: '企业',
  commercial_building: '商业楼宇',
}

/** Org units are addressed by a materialised path of ids: "/1/4/17/". Scope = path prefix. */
export function inScope(scopePath: string, targetPath: string): boolean {
  return targetPath.startsWith(scopePath)
}
