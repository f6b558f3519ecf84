/** Charts: volume and success rate over time, and callback latency; each also in words and as a table. */
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { api } from '../api.js';
import { time, timeOfDay } from '../format.js';
import { useLoad } from '../hooks.js';

interface Bucket {
  startMs: number;
  created: number;
  successRate: number | null;
  callbackLatencyMedianMs: number | null;
  callbackLatencyMaxMs: number | null;
}

const WINDOWS = [
  { minutes: 15, label: '15 minutes', phrase: 'the last 15 minutes' },
  { minutes: 60, label: '1 hour', phrase: 'the last hour' },
  { minutes: 1440, label: '1 day', phrase: 'the last day' },
] as const;

/**
 * Every bucket of the window, the empty ones too: the server lists only buckets where something happened, and
 * a line drawn through those alone ran straight across the quiet times between them, as if traffic had gone
 * on. An empty bucket created nothing; it has no success rate and no latency (a gap, not 0 % or 0 ms).
 */
function everyBucket(
  buckets: readonly Bucket[],
  sinceMs: number,
  untilMs: number,
  bucketMs: number,
): Bucket[] {
  const byStart = new Map(buckets.map((bucket) => [bucket.startMs, bucket]));
  const startOf = (atMs: number) => atMs - (atMs % bucketMs);
  // The server's clock may run ahead of or behind this one: none of its buckets is left out.
  const first = Math.min(startOf(sinceMs), ...byStart.keys());
  const last = Math.max(startOf(untilMs), ...byStart.keys());
  const all: Bucket[] = [];
  for (let startMs = first; startMs <= last; startMs += bucketMs) {
    all.push(
      byStart.get(startMs) ?? {
        startMs,
        created: 0,
        successRate: null,
        callbackLatencyMedianMs: null,
        callbackLatencyMaxMs: null,
      },
    );
  }
  return all;
}

interface Series {
  label: string;
  values: (number | null)[];
  stroke: string;
}

function Chart(props: {
  title: string;
  /** The chart in a sentence, for everyone; and all there is to say when there is no data. */
  summary: string;
  hasData: boolean;
  series: Series[];
  startsMs: number[];
  /** A bucket's start as the table names it. */
  when: (epochMs: number) => string;
  /** A value as the table writes it. */
  format: (value: number) => string;
}) {
  const target = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = () =>
    [props.startsMs.map((ms) => ms / 1000), ...props.series.map((s) => s.values)] as uPlot.AlignedData;
  const seriesShape = props.series.map((s) => `${s.label} ${s.stroke}`).join('|');
  // Drawn once for its series, then given each render's data (uPlot redraws in place, cheaply): drawn from
  // scratch at every live reload, the chart flickered and lost the point under the pointer.
  useEffect(() => {
    if (target.current === null) {
      return undefined;
    }
    const width = Math.max(280, target.current.clientWidth);
    const drawn = new uPlot(
      {
        width,
        height: 200,
        series: [
          {},
          // Points, as well as lines: a value between two gaps has no line to show it.
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            width: 2,
            points: { show: true },
          })),
        ],
      },
      data(),
      target.current,
    );
    plot.current = drawn;
    // Drawn once, it must follow its box: a narrower window would otherwise cut it off.
    const container = target.current;
    const resized = new ResizeObserver(() => {
      const wanted = Math.max(280, container.clientWidth);
      if (wanted !== drawn.width) {
        drawn.setSize({ width: wanted, height: 200 });
      }
    });
    resized.observe(container);
    return () => {
      resized.disconnect();
      drawn.destroy();
      plot.current = null;
    };
  }, [seriesShape, props.hasData]);
  useEffect(() => {
    plot.current?.setData(data());
  }, [props.startsMs, props.series]);
  return html`<figure>
    <figcaption>${props.title}</figcaption>
    <p class="muted">${props.summary}</p>
    ${
      props.hasData
        ? html`<div class="chart" aria-hidden="true" ref=${target}></div>
          <div class="visually-hidden"><table class="visually-hidden">
            <caption>${props.title}, per interval</caption>
            <thead><tr><th scope="col">From</th>${props.series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
            <tbody>${props.startsMs.map(
              (startMs, index) =>
                html`<tr><th scope="row">${props.when(startMs)}</th>${props.series.map((s) => {
                  const value = s.values[index];
                  return html`<td>${value === null || value === undefined ? 'no data' : props.format(value)}</td>`;
                })}</tr>`,
            )}</tbody>
          </table></div>`
        : null
    }
  </figure>`;
}

