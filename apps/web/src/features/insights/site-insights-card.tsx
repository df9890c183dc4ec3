import { Link } from "react-router";
import { Card, Empty, Loadable, StatusBadge } from "../../components/ui/index.tsx";
import { formatDateTime, plural } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { pct } from "./types.ts";

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
      <Card title="Site health" id="site-insights">
        <Loadable state={insights} what="Site insights">
          {({ data }) => (
            <>
              <div className="row">
                <div>
                  <div className="score">{data.health_score === null ? "—" : Math.round(data.health_score)}</div>
                  <div className="muted">mean health score</div>
                </div>
                <div className="muted">
                  {data.scored_devices} of {plural(data.device_count, "device")} scored · {data.at_risk} at risk ·{" "}
                  {data.open_alerts} open alerts · confidence {pct(data.confidence)}
                </div>
              </div>
              <table className="table">
                <thead>
                  <tr>
                    <th>Device</th>
                    <th className="num">Score</th>
                    <th className="num">Failure risk</th>
                    <th>Top issue</th>
                  </tr>
                </thead>
                <tbody>
                  {data.devices.map((d) => (
                    <tr key={d.device_id}>
                      <td>
                        <Link to={`/devices/${encodeURIComponent(d.device_id)}`}>{d.device_id}</Link>{" "}
                        <StatusBadge status={d.status} />
                      </td>
                      <td className="num">{d.health_score === null ? "—" : Math.round(d.health_score)}</td>
                      <td className="num">{pct(d.failure_probability)}</td>
                      <td>{d.top_issue ?? <span className="muted">—</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </Loadable>
      </Card>
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
