// 崇川在线 · demo 红黑榜: five published periods after the 2020 reports in shared/seeds/ (000: "截至目前…已发布…5期
// '红黑榜'…60多个社区登上'红榜'、近30个社区被挂上'黑榜'…最近两期榜单，红榜名单越来越长，黑榜名单越来越短";
// "第五期'红黑榜'起，超市、农贸市场等市场主体也被挂上榜单"; 东方鑫乾大厦 and 瑞安名邸 on the red lists of the
// 10th and 11th with their reasons; "11日公布的黑榜中，甚至有小区被通报后仍无整改措施而二次上榜"; 曹公祠社区's
// 诫勉谈话 wording; residents' complaints quoted as black reasons). Names come from the org seed (demo-org.ts).
// Set-based: one INSERT per table, flags computed here with the same pure rules the server uses.
import { sql } from 'drizzle-orm'
import { DEFAULT_RB_RULES, evaluateRedBlack, redBlackTitle, type RbEntityKind, type RbFlag, type RbHistoryItem, type RbList } from '@cc/shared'
import type { Tx } from '../db/client.js'
import { rbCounters, rbEntities, rbEntries, rbEvidence, rbPeriods } from '../modules/redblack/redblack.table.js'

/** `c:` community, `m:` market entity (supermarket, farmers' market, enterprise), `p:` a compound's property project, `co:` a company. */
type Ref = `c:${string}` | `m:${string}` | `p:${string}` | `co:${string}`
type Listing = [Ref, string]
interface DemoPeriod { daysAgo: number; red: Listing[]; black: Listing[] }

