/**
 * The one place that imports ECharts, and only the parts our charts use. Pulled in by a dynamic import from
 * AppChart.vue, so no ECharts code lands in the entry chunk or on a page without a chart; the full package
 * (`import 'echarts'`) would add ~350 KB gzip for series and components nobody draws.
 */
import { use, init, type ComposeOption } from 'echarts/core'
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts'
import {
  GridComponent,
  LegendPlainComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'
import { LabelLayout } from 'echarts/features'

// The plain legend: our charts have at most four series, so the scrolling legend's code is never needed.
// LabelLayout hides a bar's number where it would overlap its neighbour's (three rates per street, thin stacks).
use([BarChart, LineChart, PieChart, GridComponent, LegendPlainComponent, TooltipComponent, CanvasRenderer, LabelLayout])

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>
export { init }
