import { createRouter, createWebHashHistory, loadRouteLocation, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@cc/shared'
import { useSession } from '../stores/session'
import { homeOf } from './nav'
import { takeElderLink } from '../composables/elderPrefs'
import { useElder } from '../stores/elder'
import LoginPage from '../pages/auth/LoginPage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
    title?: string
    /** The page's meta description (search results, shared-link previews); index.html's when absent. */
    description?: string
    /** Open to visitors who are not signed in; the page itself asks for the login when it needs one. */
    guestOk?: boolean
  }
}

const soon = (title: string, text: string) => ({
  component: () => import('../pages/common/ComingSoon.vue'),
  props: { text },
  meta: { title },
})

const page = {
  report: () => import('../pages/complaints/ReportPage.vue'),
  receipt: () => import('../pages/complaints/ReceiptPage.vue'),
  mine: () => import('../pages/complaints/MyComplaintsPage.vue'),
  detail: () => import('../pages/complaints/ComplaintDetailPage.vue'),
  messages: () => import('../pages/messages/MessagesPage.vue'),
  tasks: () => import('../pages/tasks/TaskListPage.vue'),
  task: () => import('../pages/tasks/TaskDetailPage.vue'),
  drillComplaints: () => import('../pages/dashboard/DrillComplaintsPage.vue'),
  drillGate: () => import('../pages/dashboard/DrillGatePage.vue'),
  quarantineDay: () => import('../pages/dashboard/QuarantineDayPage.vue'),
}

