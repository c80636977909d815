import type { Role } from '@cc/shared'

export interface Tab {
  to: string
  label: string
  icon: string
}

/** Each role's tabbar; the first tab is the role's home. */
export const NAV: Record<Role, Tab[]> = {
  resident: [
    { to: '/r', label: '首页', icon: 'home-o' },
    { to: '/r/report', label: '反映问题', icon: 'add-o' },
    { to: '/r/mine', label: '我的反映', icon: 'orders-o' },
    { to: '/r/messages', label: '消息', icon: 'chat-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
  gatekeeper: [
    { to: '/g', label: '核验', icon: 'scan' },
    { to: '/g/visitors', label: '外来登记', icon: 'friends-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
  unit_handler: [
    { to: '/u', label: '整改任务', icon: 'todo-list-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
  community_worker: [
    { to: '/c', label: '今日', icon: 'calendar-o' },
    { to: '/c/tasks', label: '整改任务', icon: 'todo-list-o' },
    { to: '/c/register', label: '住户', icon: 'wap-home-o' },
    { to: '/c/quarantine', label: '隔离管理', icon: 'shield-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
  street_admin: [
    { to: '/s', label: '概览', icon: 'chart-trending-o' },
    { to: '/s/tasks', label: '整改任务', icon: 'todo-list-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
  district_admin: [
    { to: '/d', label: '概览', icon: 'chart-trending-o' },
    { to: '/d/triage', label: '受理', icon: 'records-o' },
    { to: '/d/tracking', label: '督办', icon: 'clock-o' },
    { to: '/d/bulletins', label: '通报', icon: 'newspaper-o' },
    { to: '/me', label: '我的', icon: 'user-o' },
  ],
}

export const homeOf = (role: Role) => NAV[role][0]!.to