export const demoRedblack: DemoPeriod[] = [
  {
    daysAgo: 12,
    red: [
      ['c:大庆社区', '任港路新村10个出入口封闭7个，其余3个由社区干部、志愿者24小时值守，搭帐篷测温登记'],
      ['c:学田苑社区', '逐幢扫楼排查，重点疫区返通人员一个不漏，外来人员一个不少'],
      ['c:百花村社区', '社工逐户上门宣传，独居老人每日电话问候'],
      ['c:跃龙社区', '党员志愿者分班值守，出入人员逐一测温登记'],
      ['c:光明村社区', '网格员包干到楼，外来人员一律登记，居家隔离户每日随访'],
      ['c:濠西社区', '老旧小区巷口拉绳、设置临时栏杆实现封闭，控制点专人值守'],
      ['c:板桥社区', '组建临时突击宣传组，小喇叭流动宣传到每条巷子'],
      ['c:南通港社区', '党员带头捐款捐物，值守点物资保障到位'],
    ],
    black: [
      ['c:曹公祠社区', '落实上级部署要求不到位，应急处置居民纠纷不及时，导致多人聚集，小区防疫处于无序状态'],
      ['c:桃坞社区', '网友反映：外来人员返回南通了，门口却没有检查'],
      ['c:易家桥社区', '网友反映：社区至今没上门宣传，还有人聚众打牌'],
      ['c:钟秀社区', '网友反映：居民出入不戴口罩，老人聚集在一起晒太阳'],
      ['c:朝晖社区', '朝晖新村西门、北门无人值守，车辆随意进出'],
      ['c:永和社区', '小区出入口未设测温点，返通人员未登记'],
      ['c:芦泾社区', '宣传不到位，居民对封闭管理要求不知情'],
      ['c:新河村', '村组道路卡口形同虚设，值守人员脱岗'],
      ['c:竹行村', '辖区棋牌室仍在营业，人员聚集'],
    ],
  },
  {
    daysAgo: 10,
    red: [
      ['c:大庆社区', '帐篷值守点24小时有人，返通人员登记、测温、发放告知书一条龙'],
      ['c:学田苑社区', '社区书记带队夜间巡查，重点人员居家隔离落实到位'],
      ['c:果园社区', '坤园物业为社区捐赠口罩，物业社区联动封闭管理'],
      ['c:新胜社区', '药房、饭店等辖区单位捐赠物资，社区统一调配到值守点'],
      ['c:三角桥社区', '辖区企业捐赠口罩，社区工作者分片包干排查'],
      ['c:小石桥社区', '保洁员、值守人员防护到位，公共区域每日消杀'],
      ['c:濠城社区', '东方鑫乾大厦、濠城新村出入口统一测温登记，快递外卖无接触配送'],
      ['c:光明社区', '辖区酒店捐赠物资支援社区，隔离户生活物资送上门'],
      ['c:永兴社区', '封闭式管理落实到位，出入证管理规范'],
      ['c:幸福社区', '志愿者队伍排班合理，值守台账清楚'],
    ],
    black: [
      ['c:曹公祠社区', '通报后整改不力，小区仍有多个出入口无人值守'],
      ['c:新桥北村社区', '网友反映：小区门口值守人员不戴口罩，不测体温'],
      ['c:东港社区', '网友反映：外地车辆随意进出，无人登记'],
      ['c:天生港社区', '居家隔离人员擅自外出，社区未及时发现'],
      ['c:国庆村', '村内仍有聚餐，劝导不力'],
      ['c:兴隆社区', '兴隆花园侧门长期敞开，无人值守'],
      ['c:长岸社区', '返通人员排查台账缺失，底数不清'],
      ['c:郭里园社区', '郭里园新村6个出入口仅2个有人值守'],
    ],
  },
  {
    daysAgo: 7,
    red: [
      ['c:濠西社区', '濠西新村4个出入口2个封闭、2个专人值守，居民出入凭证通行'],
      ['c:百花村社区', '社工分片包干，隔离户生活需求当天解决'],
      ['c:跃龙社区', '社区书记自费筹集口罩分发给小区保安、保洁人员'],
      ['c:任港社区', '大润发（任港店）周边人员疏导有序，社区与商超联防联控'],
      ['c:友谊桥社区', '农贸市场入口测温，社区志愿者协助维持秩序'],
      ['c:八厂社区', '辖区企业捐资支援防疫，社区物资调配公开透明'],
      ['c:世纪社区', '中南世纪城5个出入口管控有序，物业社区联合值守'],
      ['c:虹桥社区', '辖区企业捐赠防护服、护目镜，一线值守人员防护到位'],
      ['c:校西村社区', '景新小区巷口设置临时栏杆，专人值守'],
      ['c:文峰社区', '辖区药房捐赠口罩，社区统一发放到值守点'],
      ['c:南园社区', '返通人员逐户核查，居家隔离“三包一”落实'],
      ['c:狼山社区', '老党员发动邻里理事会，劝导聚集、宣传防疫'],
    ],
    black: [
      ['c:桃坞社区', '通报后仍有外来人员未经检查进入小区'],
      ['p:濠城公寓', '物业未落实封闭管理，快递外卖人员随意进出'],
      ['c:唐闸社区', '网友反映：小区门口测温形同虚设'],
      ['c:芦泾社区', '二次检查仍有居民不知晓封闭管理要求'],
      ['c:秦灶社区', '值守人员夜间脱岗，出入无人登记'],
      ['c:裕民社区', '隔离户门口未张贴告知，随访记录缺失'],
    ],
  },
  {
    daysAgo: 4,
    red: [
      ['p:东方鑫乾大厦', '只开小区北门，每天消杀，逐一排查'],
      ['p:瑞安名邸', '物业社区联动，严查严管严控'],
      ['p:悦海名邸', '隔离户不能出门购物，物业人员化身“外卖小哥”把蔬菜送上门'],
      ['p:万豪瑜园', '隔离对象有需求，物业人员提供物资送达服务'],
      ['p:文华名邸', '封闭管理到位，隔离户物资送上门'],
      ['p:万豪花苑', '业主买不到口罩，物业采购口罩为每户发放10个'],
      ['c:桃坞社区', '整改到位：所有出入口落实测温登记，外来人员一律劝返'],
      ['c:易家桥社区', '整改到位：社工逐户上门宣传，棋牌室全部关停'],
      ['c:大庆社区', '封闭管理持续到位，帐篷值守点规范有序'],
      ['c:学田北苑社区', '辖区商家捐赠口罩，社区分发到户'],
      ['c:国胜社区', '驻点干部帮助辖区企业落实“五到位”，有序复工'],
      ['c:观音山社区', '辖区企业复工前排查员工行程，防控物资到位'],
      ['c:城山社区', '菜市场经营户自费购买口罩捐给一线，社区组织有序'],
      ['c:濠东社区', '辖区学校、医院捐赠支援一线，社区值守规范'],
      ['c:陈桥社区', '老旧小区设置控制点，24小时值守'],
    ],
    black: [
      ['p:濠城公寓', '被通报后仍无整改措施，快递外卖人员照常进出'],
      ['c:兴隆社区', '兴隆花园侧门通报后仍未封闭'],
      ['c:竹行村', '棋牌室关停后又有人员聚集打牌'],
      ['c:新园社区', '网友反映：小区出入不查出入证'],
    ],
  },
  {
    daysAgo: 2,
    red: [
      ['p:东方鑫乾大厦', '只开小区北门，每天消杀，逐一排查'],
      ['p:瑞安名邸', '物业社区联动，严查严管严控'],
      ['co:乾坤物业', '管理的东方鑫乾大厦、瑞安名邸两个物管项目及时封闭管理，禁止快递、外卖人员进入，排查重点疫区返区人员'],
      ['m:大润发（任港店）', '入口测温、扫码登记，收银台设置一米线'],
      ['m:通润发超市（城东店）', '保障供应不涨价，每日消杀并公示'],
      ['m:苏果超市（文峰店）', '顾客佩戴口罩、测温后方可进入，限流有序'],
      ['m:城山菜市场', '经营户佩戴口罩上岗，市场每日消杀两次'],
      ['m:文峰农贸市场', '单一出入口测温登记，摊位间隔经营'],
      ['m:南通中远海运船务工程有限公司', '员工行程逐一排查，门卫配备热成像测温，生产现场随机抽测体温'],
      ['m:江苏省盐业集团南通有限公司', '首批有序复工，“五到位”要求落实到位'],
      ['m:南通富力机电设备有限公司', '复工员工14天行程承诺，食堂分餐分时就餐'],
      ['m:南通铁人运动用品有限公司', '设置隔离室，厂区每日消毒，不集中开会'],
      ['c:曹公祠社区', '整改到位：出入口全部落实专人值守，居民纠纷及时化解'],
      ['c:朝晖社区', '整改到位：朝晖新村所有出入口落实值守登记'],
      ['c:跃龙社区', '持续做好值守，邻里志愿者轮班有序'],
      ['c:光明社区', '隔离户生活物资送上门，随访记录完整'],
      ['c:唐闸社区', '整改到位：测温登记规范，返通人员台账清楚'],
    ],
    black: [
      ['co:濠河物业', '管理的濠城公寓物管项目两次上黑榜仍未整改，企业主体责任落实不到位'],
      ['m:天生港菜市场', '经营户未佩戴口罩，入口无人测温'],
      ['m:吉时买超市（人民中路店）', '顾客未戴口罩也可入内，未测温登记'],
    ],
  },
]