const routes: RouteRecordRaw[] = [
  // In the entry chunk: a first visit renders it without another round trip for its chunk.
  {
    path: '/login',
    component: LoginPage,
    meta: { public: true, title: '登录', description: '登录崇川在线：居民用手机号和短信验证码登录，反映身边的疫情防控漏洞；社区、街道和责任单位工作人员用账号登录处理整改任务。' },
  },
  {
    path: '/b',
    component: () => import('../pages/bulletins/BulletinListPage.vue'),
    meta: { public: true, title: '整改通报', description: '崇川区网友反馈问题整改通报：逐期公开网友反映的疫情防控漏洞、责任单位和整改措施，无需登录即可查看。' },
  },
  {
    path: '/q/:code?',
    component: () => import('../pages/complaints/TrackPage.vue'),
    props: true,
    meta: { public: true, title: '查询进度', description: '凭回执上的跟踪码查看所反映问题的办理进度：受理、交办、签收、整改、核验和通报，无需登录。' },
  },
  {
    path: '/rb',
    component: () => import('../pages/redblack/RbPublicListPage.vue'),
    meta: { public: true, title: '红黑榜', description: '崇川区疫情防控红黑榜：逐期公开防控到位的红榜单位和存在漏洞的黑榜单位，附上榜理由、二次上榜处理建议和红黑趋势图，无需登录即可查看。' },
  },
  {
    path: '/rb/:id(\\d+)',
    component: () => import('../pages/redblack/RbPeriodPage.vue'),
    props: true,
    meta: { public: true, title: '红黑榜', description: '崇川区疫情防控红黑榜全文：红榜表扬、黑榜曝光的社区、物业项目和市场主体，以及上榜理由和处理建议。' },
  },
  {
    path: '/rb/e/:id(\\d+)',
    component: () => import('../pages/redblack/RbEntityPage.vue'),
    props: true,
    meta: { public: true, title: '上榜记录', description: '一个社区、物业项目或市场主体在崇川区疫情防控红黑榜上的历次记录。' },
  },
  {
    path: '/b/:id(\\d+)',
    component: () => import('../pages/bulletins/BulletinPage.vue'),
    props: true,
    meta: { public: true, title: '整改通报', description: '崇川区网友反馈问题整改通报全文：每条问题的地点、责任单位和经核验的整改措施。' },
  },
  {
    path: '/',
    component: () => import('../pages/home/RoleShell.vue'),
    children: [
      { path: '', component: { render: () => null }, meta: {} },
      { path: 'me', component: () => import('../pages/home/MePage.vue'), meta: { title: '我的' } },
      { path: 'messages', component: page.messages, meta: { title: '消息' } },
      { path: 'r', component: () => import('../pages/home/ResidentHome.vue'), meta: { roles: ['resident'], title: '崇川在线' } },
      { path: 'r/report', component: page.report, meta: { roles: ['resident'], title: '反映问题', guestOk: true } },
      { path: 'r/receipt/:id(\\d+)', component: page.receipt, props: true, meta: { roles: ['resident'], title: '提交成功' } },
      { path: 'r/mine', component: page.mine, meta: { roles: ['resident'], title: '我的反映' } },
      { path: 'r/c/:id(\\d+)', component: page.detail, props: true, meta: { roles: ['resident'], title: '反映详情' } },
      { path: 'me/claim', component: () => import('../pages/me/ClaimHouseholdPage.vue'), meta: { roles: ['resident'], title: '认领房屋' } },
      { path: 'r/messages', component: page.messages, meta: { roles: ['resident'], title: '消息' } },
      { path: 'pass', component: () => import('../pages/passes/MyPassPage.vue'), meta: { roles: ['resident'], title: '我的通行码' } },
      { path: 'r/return', component: () => import('../pages/returnees/ReturnListPage.vue'), meta: { roles: ['resident'], title: '返崇登记' } },
      { path: 'r/return/new', component: () => import('../pages/returnees/ReturnFormPage.vue'), meta: { roles: ['resident'], title: '返崇登记' } },
      { path: 'r/return/:id(\\d+)', component: () => import('../pages/returnees/ReturnDetailPage.vue'), props: true, meta: { roles: ['resident'], title: '我的隔离' } },
      { path: 'g', component: () => import('../pages/gate/GatePage.vue'), meta: { roles: ['gatekeeper'], title: '卡口核验' } },
      { path: 'g/visitors', component: () => import('../pages/gate/VisitorsPage.vue'), meta: { roles: ['gatekeeper'], title: '外来人员登记' } },
      { path: 'u', component: page.tasks, props: { base: '/u' }, meta: { roles: ['unit_handler'], title: '整改任务' } },
      { path: 'u/t/:id(\\d+)', component: page.task, props: true, meta: { roles: ['unit_handler'], title: '任务详情' } },
      { path: 'c', component: () => import('../pages/quarantine/TodayPage.vue'), meta: { roles: ['community_worker'], title: '今日待办' } },
      { path: 'c/tasks', component: page.tasks, props: { base: '/c' }, meta: { roles: ['community_worker'], title: '整改任务' } },
      { path: 'c/t/:id(\\d+)', component: page.task, props: true, meta: { roles: ['community_worker'], title: '任务详情' } },
      { path: 'c/register', component: () => import('../pages/register/RegisterPage.vue'), meta: { roles: ['community_worker'], title: '住户' } },
      { path: 'c/register/new', component: () => import('../pages/register/NewHouseholdPage.vue'), meta: { roles: ['community_worker'], title: '新增住户' } },
      { path: 'c/register/h/:id(\\d+)', component: () => import('../pages/register/HouseholdPage.vue'), props: true, meta: { roles: ['community_worker'], title: '住户详情' } },
      { path: 'c/register/import', component: () => import('../pages/register/ImportPage.vue'), meta: { roles: ['community_worker'], title: '导入住户' } },
      { path: 'c/claims', component: () => import('../pages/register/ClaimsPage.vue'), meta: { roles: ['community_worker'], title: '认领审核' } },
      { path: 'c/passes', component: () => import('../pages/passes/PassAdminPage.vue'), meta: { roles: ['community_worker'], title: '通行证' } },
      { path: 'c/passes/print', component: () => import('../pages/passes/PrintCardsPage.vue'), meta: { roles: ['community_worker'], title: '打印通行卡' } },
      { path: 'c/quarantine', component: () => import('../pages/quarantine/QuarantineListPage.vue'), meta: { roles: ['community_worker'], title: '隔离管理' } },
      { path: 'c/quarantine/sites', component: () => import('../pages/quarantine/SitesPage.vue'), meta: { roles: ['community_worker'], title: '集中隔离点' } },
      { path: 'c/quarantine/:id(\\d+)', component: () => import('../pages/quarantine/CasePage.vue'), props: true, meta: { roles: ['community_worker'], title: '隔离记录' } },
      { path: 'c/sweep', component: () => import('../pages/quarantine/SweepPage.vue'), meta: { roles: ['community_worker'], title: '扫楼登记' } },
      { path: 's', component: () => import('../pages/tasks/UnitOverviewPage.vue'), props: { base: '/s' }, meta: { roles: ['street_admin'], title: '街道概览' } },
      { path: 's/tasks', component: page.tasks, props: { base: '/s' }, meta: { roles: ['street_admin'], title: '整改任务' } },
      { path: 's/quarantine-counts', component: () => import('../pages/district/QuarantineCountsPage.vue'), meta: { roles: ['street_admin'], title: '隔离日报' } },
      { path: 's/t/:id(\\d+)', component: page.task, props: true, meta: { roles: ['street_admin'], title: '任务详情' } },
      { path: 'd', component: () => import('../pages/district/DistrictHome.vue'), meta: { roles: ['district_admin'], title: '区指挥部' } },
      { path: 'd/triage', component: () => import('../pages/district/TriagePage.vue'), meta: { roles: ['district_admin'], title: '受理' } },
      { path: 'd/c/:id(\\d+)', component: () => import('../pages/district/AdminComplaintPage.vue'), props: true, meta: { roles: ['district_admin'], title: '反映详情' } },
      { path: 'd/tracking', component: () => import('../pages/district/TrackingPage.vue'), meta: { roles: ['district_admin'], title: '督办' } },
      { path: 'd/bulletins', component: () => import('../pages/district/BulletinAdminListPage.vue'), meta: { roles: ['district_admin'], title: '整改通报' } },
      { path: 'd/rules', component: () => import('../pages/district/RulesPage.vue'), meta: { roles: ['district_admin'], title: '通行规则' } },
      { path: 'd/key-areas', component: () => import('../pages/district/KeyAreasPage.vue'), meta: { roles: ['district_admin'], title: '重点地区' } },
      { path: 'd/quarantine-counts', component: () => import('../pages/district/QuarantineCountsPage.vue'), meta: { roles: ['district_admin'], title: '隔离日报' } },
      { path: 'd/bulletins/:id(\\d+)', component: () => import('../pages/district/BulletinEditorPage.vue'), props: true, meta: { roles: ['district_admin'], title: '编辑通报' } },
      // The dashboard's drill-downs (h5/src/pages/dashboard): the list behind each number, under each role's base.
      { path: 'd/dashboard/complaints', component: page.drillComplaints, props: { base: '/d' }, meta: { roles: ['district_admin'], title: '反映明细' } },
      { path: 'd/dashboard/gate', component: page.drillGate, props: { base: '/d' }, meta: { roles: ['district_admin'], title: '核验明细' } },
      { path: 'd/dashboard/quarantine', component: page.quarantineDay, props: { base: '/d' }, meta: { roles: ['district_admin'], title: '隔离日报' } },
      { path: 's/dashboard/complaints', component: page.drillComplaints, props: { base: '/s' }, meta: { roles: ['street_admin'], title: '反映明细' } },
      { path: 's/dashboard/gate', component: page.drillGate, props: { base: '/s' }, meta: { roles: ['street_admin'], title: '核验明细' } },
      { path: 's/dashboard/quarantine', component: page.quarantineDay, props: { base: '/s' }, meta: { roles: ['street_admin'], title: '隔离日报' } },
      { path: 'c/dashboard/complaints', component: page.drillComplaints, props: { base: '/c' }, meta: { roles: ['community_worker'], title: '反映明细' } },
      { path: 'c/dashboard/gate', component: page.drillGate, props: { base: '/c' }, meta: { roles: ['community_worker'], title: '核验明细' } },
      { path: 'c/dashboard/quarantine', component: page.quarantineDay, props: { base: '/c' }, meta: { roles: ['community_worker'], title: '隔离日报' } },
      { path: 'c/overview', component: () => import('../pages/dashboard/CommunityOverviewPage.vue'), meta: { roles: ['community_worker'], title: '社区概览' } },
      { path: 'd/redblack', component: () => import('../pages/redblack/RbAdminListPage.vue'), meta: { roles: ['district_admin'], title: '红黑榜' } },
      { path: 'd/redblack/:id(\\d+)', component: () => import('../pages/redblack/RbEditorPage.vue'), props: true, meta: { roles: ['district_admin'], title: '红黑榜' } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

// Before the router reads the URL: an elder=1 link (before or inside the hash) is remembered and removed.
const withoutElder = typeof window !== 'undefined' ? takeElderLink(window.location.href) : null
if (withoutElder) window.history.replaceState(window.history.state, '', withoutElder)

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  // An elder=1 link opened inside the running app (the page was already open in WeChat).
  if (to.query.elder !== undefined) {
    useElder().setOn(to.query.elder === '1')
    const { elder: _, ...query } = to.query
    return { path: to.path, query, hash: to.hash, replace: true }
  }
  const session = useSession()
  // Fetch the page's code while the session is restored, not after: on a phone network each is a round
  // trip of half a second or more (the login page's first paint waited for both in turn). Without a
  // session a private page ends on the login page, so that is fetched too. The router reuses what this
  // loads; a redirect merely leaves a small chunk in the cache.
  loadRouteLocation(to).catch(() => {})
  if (!to.meta.public && !session.signedIn) loadRouteLocation(router.resolve('/login')).catch(() => {})
  if (to.meta.public) {
    if (to.path === '/login' && (await session.restore())) return homeOf(session.role!)
    return true
  }
  if (!(await session.restore())) return to.meta.guestOk ? true : { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const role = session.role!
  if (to.path === '/') return homeOf(role)
  if (to.meta.roles && !to.meta.roles.includes(role)) return homeOf(role)
  return true
})

// index.html's description, kept as the fallback for pages without their own.
const defaultDescription = typeof document !== 'undefined' ? (document.querySelector('meta[name="description"]')?.getAttribute('content') ?? '') : ''

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 崇川在线` : '崇川在线'
  let meta = document.querySelector<HTMLMetaElement>('meta[name="description"]')
  if (!meta) {
    meta = document.createElement('meta')
    meta.name = 'description'
    document.head.appendChild(meta)
  }
  meta.content = to.meta.description ?? defaultDescription
})
