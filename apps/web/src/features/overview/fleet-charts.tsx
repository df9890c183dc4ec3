import type { FleetSummaryResult } from "@homepot/contracts/dashboard";
import { useMemo, useState } from "react";
import { Card, ErrorMessage, Spinner, Tabs } from "../../components/ui/index.tsx";
import { useEndpoint } from "../../lib/use-api.ts";
import { type Series, TimeChart } from "../charts/time-chart.tsx";

type Range = "day" | "week";
const HOURS: Record<Range, number> = { day: 24, week: 168 };
const REPORTING: Series[] = [
  { key: "devices_reporting", label: "Reporting", color: "var(--chart-1)", kind: "step" },
  { key: "devices_unhealthy", label: "Unhealthy", color: "var(--chart-5)", kind: "step" },
];
const ERRORS: Series[] = [{ key: "errors", label: "Errors", color: "var(--chart-5)", kind: "bar" }];
const TRANSACTIONS: Series[] = [{ key: "transactions", label: "Transactions", color: "var(--chart-2)", kind: "bar" }];

/** Chart rows of the summary's series (epoch ms in `t`). */
export function summaryRows(summary: FleetSummaryResult | undefined) {
  return (summary?.series ?? []).map((p) => ({
    t: Date.parse(p.timestamp),
    devices_reporting: p.devices_reporting,
    devices_unhealthy: p.devices_unhealthy,
    errors: p.errors,
    transactions: p.transactions,
  }));
}

/** Fleet-wide charts over a day or a week, counted by the server (`GET /dashboard/summary`). */
export function FleetCharts() {
  const [range, setRange] = useState<Range>("day");
  const summary = useEndpoint("GET /dashboard/summary", { query: { hours: HOURS[range] } }, { pollMs: 60_000 });
  const rows = useMemo(() => summaryRows(summary.data), [summary.data]);
  const w = summary.data?.window;
  const domain = useMemo(
    (): [number, number] | undefined => (w ? [Date.parse(w.start), Date.parse(w.end)] : undefined),
    [w],
  );
  const per = w?.bucket === "day" ? "day" : "hour";

  return (
    <Card
      title="Fleet over time"
      id="fleet-charts"
      actions={<Tabs idPrefix="fleet-range" value={range} onChange={setRange} tabs={["day", "week"]} />}
    >
      {summary.error ? (
        <ErrorMessage error={summary.error} what="The fleet summary" />
      ) : !summary.data ? (
        <Spinner />
      ) : (
        <div className="grid-3">
          {(
            [
              ["fleet-online-chart", "Devices reporting", REPORTING],
              ["fleet-errors-chart", "Errors", ERRORS],
              ["fleet-transactions-chart", "Transactions", TRANSACTIONS],
            ] as const
          ).map(([id, title, series]) => (
            <div key={id}>
              <h3>
                {title} per {per}
              </h3>
              <TimeChart id={id} rows={rows} domain={domain} series={series} />
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
