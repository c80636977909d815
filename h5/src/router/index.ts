import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router'
import type { Role } from '@cc/shared'
import { useSession } from '../stores/session'
import { homeOf } from './nav'

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean
    roles?: Role[]
    title?: string
  }
}

const soon = (title: string, text: string) => ({
  component: () => import('../pages/common/ComingSoon.vue'),
  props: { text },
  meta: { title },
})

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('../pages/auth/LoginPage.vue'), meta: { public: true, title: '登录' } },
  { path: '/b', component: () => import('../pages/common/ComingSoon.vue'), props: { text: '整改通报即将上线' }, meta: { public: true, title: '整改通报' } },
  {
    path: '/',
    component: () => import('../pages/home/RoleShell.vue'),
    children: [
      { path: '', component: { render: () => null }, meta: {} },
      { path: 'me', component: () => import('../pages/home/MePage.vue'), meta: { title: '我的' } },
      { path: 'r', component: () => import('../pages/home/ResidentHome.vue'), meta: { roles: ['resident'], title: '崇川在线' } },
      { path: 'r/report', ...soon('反映问题', '“反映问题”：选择类别和地点、描述问题、上传照片，即将上线'), meta: { roles: ['resident'], title: '反映问题' } },
      { path: 'r/mine', ...soon('我的反映', '“我的反映”：查看处理进度、整改结果并评价，即将上线'), meta: { roles: ['resident'], title: '我的反映' } },
      { path: 'r/messages', ...soon('消息', '消息中心：反映事项每一步的处理通知，即将上线'), meta: { roles: ['resident'], title: '消息' } },
      { path: 'g', ...soon('卡口核验', '扫码核验通行证、测温、查看放行结论，即将上线'), meta: { roles: ['gatekeeper'], title: '卡口核验' } },
      { path: 'g/visitors', ...soon('外来人员登记', '外来人员登记（快递、亲友、施工），即将上线'), meta: { roles: ['gatekeeper'], title: '外来人员登记' } },
      { path: 'u', ...soon('整改任务', '交办给本单位的问题：签收、整改、上传整改照片，即将上线'), meta: { roles: ['unit_handler'], title: '整改任务' } },
      { path: 'c', ...soon('今日待办', '今日待办：随访、核酸、解除隔离、整改期限，即将上线'), meta: { roles: ['community_worker'], title: '今日待办' } },
      { path: 'c/tasks', ...soon('整改任务', '交办给本社区的问题：签收、整改、上传整改照片，即将上线'), meta: { roles: ['community_worker'], title: '整改任务' } },
      { path: 'c/quarantine', ...soon('隔离管理', '返通人员登记与14天隔离管理，即将上线'), meta: { roles: ['community_worker'], title: '隔离管理' } },
      { path: 's', ...soon('街道概览', '街道统计与督办，即将上线'), meta: { roles: ['street_admin'], title: '街道概览' } },
      { path: 's/tasks', ...soon('整改任务', '街道辖区的整改任务与核验，即将上线'), meta: { roles: ['street_admin'], title: '整改任务' } },
      { path: 'd', ...soon('区指挥部', '今日受理、办理中、超期、已堵漏洞、按时率、满意率，即将上线'), meta: { roles: ['district_admin'], title: '区指挥部' } },
      { path: 'd/triage', ...soon('受理', '受理队列：受理、不予受理、合并，即将上线'), meta: { roles: ['district_admin'], title: '受理' } },
      { path: 'd/tracking', ...soon('督办', '交办、签收、整改期限与督办，即将上线'), meta: { roles: ['district_admin'], title: '督办' } },
      { path: 'd/bulletins', ...soon('整改通报', '生成并发布《崇川区网友反馈问题整改通报》，即将上线'), meta: { roles: ['district_admin'], title: '整改通报' } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  const session = useSession()
  if (to.meta.public) {
    if (to.path === '/login' && (await session.restore())) return homeOf(session.role!)
    return true
  }
  if (!(await session.restore())) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
  const role = session.role!
  if (to.path === '/') return homeOf(role)
  if (to.meta.roles && !to.meta.roles.includes(role)) return homeOf(role)
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 崇川在线` : '崇川在线'
})
