import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Empty } from "../../components/ui/index.tsx";

export interface Series {
  key: string;
  label: string;
  color?: string;
  unit?: string;
}

const COLORS = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)"];

function tick(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs > 2 * 86_400_000)
    return (
      d.toLocaleDateString(undefined, { month: "short", day: "numeric" }) +
      " " +
      d.toLocaleTimeString(undefined, { hour: "2-digit" })
    );
  return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
}

/** A line chart over time; rows carry `t` (epoch ms) and one number (or null for a gap) per series key. */
export function TimeChart({
  rows,
  series,
  height = 220,
  unit,
  id,
}: {
  rows: Record<string, number | null>[];
  series: Series[];
  height?: number;
  unit?: string;
  id?: string;
}) {
  if (rows.length === 0) return <Empty>No data in this range.</Empty>;
  const first = rows[0]?.t ?? 0;
  const last = rows[rows.length - 1]?.t ?? 0;
  const span = Number(last) - Number(first);
  return (
    <div
      className="chart-box"
      style={{ height }}
      id={id}
      role="img"
      aria-label={`Chart of ${series.map((s) => s.label).join(", ")}`}
    >
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => tick(t, span)}
            stroke="var(--muted)"
            fontSize={12}
          />
          <YAxis stroke="var(--muted)" fontSize={12} width={48} unit={unit} />
          <Tooltip
            labelFormatter={(t) => new Date(Number(t)).toLocaleString()}
            contentStyle={{ background: "var(--panel)", border: "1px solid var(--border)", color: "var(--text)" }}
          />
          <Legend />
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color ?? COLORS[i % COLORS.length]}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              unit={s.unit}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export default TimeChart;
