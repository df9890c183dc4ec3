import { lazy, type ReactNode, Suspense } from "react";
import { Link } from "react-router";
import { JobLink } from "../components/rollout-links.tsx";
import { TableHead } from "../components/table-head.tsx";
import { Card, Empty, ErrorMessage, PageHeader, Spinner, Stat, StatusBadge } from "../components/ui/index.tsx";
import { AskBox } from "../features/ask/ask-box.tsx";
import { AttentionCard } from "../features/overview/attention-card.tsx";
import type { ApiError } from "../lib/api.ts";
import { timeAgo } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";

// The charts' library is the largest part of the bundle: loaded once the figures are on screen.
const FleetCharts = lazy(() =>
  import("../features/overview/fleet-charts.tsx").then((m) => ({ default: m.FleetCharts })),
);

const POLL_MS = 10_000;
/** Alerts listed on the Overview (the Insights page lists them all). */
const SHOWN = 10;
/** Sites in the Overview's table: those with the most problems (the Sites page lists them all). */
const SITES_SHOWN = 10;

export default function OverviewPage() {
  // Counted on the server: the browser never counts the fleet. The figures come without the series (the charts ask
  // for them on their own, once the figures are in: on a large fleet they cost seconds) and with the ten sites with
  // the most problems, not every site.
  const summary = useEndpoint(
    "GET /dashboard/summary",
    { query: { series: "false", sites_limit: SITES_SHOWN } },
    { pollMs: POLL_MS },
  );
  const jobs = useEndpoint("GET /jobs", { query: { limit: 8 } }, { pollMs: POLL_MS });
  const alertCounts = useEndpoint("GET /alerts/counts", {}, { pollMs: 30_000 });
  // The figures first: everything else (the whole-fleet insights take seconds on a large fleet) is asked for once
  // the counts are in.
  const figuresIn = summary.data !== undefined || summary.error !== undefined;
  const after = <T,>(input: T) => (figuresIn ? input : null);
  const atRisk = useEndpoint("GET /ai/predictions/at-risk-devices", after({ query: { limit: 50 } }), {
    pollMs: 60_000,
  });
  const forecast = useEndpoint("GET /ai/health-forecast", after({ query: { limit: 1000 } }), { pollMs: 60_000 });
  const anomalies = useEndpoint("GET /ai/anomalies", after({ query: { limit: SHOWN } }), { pollMs: 30_000 });

  const byStatus = (s: string) => summary.data?.status_counts[s] ?? 0;
  const alerts = anomalies.data?.anomalies ?? [];

  return (
    <>
      <PageHeader
        title="Fleet overview"
        subtitle={
          <>
            Live: refreshes every {POLL_MS / 1000} s{summary.loading ? " · updating…" : ""}
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

      {figuresIn && (
        <Suspense fallback={<Spinner />}>
          <FleetCharts />
        </Suspense>
      )}

      <div className="grid-2">
        <Card title="Sites" actions={<Link to="/sites">All sites</Link>}>
          <Listed
            error={summary.error}
            items={summary.data?.sites}
            what="The site list"
            empty={
              <>
                No sites yet. <Link to="/sites">Create one</Link>.
              </>
            }
          >
            {(sites) => (
              <table className="table">
                <TableHead headings={["Site", { num: "Devices" }, { num: "Online" }, { num: "Problems" }]} />
                <tbody>
                  {sites.map((s) => (
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
          </Listed>
          {summary.data && summary.data.sites_total > summary.data.sites.length && (
            <p className="muted">
              …and {summary.data.sites_total - summary.data.sites.length} more, <Link to="/sites">all sites</Link>.
            </p>
          )}
        </Card>

        <AttentionCard ready={figuresIn} atRisk={atRisk.data} atRiskError={atRisk.error} forecast={forecast.data} />

        <Card title="Active alerts" actions={<Link to="/insights">Insights</Link>}>
          <Listed error={anomalies.error} items={anomalies.data && alerts} what="Alerts" empty="No active alerts.">
            {(shown) => (
              <ul className="list">
                {shown.map((a) => (
                  <li key={a.fingerprint}>
                    <StatusBadge status={a.severity} /> {a.title}{" "}
                    <span className="muted">
                      {a.device_id ?? a.site_id ?? ""} {timeAgo(a.detected_at)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Listed>
          {(anomalies.data?.total ?? 0) > alerts.length && (
            <p className="muted">…and {(anomalies.data?.total ?? 0) - alerts.length} more.</p>
          )}
        </Card>

        <Card title="Recent jobs" actions={<Link to="/jobs">All jobs</Link>}>
          <Listed error={jobs.error} items={jobs.data?.jobs} what="Jobs" empty="No jobs yet.">
            {(recent) => (
              <ul className="list">
                {recent.map((j) => (
                  <li key={j.job_id}>
                    <JobLink id={j.job_id} /> {j.action} <StatusBadge status={j.status} />{" "}
                    <span className="muted">{timeAgo(j.created_at)}</span>
                  </li>
                ))}
              </ul>
            )}
          </Listed>
        </Card>
      </div>
    </>
  );
}

/**
 * One of the Overview's lists: the answer's error (a failed poll shows it in place of the last list), a spinner till
 * the answer comes, `empty`, or `children` of the items.
 */
function Listed<I>({
  error,
  items,
  what,
  empty,
  children,
}: {
  error: ApiError | undefined;
  items: I[] | undefined;
  what: string;
  empty: ReactNode;
  children: (items: I[]) => ReactNode;
}) {
  if (error) return <ErrorMessage error={error} what={what} />;
  if (!items) return <Spinner />;
  return items.length === 0 ? <Empty>{empty}</Empty> : children(items);
}