interface Org { id: number; kind: string; name: string; path: string; market_kind: string | null; company: string | null }

/** Writes the five periods as if published on their days (20:00 Beijing), numbers 1–5, flags as of each. */
export async function seedRedblack(tx: Tx, now = new Date()): Promise<void> {
  const orgs = (await tx.execute(sql`
    SELECT id, kind::text AS kind, name, path, market_kind::text AS market_kind, attrs->>'propertyCompany' AS company
    FROM org_units WHERE kind IN ('district', 'street', 'community', 'compound', 'market')`)).rows as unknown as Org[]
  const one = (kind: string, name: string) => {
    const found = orgs.filter((o) => o.kind === kind && o.name === name)
    if (found.length !== 1) throw new Error(`demo red/black: ${found.length} ${kind} named ${name}`)
    return found[0]!
  }
  const streetOf = (o: Org) => Number(o.path.split('/')[2])
  const district = orgs.find((o) => o.kind === 'district')!

  // Entities, in first-mention order: companies first (projects point at them).
  const refs = [...new Set(demoRedblack.flatMap((p) => [...p.red, ...p.black].map(([r]) => r)))]
  const projects = refs.filter((r) => r.startsWith('p:')).map((r) => one('compound', r.slice(2)))
  const companies = [...new Set([...projects.map((c) => c.company!), ...refs.filter((r) => r.startsWith('co:')).map((r) => r.slice(3))])]
  const companyStreet = (name: string) => streetOf(projects.find((c) => c.company === name) ?? orgs.find((o) => o.kind === 'compound' && o.company === name)!)
  const companyRows = await tx
    .insert(rbEntities)
    .values(companies.map((name) => ({ kind: 'property_company' as const, name, streetOrgId: companyStreet(name) })))
    .returning({ id: rbEntities.id, name: rbEntities.name })
  const companyId = new Map(companyRows.map((c) => [c.name, c.id]))
  const kindOfMarket: Record<string, RbEntityKind> = { supermarket: 'supermarket', farmers_market: 'farmers_market', enterprise: 'enterprise' }
  const others = refs.filter((r) => !r.startsWith('co:')).map((r) => {
    const [tag, name] = [r.slice(0, r.indexOf(':')), r.slice(r.indexOf(':') + 1)]
    if (tag === 'c') {
      const o = one('community', name)
      return { ref: r, row: { kind: 'community' as RbEntityKind, name, streetOrgId: streetOf(o), orgUnitId: o.id } }
    }
    if (tag === 'm') {
      const o = one('market', name)
      return { ref: r, row: { kind: kindOfMarket[o.market_kind!]!, name, streetOrgId: streetOf(o), orgUnitId: o.id } }
    }
    const cp = one('compound', name)
    const commPath = cp.path.split('/').slice(0, 4).join('/') + '/'
    const unit = orgs.find((o) => o.kind === 'market' && o.name === `${name}物管项目` && o.path.startsWith(commPath))
    return {
      ref: r,
      row: { kind: 'property_project' as RbEntityKind, name: `${name}物管项目`, streetOrgId: streetOf(cp), orgUnitId: unit?.id ?? null, companyId: companyId.get(cp.company!)!, compoundOrgId: cp.id },
    }
  })
  const otherRows = await tx.insert(rbEntities).values(others.map((o) => o.row)).returning({ id: rbEntities.id })
  const entityOf = new Map<string, { id: number; kind: RbEntityKind; companyId: number | null }>()
  for (const [i, o] of others.entries()) entityOf.set(o.ref, { id: otherRows[i]!.id, kind: o.row.kind, companyId: (o.row as { companyId?: number }).companyId ?? null })
  for (const c of companyRows) entityOf.set(`co:${c.name}`, { id: c.id, kind: 'property_company', companyId: null })

  // Periods as drafts first (entries may only be written to a draft), then published in one statement.
  const at = (daysAgo: number) => {
    const d = new Date(now.getTime() - daysAgo * 86_400_000)
    d.setUTCHours(12, 0, 0, 0) // 20:00 Beijing
    return d
  }
  const periods = await tx
    .insert(rbPeriods)
    .values(demoRedblack.map(() => ({ districtOrgId: district.id, title: '崇川区疫情防控红黑榜(草稿)' })))
    .returning({ id: rbPeriods.id })
  const history = new Map<number, RbHistoryItem[]>()
  const push = (id: number, h: RbHistoryItem) => history.set(id, [...(history.get(id) ?? []), h])
  const entries: (typeof rbEntries.$inferInsert)[] = []
  for (const [pi, p] of demoRedblack.entries()) {
    const when = at(p.daysAgo).toISOString()
    const listed: [RbList, Listing][] = [...p.red.map((l) => ['red', l] as [RbList, Listing]), ...p.black.map((l) => ['black', l] as [RbList, Listing])]
    // Record this period for everyone first: a company listed with its project sees the project's listing too.
    for (const [list, [ref]] of listed) {
      const e = entityOf.get(ref)!
      push(e.id, { list, at: when, number: pi + 1 })
      if (e.companyId) push(e.companyId, { list, at: when, number: pi + 1 })
    }
    const seq = { red: 0, black: 0 }
    for (const [list, [ref, reason]] of listed) {
      const e = entityOf.get(ref)!
      const flags: RbFlag[] = evaluateRedBlack(history.get(e.id) ?? [], e.kind, DEFAULT_RB_RULES)
      entries.push({ periodId: periods[pi]!.id, entityId: e.id, list, seq: ++seq[list], reason, flags })
    }
  }
  const entryRows = await tx.insert(rbEntries).values(entries).returning({ id: rbEntries.id, list: rbEntries.list, reason: rbEntries.reason })
  await tx.insert(rbEvidence).values(
    entryRows.filter((e) => e.list === 'black').map((e) => ({ entryId: e.id, kind: 'inspection' as const, note: `区疫情防控督查组现场督查：${e.reason.replace(/^网友反映：/, '')}`, label: '督查记录' })),
  )
  await tx.execute(sql`
    UPDATE redblack_periods p SET status = 'published', number = v.n, title = v.title, published_at = v.at::timestamptz, rules_version = 1
    FROM (VALUES ${sql.join(
      periods.map((p, i) => sql`(${p.id}::int, ${i + 1}::int, ${redBlackTitle(i + 1)}, ${at(demoRedblack[i]!.daysAgo).toISOString()})`),
      sql`, `,
    )}) AS v(id, n, title, at)
    WHERE p.id = v.id`)
  await tx.insert(rbCounters).values({ districtOrgId: district.id, lastNumber: demoRedblack.length })
}
