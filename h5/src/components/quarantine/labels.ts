import type { TodayKind } from '../../api/quarantine'

/** Each row of 今日待办 says what it is in words (the colour only repeats it) and what its one tap does. */
export const TODAY_KIND: Record<TodayKind, { tag: string; tone: 'red' | 'orange' | 'blue' | 'green' | 'grey'; action: string }> = {
  alert: { tag: '预警', tone: 'red', action: '处置' },
  overdue: { tag: '已逾期', tone: 'red', action: '录体温' },
  due_now: { tag: '待随访', tone: 'orange', action: '录体温' },
  nat_due: { tag: '核酸', tone: 'blue', action: '录结果' },
  release_due: { tag: '可解除', tone: 'green', action: '解除' },
  new_registration: { tag: '新登记', tone: 'blue', action: '研判' },
  complaint: { tag: '投诉', tone: 'orange', action: '去办理' },
}

/** State tabs of the list: the words of the seeds (居家隔离 / 集中隔离 …). */
export const STATE_TABS: { name: string; title: string }[] = [
  { name: 'home', title: '居家隔离' },
  { name: 'centralised', title: '集中隔离' },
  { name: 'monitoring', title: '健康监测' },
  { name: 'registered', title: '待研判' },
  { name: 'released', title: '已解除' },
  { name: 'transferred', title: '转运' },
  { name: 'lost', title: '失联' },
  { name: 'cleared', title: '无需管控' },
  { name: '', title: '全部' },
]

export const STATE_TONE: Record<string, 'red' | 'orange' | 'blue' | 'green' | 'grey'> = {
  registered: 'blue',
  home: 'orange',
  centralised: 'red',
  monitoring: 'blue',
  released: 'green',
  cleared: 'grey',
  transferred: 'red',
  lost: 'red',
}

export const ALERT_KIND: Record<string, string> = { fever: '发热', symptom: '症状', gate: '卡口预警', risk_up: '风险升高', nat_positive: '核酸阳性' }

export const SWEEP_MARKS = {
  no_answer: '无人应答',
  registered: '已登记',
  none: '无返乡人员',
} as const
