/** Charts: volume and success rate over time, and callback latency. */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { api } from '../api.js';
import { useLoad } from '../hooks.js';

interface Bucket {
  startMs: number;
  created: number;
  successRate: number | null;
  callbackLatencyMedianMs: number | null;
  callbackLatencyMaxMs: number | null;
}

function Chart(props: {
  title: string;
  series: { label: string; values: (number | null)[]; stroke: string }[];
  times: number[];
}) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (target.current === null) {
      return undefined;
    }
    const width = Math.max(280, target.current.clientWidth);
    const plot = new uPlot(
      {
        width,
        height: 200,
        series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
      },
      [props.times, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      target.current,
    );
    return () => plot.destroy();
  }, [props.times, props.series]);
  return html`<figure><figcaption>${props.title}</figcaption><div class="chart" ref=${target}></div></figure>`;
}

export function ChartsView() {
  const [minutes, setMinutes] = useState(60);
  const { data, error } = useLoad(
    () => api<Bucket[]>('GET', `/stats?sinceMinutes=${minutes}&bucketSeconds=${Math.max(10, minutes)}`),
    [minutes],
    {
      live: true,
    },
  );
  const buckets = data ?? [];
  const times = buckets.map((b) => b.startMs / 1000);
  return html`
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Charts</h2>
      <label>Window<select value=${minutes} onChange=${(e: Event) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
        <option value="15">15 minutes</option><option value="60">1 hour</option><option value="1440">1 day</option>
      </select></label>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      ${buckets.length === 0 ? html`<p class="muted">No traffic in this window yet.</p>` : null}
      <div class="grid">
        <${Chart} title="Payments and payouts created" times=${times} series=${[{ label: 'created', values: buckets.map((b) => b.created), stroke: '#004f71' }]} />
        <${Chart} title="Success rate" times=${times} series=${[{ label: 'success rate', values: buckets.map((b) => b.successRate), stroke: '#1b7f3b' }]} />
        <${Chart} title="Callback latency (ms)" times=${times} series=${[
          { label: 'median', values: buckets.map((b) => b.callbackLatencyMedianMs), stroke: '#8a6100' },
          { label: 'max', values: buckets.map((b) => b.callbackLatencyMaxMs), stroke: '#b42318' },
        ]} />
      </div>
    </section>
  `;
}
