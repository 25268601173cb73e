import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, PieChart, type BarSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Only what the report screens draw, so the chunk stays small (the full echarts build is ~1 MB).
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** The brand blue first, then colours that stay apart when printed in greyscale. */
export const PALETTE = ['#0b5cab', '#fa8c16', '#52c41a', '#eb2f96', '#13c2c2', '#722ed1', '#faad14', '#8c8c8c', '#f5222d', '#2f54eb'];

/**
 * A chart in a div: created once, given each new option whole (`notMerge`), resized with its box
 * (the side menu collapsing, the print layout) and disposed on unmount.
 */
export function EChart({ option, height = 280, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    const el = box.current!;
    const c = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el);
    // The print layout is narrower than the screen; redraw at that width before the page is rasterised.
    const beforePrint = () => c.resize();
    window.addEventListener('beforeprint', beforePrint);
    return () => {
      window.removeEventListener('beforeprint', beforePrint);
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption({ color: PALETTE, animation: false, ...option }, { notMerge: true });
  }, [option]);
  return <div ref={box} className="echart" style={{ height }} data-testid={testId} />;
}
