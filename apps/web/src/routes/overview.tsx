import { SIMULATION_FINISHED_TAG } from "@homepot/contracts/devices";
import { Link } from "react-router";
import { Card, Empty, ErrorMessage, PageHeader, Spinner, Stat, StatusBadge } from "../components/ui/index.tsx";
import { AskBox } from "../features/ask/ask-box.tsx";
import { pct } from "../features/insights/types.ts";
import { FleetCharts } from "../features/overview/fleet-charts.tsx";
import { timeAgo } from "../lib/format.ts";
import type { Device } from "../lib/types.ts";
import { useEndpoint } from "../lib/use-api.ts";

const POLL_MS = 10_000;
/** Alerts listed on the Overview (the Insights page lists them all). */
const SHOWN = 10;

export default function OverviewPage() {
  const devices = useEndpoint("GET /devices", { query: { limit: 1000 } }, { pollMs: POLL_MS });
  // Counted on the server: the browser never counts the fleet (the device list below is only for attention). The
  // figures come without the series, which the charts ask for on their own: on a large fleet they cost seconds.
  const summary = useEndpoint("GET /dashboard/summary", { query: { series: "false" } }, { pollMs: POLL_MS });
  const jobs = useEndpoint("GET /jobs", { query: { limit: 8 } }, { pollMs: POLL_MS });
  // The figures first: the whole-fleet insights take seconds on a large fleet and hold database connections while
  // they run, so they are asked for once the counts are in.
  const figuresIn = summary.data !== undefined || summary.error !== undefined;
  const after = <T,>(input: T) => (figuresIn ? input : null);
  const atRisk = useEndpoint("GET /ai/predictions/at-risk-devices", after({ query: { limit: 50 } }), {
    pollMs: 60_000,
  });
  const forecast = useEndpoint("GET /ai/health-forecast", after({ query: { limit: 1000 } }), { pollMs: 60_000 });
  const anomalies = useEndpoint("GET /ai/anomalies", after({ query: { limit: SHOWN } }), { pollMs: 30_000 });
  const alertCounts = useEndpoint("GET /alerts/counts", {}, { pollMs: 30_000 });

  const list = devices.data?.devices ?? [];
  const byStatus = (s: string) => summary.data?.status_counts[s] ?? 0;
  const risky = atRisk.data?.devices ?? [];
  const riskOf = new Map(risky.map((r) => [r.device_id, r]));
  const scoreOf = new Map((forecast.data?.devices ?? []).map((f) => [f.device_id, f.current_score]));
  const waitingIds = new Set(
    (forecast.data?.devices ?? []).filter((f) => f.state === "waiting_for_first_contact").map((f) => f.device_id),
  );
  // One line per device: a bad status or a predicted failure, the riskiest first. A simulated device whose run
  // has ended is parked in maintenance on purpose: it needs no attention.
  const parked = (d: Device) => d.is_simulated && d.tags.includes(SIMULATION_FINISHED_TAG);
  const attention = list
    .filter(
      (d) =>
        !parked(d) &&
        (d.status === "error" || d.status === "offline" || d.status === "maintenance" || riskOf.has(d.device_id)),
    )
    .sort(
      (a, b) =>
        (riskOf.get(b.device_id)?.probability ?? 0) - (riskOf.get(a.device_id)?.probability ?? 0) ||
        a.device_id.localeCompare(b.device_id),
    );
  const alerts = anomalies.data?.anomalies ?? [];

  return (
    <>
      <PageHeader
        title="Fleet overview"
        subtitle={
          <>
            Live: refreshes every {POLL_MS / 1000} s{devices.loading ? " · updating…" : ""}
          </>
        }
      />

      <section className="stats" aria-label="Devices by status">
        {summary.error ? (
          <ErrorMessage error={summary.error} what="The fleet summary" />
        ) : !summary.data ? (
          <Spinner />
        ) : (
          <>
            <Stat label="Devices" value={summary.data.total_devices} />
            <Stat label="Online" value={byStatus("online")} tone="ok" />
            <Stat label="Offline" value={byStatus("offline")} tone="muted" />
            <Stat label="Error" value={byStatus("error")} tone="bad" />
            <Stat label="Maintenance" value={byStatus("maintenance")} tone="warn" />
            {alertCounts.data && (
              <Stat
                label="Active alerts"
                value={<Link to="/alerts">{alertCounts.data.data.open + alertCounts.data.data.acknowledged}</Link>}
                tone={alertCounts.data.data.critical > 0 ? "bad" : "muted"}
                hint={`${alertCounts.data.data.critical} critical, ${alertCounts.data.data.acknowledged} acknowledged`}
              />
            )}
            <Stat
              label="Never reported"
              value={
                <Link id="overview-health-unknown" to="/devices?health_state=unknown">
                  {summary.data.health_counts.unknown ?? 0}
                </Link>
              }
              tone="muted"
              hint="registered, waiting for first contact"
            />
          </>
        )}
      </section>

      {summary.data && (
        <section className="stats" aria-label="Devices by health" id="overview-health">
          {(
            [
              ["healthy", "Healthy", "ok"],
              ["warning", "Warning", "warn"],
              ["error", "Error", "bad"],
              ["maintenance", "Maintenance", "warn"],
            ] as const
          ).map(([state, label, tone]) => (
            <Stat
              key={state}
              label={label}
              tone={tone}
              value={
                <Link id={`overview-health-${state}`} to={`/devices?health_state=${state}`}>
                  {summary.data?.health_counts[state] ?? 0}
                </Link>
              }
            />
          ))}
          {(["suspended", "pending"] as const).map((state) => (
            <Stat
              key={state}
              label={state === "suspended" ? "Suspended" : "Pending approval"}
              tone="muted"
              value={
                <Link id={`overview-lifecycle-${state}`} to={`/devices?lifecycle_state=${state}`}>
                  {summary.data?.lifecycle_counts[state] ?? 0}
                </Link>
              }
            />
          ))}
        </section>
      )}

      <AskBox />

      <FleetCharts />

      <div className="grid-2">
        <Card title="Sites" actions={<Link to="/sites">All sites</Link>}>
          {summary.error ? (
            <ErrorMessage error={summary.error} what="The site list" />
          ) : !summary.data ? (
            <Spinner />
          ) : summary.data.sites.length === 0 ? (
            <Empty>
              No sites yet. <Link to="/sites">Create one</Link>.
            </Empty>
          ) : (
            <table className="table">
              <thead>
                <tr>
                  <th>Site</th>
                  <th className="num">Devices</th>
                  <th className="num">Online</th>
                  <th className="num">Problems</th>
                </tr>
              </thead>
              <tbody>
                {summary.data.sites.map((s) => (
                  <tr key={s.site_id}>
                    <td>
                      <Link to={`/sites/${encodeURIComponent(s.site_id)}`}>{s.name}</Link>{" "}
                      <span className="muted">{s.site_id}</span>
                    </td>
                    <td className="num">{s.devices}</td>
                    <td className="num">{s.online}</td>
                    <td className="num">{s.error + s.offline}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>

        <Card title="Devices needing attention" actions={<Link to="/devices?status=error">Devices</Link>}>
          {!devices.data ? (
            devices.error ? (
              <ErrorMessage error={devices.error} what="The device list" />
            ) : (
              <Spinner />
            )
          ) : attention.length === 0 ? (
            // "All healthy" only once the failure predictions are in too; without them it would be a guess.
            atRisk.data ? (
              <Empty>All devices are healthy.</Empty>
            ) : atRisk.error ? (
              <Empty>No device reports an error, offline or maintenance status.</Empty>
            ) : (
              <Spinner label="Checking failure predictions" />
            )
          ) : (
            <table className="table" id="attention-table">
              <thead>
                <tr>
                  <th>Device</th>
                  <th>Status</th>
                  <th className="num">Health</th>
                  <th className="num">Failure risk</th>
                  <th>Why</th>
                </tr>
              </thead>
              <tbody>
                {attention.slice(0, 10).map((d) => {
                  const risk = riskOf.get(d.device_id);
                  const score = scoreOf.get(d.device_id);
                  return (
                    <tr key={d.device_id}>
                      <td>
                        <Link to={`/devices/${encodeURIComponent(d.device_id)}`}>{d.name}</Link>
                        <div className="muted">
                          <small>
                            {d.site_id} · seen {timeAgo(d.last_seen)}
                          </small>
                        </div>
                      </td>
                      <td>
                        <StatusBadge status={waitingIds.has(d.device_id) ? "waiting_for_first_contact" : d.status} />
                      </td>
                      <td className="num">{score === null || score === undefined ? "—" : Math.round(score)}</td>
                      <td className="num">
                        {risk ? (
                          risk.state === "failed" ? (
                            <StatusBadge status="failed" />
                          ) : (
                            <>
                              {pct(risk.probability)} <StatusBadge status={risk.risk_level} />
                            </>
                          )
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        <small>
                          {risk?.top_factors?.[0]?.detail ??
                            (waitingIds.has(d.device_id)
                              ? "waiting for first contact"
                              : d.status === "offline"
                                ? "not reporting"
                                : d.status === "error"
                                  ? "in error"
                                  : d.status)}
                        </small>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {attention.length > 10 && <p className="muted">…and {attention.length - 10} more.</p>}
          {atRisk.error && <ErrorMessage error={atRisk.error} what="Failure predictions" />}
        </Card>

        <Card title="Active alerts" actions={<Link to="/insights">Insights</Link>}>
          {anomalies.error ? (
            <ErrorMessage error={anomalies.error} what="Alerts" />
          ) : !anomalies.data ? (
            <Spinner />
          ) : alerts.length === 0 ? (
            <Empty>No active alerts.</Empty>
          ) : (
            <ul className="list">
              {alerts.map((a) => (
                <li key={a.fingerprint}>
                  <StatusBadge status={a.severity} /> {a.title}{" "}
                  <span className="muted">
                    {a.device_id ?? a.site_id ?? ""} {timeAgo(a.detected_at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {(anomalies.data?.total ?? 0) > alerts.length && (
            <p className="muted">…and {(anomalies.data?.total ?? 0) - alerts.length} more.</p>
          )}
        </Card>

        <Card title="Recent jobs" actions={<Link to="/jobs">All jobs</Link>}>
          {jobs.error ? (
            <ErrorMessage error={jobs.error} what="Jobs" />
          ) : !jobs.data ? (
            <Spinner />
          ) : jobs.data.jobs.length === 0 ? (
            <Empty>No jobs yet.</Empty>
          ) : (
            <ul className="list">
              {jobs.data.jobs.map((j) => (
                <li key={j.job_id}>
                  <Link to={`/jobs/${encodeURIComponent(j.job_id)}`}>{j.job_id}</Link> {j.action}{" "}
                  <StatusBadge status={j.status} /> <span className="muted">{timeAgo(j.created_at)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
