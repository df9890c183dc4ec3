import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { Empty } from "../../components/ui/index.tsx";
import { formatTick, hasData, seriesName, timeTicks } from "./time-axis.ts";

export interface Series {
  key: string;
  label: string;
  color?: string;
  unit?: string;
  /**
   * How to draw it: `line` for measurements (straight segments, never smoothed), `step` for counts that hold
   * until the next sample, `bar` for counts per bucket. Default `line`.
   */
  kind?: "line" | "step" | "bar";
}

/** A point to mark on the chart (an anomaly): where, and the text a hover shows (why). */
export interface ChartMark {
  t: number;
  y: number;
  title: string;
}

const COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

/**
 * A chart over time; rows carry `t` (epoch ms) and one number (or null for a gap) per series key. `domain`
 * (epoch ms) makes the axis span a whole period (a day, a week) even where there are no rows; without it the
 * axis spans the data. With no number at all it says so instead of drawing empty axes.
 */
export function TimeChart({
  rows,
  series,
  height = 220,
  unit,
  id,
  domain,
  marks = [],
}: {
  rows: Record<string, number | null>[];
  series: Series[];
  height?: number;
  unit?: string;
  id?: string;
  domain?: [number, number];
  marks?: ChartMark[];
}) {
  if (
    !hasData(
      rows,
      series.map((s) => s.key),
    )
  )
    return (
      <div id={id} className="chart-empty">
        <Empty>No data in this range.</Empty>
      </div>
    );
  const from = domain?.[0] ?? Number(rows[0]?.t ?? 0);
  const to = domain?.[1] ?? Number(rows[rows.length - 1]?.t ?? 0);
  const { ticks, step } = timeTicks(from, to);
  const span = to - from;
  const integers = series.every((s) => s.kind === "bar" || s.kind === "step");
  return (
    <div
      className="chart-box"
      style={{ height }}
      id={id}
      role="img"
      aria-label={`Chart of ${series.map((s) => s.label).join(", ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[from, to]}
            ticks={ticks}
            tickFormatter={(t: number) => formatTick(t, step, span)}
            stroke="var(--muted)"
            fontSize={12}
            allowDataOverflow
          />
          <YAxis stroke="var(--muted)" fontSize={12} width={48} unit={unit} allowDecimals={!integers} />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
          />
          <Legend />
          {series.map((s, i) => {
            const color = s.color ?? COLORS[i % COLORS.length];
            // A series without a single number in range says so in the legend instead of drawing nothing.
            const name = seriesName(rows, s.key, s.label);
            if (s.kind === "bar")
              return (
                <Bar
                  key={s.key}
                  dataKey={s.key}
                  name={name}
                  fill={color}
                  isAnimationActive={false}
                  unit={s.unit}
                  maxBarSize={24}
                />
              );
            return (
              <Line
                key={s.key}
                type={s.kind === "step" ? "stepAfter" : "linear"}
                dataKey={s.key}
                name={name}
                stroke={color}
                dot={rows.length <= 2}
                isAnimationActive={false}
                connectNulls={false}
                unit={s.unit}
              />
            );
          })}
          {marks.map((m) => (
            <ReferenceDot
              key={`${m.t}:${m.y}`}
              x={m.t}
              y={m.y}
              ifOverflow="extendDomain"
              shape={(p: { cx?: number; cy?: number }) => (
                <circle cx={p.cx} cy={p.cy} r={6} className="chart-mark" data-anomaly-mark="" aria-label={m.title}>
                  <title>{m.title}</title>
                </circle>
              )}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export default TimeChart;
