/** @jsxImportSource hono/jsx */
/**
 * The queue's depth and throughput over the last hours, drawn as SVG by the server from the
 * queue object's per-minute samples. Lines differ by dash as well as colour, and a table under
 * each chart gives the same figures in words.
 */
import type { MinuteSample } from "../../durable-objects/queue/samples.js";

/**
 * Drawn no wider than it is shown on a desktop (max-width below), so it is only ever scaled
 * down: on a phone's 360 px column its 13-unit labels still read at about 10 px.
 */
const WIDTH = 480;
const HEIGHT = 180;
const FONT = 13;
const PAD = { left: 52, right: 12, top: 12, bottom: 26 };
const MINUTE = 60_000;

interface Series {
  key: keyof Omit<MinuteSample, "at">;
  label: string;
  colour: string;
  dash: string;
}

const DEPTH: Series[] = [
  { key: "visible", label: "Visible", colour: "#0b4f8a", dash: "" },
  { key: "inFlight", label: "In flight", colour: "#a4161a", dash: "6 3" },
  { key: "delayed", label: "Delayed", colour: "#5a5a00", dash: "2 3" },
];

const THROUGHPUT: Series[] = [
  { key: "sent", label: "Sent", colour: "#0b4f8a", dash: "" },
  { key: "received", label: "Received", colour: "#a4161a", dash: "6 3" },
  { key: "deleted", label: "Deleted", colour: "#1b6b35", dash: "2 3" },
];

/**
 * One point a minute from the first sample to now. A minute without a sample was idle: nothing
 * sent, received or deleted, and the depth as the minute before left it.
 */
export function everyMinute(samples: MinuteSample[]): MinuteSample[] {
  const out: MinuteSample[] = [];
  for (const sample of samples) {
    const previous = out.at(-1);
    if (previous) {
      for (let at = previous.at + MINUTE; at < sample.at; at += MINUTE) {
        out.push({ ...previous, at, sent: 0, received: 0, deleted: 0 });
      }
    }
    out.push(sample);
  }
  return out;
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function Chart(props: { id: string; title: string; points: MinuteSample[]; series: Series[] }) {
  const { points, series } = props;
  const max = Math.max(1, ...points.flatMap((point) => series.map((s) => point[s.key])));
  const first = points[0]!.at;
  const span = Math.max(10 * MINUTE, points.at(-1)!.at - first);
  const x = (at: number) => PAD.left + ((at - first) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / max) * (HEIGHT - PAD.top - PAD.bottom);
  const last = points.at(-1)!;
  const summary = series.map((s) => `${s.label} ${last[s.key]}`).join(", ");
  return (
    <figure>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        data-chart={props.id}
        data-last={series.map((s) => `${s.key}:${last[s.key]}`).join(",")}
        style={`max-width:${WIDTH}px;display:block`}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{`From ${time(first)} to ${time(last.at)} UTC; the latest minute: ${summary}.`}</desc>
        <line x1={PAD.left} y1={y(0)} x2={WIDTH - PAD.right} y2={y(0)} stroke="#767676" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={y(0)} stroke="#767676" />
        <text x={PAD.left - 6} y={PAD.top + FONT - 2} text-anchor="end" font-size={FONT}>
          {max}
        </text>
        <text x={PAD.left - 6} y={y(0)} text-anchor="end" font-size={FONT}>
          0
        </text>
        <text x={PAD.left} y={HEIGHT - 6} font-size={FONT}>
          {time(first)}
        </text>
        <text x={WIDTH - PAD.right} y={HEIGHT - 6} text-anchor="end" font-size={FONT}>
          {time(last.at)}
        </text>
        {series.map((s) => (
          <polyline
            fill="none"
            stroke={s.colour}
            stroke-width="2"
            stroke-dasharray={s.dash || undefined}
            points={points.map((point) => `${x(point.at).toFixed(1)},${y(point[s.key]).toFixed(1)}`).join(" ")}
          />
        ))}
        {/* The latest minute marked, so a chart of one minute shows something. */}
        {series.map((s) => (
          <circle cx={x(last.at).toFixed(1)} cy={y(last[s.key]).toFixed(1)} r="3" fill={s.colour} />
        ))}
      </svg>
      <figcaption>
        {series.map((s) => (
          <span style="margin-right:1rem;white-space:nowrap">
            <svg width="28" height="10" aria-hidden="true">
              <line x1="0" y1="5" x2="28" y2="5" stroke={s.colour} stroke-width="2" stroke-dasharray={s.dash || undefined} />
            </svg>{" "}
            {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function Charts(props: { samples: MinuteSample[] }) {
  const points = everyMinute(props.samples);
  if (points.length === 0) return null;
  const recent = points.slice(-10).reverse();
  return (
    <section aria-labelledby="charts">
      <h2 id="charts">Charts</h2>
      <p class="hint">Per minute, over the last six hours; the last point is the minute still going on.</p>
      <Chart id="depth" title="Messages in the queue (visible, in flight, delayed)" points={points} series={DEPTH} />
      <Chart id="throughput" title="Messages sent, received and deleted per minute" points={points} series={THROUGHPUT} />
      <details>
        <summary>The last ten minutes as a table</summary>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Minute (UTC)</th>
                {[...DEPTH, ...THROUGHPUT].map((s) => (
                  <th scope="col" class="n">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {recent.map((point) => (
                <tr>
                  <th scope="row">{time(point.at)}</th>
                  {[...DEPTH, ...THROUGHPUT].map((s) => (
                    <td class="n">{point[s.key]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
