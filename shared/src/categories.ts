/** Default complaint categories (DESIGN §3.1). The database holds the live list; this seeds it. */
export interface CategorySeed {
  code: string
  name: string
  /** Hours the unit has to sign (签收). */
  signHours: number
  /** Days after assignment whose end (23:59 Asia/Shanghai) is the rectification deadline. */
  rectifyDays: number
}

export const DEFAULT_CATEGORIES: CategorySeed[] = [
  { code: 'gate_unchecked', name: '卡口未查验', signHours: 2, rectifyDays: 1 },
  { code: 'gathering', name: '人员聚集', signHours: 1, rectifyDays: 1 },
  { code: 'no_mask', name: '未戴口罩', signHours: 2, rectifyDays: 1 },
  { code: 'publicity', name: '宣传不到位', signHours: 2, rectifyDays: 2 },
  { code: 'returnee_unmanaged', name: '返通人员未管控', signHours: 1, rectifyDays: 1 },
  { code: 'quarantine_lax', name: '隔离不严', signHours: 1, rectifyDays: 1 },
  { code: 'disinfection', name: '消杀不到位', signHours: 2, rectifyDays: 1 },
  { code: 'market_lax', name: '市场主体防控不力', signHours: 2, rectifyDays: 1 },
  { code: 'price_gouging', name: '哄抬物价', signHours: 2, rectifyDays: 1 },
  { code: 'other', name: '其他', signHours: 2, rectifyDays: 2 },
]
