/**
 * The words a chart is read as: value formatting shared by the tooltip, the data table and the aria-label,
 * so the three never disagree. Pure, so it is unit-tested without a canvas.
 */
export interface ChartSeries {
  /** Shown in the legend, the table header and the aria-label ("反映数", "红榜"). */
  name: string
  /** One value per category; null = no data (a rate with nothing to divide), drawn as a gap and read as "无数据". */
  data: (number | null)[]
  /** A fixed colour (红榜 red, 黑榜 black); otherwise from the palette. */
  color?: string
  /** Bars with the same stack id are stacked. */
  stack?: string
}

export interface ValueFormat {
  /** Values are ratios 0‥1 shown as percentages. */
  percent?: boolean
  /** After a count: 件, 人, 次. */
  unit?: string
}

export function formatValue(v: number | null | undefined, f: ValueFormat): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '无数据'
  if (f.percent) {
    const p = v * 100
    return `${Number.isInteger(p) ? p : p.toFixed(1)}%`
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${f.unit ?? ''}`
}

/** Every value missing or zero: the chart would be a flat line, so the empty state says so instead. */
export const isEmptyData = (categories: string[], series: ChartSeries[]) =>
  categories.length === 0 || series.every((s) => s.data.every((v) => v === null || v === 0))

const LIST_ALL_UP_TO = 8

/**
 * What a screen reader hears for the chart: all values when there are few, else the total (counts), the
 * highest, the lowest and the latest — enough to know what the data table below holds.
 */
export function summarize(title: string, categories: string[], series: ChartSeries[], f: ValueFormat): string {
  if (isEmptyData(categories, series)) return `${title}：暂无数据`
  const parts = series.map((s) => {
    const head = series.length > 1 ? `${s.name}：` : ''
    const pairs = categories.map((c, i) => ({ c, v: s.data[i] ?? null }))
    if (pairs.length <= LIST_ALL_UP_TO) return head + pairs.map((p) => `${p.c} ${formatValue(p.v, f)}`).join('，')
    const known = pairs.filter((p): p is { c: string; v: number } => p.v !== null)
    if (known.length === 0) return `${head}无数据`
    const max = known.reduce((a, b) => (b.v > a.v ? b : a))
    const min = known.reduce((a, b) => (b.v < a.v ? b : a))
    const last = pairs[pairs.length - 1]!
    const total = f.percent ? '' : `合计 ${formatValue(known.reduce((a, p) => a + p.v, 0), f)}，`
    return `${head}${pairs.length}项，${total}最高 ${max.c} ${formatValue(max.v, f)}，最低 ${min.c} ${formatValue(min.v, f)}，最近 ${last.c} ${formatValue(last.v, f)}`
  })
  return `${title}。${parts.join('；')}。`
}