const percent = (rate: number) => `${Math.round(rate * 100)} %`;
const milliseconds = (ms: number) => `${ms} ms`;

/** "Between 50 % and 100 %", or just "100 %" when every value is the same. */
function range(values: readonly number[], format: (value: number) => string): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? format(low) : `Between ${format(low)} and ${format(high)}`;
}

const intervals = (count: number) => (count === 1 ? 'the one interval' : `the ${count} intervals`);

function present(values: readonly (number | null)[]): number[] {
  return values.filter((value): value is number => value !== null);
}

export function ChartsView() {
  const [minutes, setMinutes] = useState<number>(60);
  const { data, error } = useLoad(
    async () => {
      const bucketMs = Math.max(10, minutes) * 1000;
      const untilMs = Date.now();
      const buckets = await api<Bucket[]>(
        'GET',
        `/stats?sinceMinutes=${minutes}&bucketSeconds=${bucketMs / 1000}`,
      );
      return everyBucket(buckets, untilMs - minutes * 60_000, untilMs, bucketMs);
    },
    [minutes],
    {
      live: true,
    },
  );
  const buckets = data ?? [];
  const startsMs = buckets.map((b) => b.startMs);
  const span = WINDOWS.find((w) => w.minutes === minutes)?.phrase ?? `the last ${minutes} minutes`;
  const when = minutes > 60 ? time : timeOfDay;

  const created = buckets.map((b) => b.created);
  const total = created.reduce((sum, n) => sum + n, 0);
  const busiest = buckets.reduce<Bucket | undefined>(
    (most, b) => (most === undefined || b.created > most.created ? b : most),
    undefined,
  );
  const rates = buckets.map((b) => b.successRate);
  const decided = present(rates);
  const medians = buckets.map((b) => b.callbackLatencyMedianMs);
  const maxima = buckets.map((b) => b.callbackLatencyMaxMs);
  const attempted = present(medians);
  return html`
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Charts</h2>
      <label>Window<select value=${minutes} onChange=${(e: Event) => setMinutes(Number((e.target as HTMLSelectElement).value))}>
        ${WINDOWS.map((w) => html`<option value=${w.minutes}>${w.label}</option>`)}
      </select></label>
      ${error === undefined ? null : html`<p class="error" role="alert">${error}</p>`}
      ${
        data === undefined
          ? null
          : html`<div class="grid">
        <${Chart} title="Payments and payouts created" startsMs=${startsMs} when=${when} format=${String}
          hasData=${total > 0}
          summary=${
            total === 0 || busiest === undefined
              ? `No payment or payout was created in ${span}.`
              : `${total} created in ${span}; the most, ${busiest.created}, in the interval from ${when(busiest.startMs)}.`
          }
          series=${[{ label: 'created', values: created, stroke: '#004f71' }]} />
        <${Chart} title="Success rate" startsMs=${startsMs} when=${when} format=${percent}
          hasData=${decided.length > 0}
          summary=${
            decided.length === 0
              ? `No payment or payout was decided in ${span}.`
              : `${range(decided, percent)} in ${intervals(decided.length)} with decided payments or payouts.`
          }
          series=${[{ label: 'success rate', values: rates, stroke: '#1b7f3b' }]} />
        <${Chart} title="Callback latency (ms)" startsMs=${startsMs} when=${when} format=${milliseconds}
          hasData=${attempted.length > 0}
          summary=${
            attempted.length === 0
              ? `No callback was sent in ${span}.`
              : `Median ${range(attempted, milliseconds).toLowerCase()} in ${intervals(attempted.length)} with callbacks; the slowest attempt took ${milliseconds(Math.max(...present(maxima)))}.`
          }
          series=${[
            { label: 'median', values: medians, stroke: '#8a6100' },
            { label: 'max', values: maxima, stroke: '#b42318' },
          ]} />
      </div>`
      }
    </section>
  `;
}
