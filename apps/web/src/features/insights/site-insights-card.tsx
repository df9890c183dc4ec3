import { DataTable } from "../../components/data-table.tsx";
import { Card, Empty, Loadable, LoadableCard, StatusBadge } from "../../components/ui/index.tsx";
import { formatDateTime, plural } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { pct, score } from "./types.ts";

export function SiteInsightsCard({ siteId }: { siteId: string }) {
  const insights = useEndpoint(
    "GET /ai/insights/site/{site_id}",
    { params: { site_id: siteId } },
    {
      pollMs: 60_000,
    },
  );
  const windows = useEndpoint("GET /ai/recommendations/optimal-windows/{site_id}", {
    params: { site_id: siteId },
    query: { duration_minutes: 60 },
  });
  return (
    <div className="grid-2">
      <LoadableCard title="Site health" id="site-insights" state={insights} what="Site insights">
        {({ data }) => (
          <>
            <div className="row">
              <div>
                <div className="score">{score(data.health_score)}</div>
                <div className="muted">mean health score</div>
              </div>
              <div className="muted">
                {data.scored_devices} of {plural(data.device_count, "device")} scored · {data.at_risk} at risk ·{" "}
                {data.open_alerts} open alerts · confidence {pct(data.confidence)}
              </div>
            </div>
            <DataTable
              what="Site insights"
              rows={data.devices}
              row={(d) => ({ key: d.device_id })}
              empty="No device at this site."
              columns={(c) => [
                c.device(
                  (d) => d.device_id,
                  (d) => <StatusBadge status={d.status} />,
                ),
                { header: "Score", className: "num", cell: (d) => score(d.health_score) },
                { header: "Failure risk", className: "num", cell: (d) => pct(d.failure_probability) },
                { header: "Top issue", cell: (d) => d.top_issue ?? <span className="muted">—</span> },
              ]}
            />
          </>
        )}
      </LoadableCard>
      <Card title="Recommended maintenance windows" id="site-windows">
        <Loadable state={windows} what="Maintenance window recommendations">
          {(data) =>
            data.windows.length === 0 ? (
              <Empty>No window recommended (not enough schedule or traffic data).</Empty>
            ) : (
              <ol className="list">
                {data.windows.map((w) => (
                  <li key={w.start}>
                    <strong>{w.local_start ?? formatDateTime(w.start)}</strong> for {data.duration_minutes} min · score{" "}
                    {Math.round(w.score * 100) / 100}
                    {w.expected_transactions !== null && w.expected_transactions !== undefined && (
                      <span className="muted"> · ~{Math.round(w.expected_transactions)} transactions expected</span>
                    )}
                    <ul>
                      {w.reasons.map((r) => (
                        <li key={r}>
                          <small>{r}</small>
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )
          }
        </Loadable>
        {windows.data && (
          <p className="muted">
            Confidence {pct(windows.data.confidence)}
            {windows.data.time_zone ? `; times in ${windows.data.time_zone}` : ""}.
          </p>
        )}
      </Card>
    </div>
  );
}
