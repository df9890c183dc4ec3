import { useState } from "react";
import { DataTable } from "../components/data-table.tsx";
import {
  Button,
  Card,
  Empty,
  ErrorMessage,
  FilterSelect,
  JsonView,
  Loadable,
  LoadableCard,
  PageHeader,
  Spinner,
  Stat,
  StatusBadge,
} from "../components/ui/index.tsx";
import { LiveAnomalies, ModelCard } from "../features/insights/model-card.tsx";
import { SiteInsightsCard } from "../features/insights/site-insights-card.tsx";
import { pct, score } from "../features/insights/types.ts";
import { put } from "../lib/api.ts";
import { useCan } from "../lib/auth.tsx";
import { formatDateTime, formatNumber, plural, timeAgo } from "../lib/format.ts";
import { siteOptions } from "../lib/site-options.ts";
import { useAction } from "../lib/use-action.ts";
import { useEndpoint } from "../lib/use-api.ts";

function AtRisk() {
  const risk = useEndpoint("GET /ai/predictions/at-risk-devices", { query: { limit: 50 } }, { pollMs: 60_000 });
  return (
    <LoadableCard title="Failure risks" id="insights-at-risk" state={risk} what="Failure predictions">
      {(data) => (
        <DataTable
          what="Failure predictions"
          rows={data.devices}
          row={(d) => ({ key: d.device_id })}
          empty={
            <>
              No device is at risk{data.evaluated !== undefined ? ` (${data.evaluated} evaluated)` : ""}.
              {data.waiting_for_first_contact ? ` ${data.waiting_for_first_contact} waiting for first contact.` : ""}
            </>
          }
          columns={(c) => [
            c.device(
              (d) => d.device_id,
              (d) => <span className="muted">{d.site_id}</span>,
            ),
            {
              header: "Probability",
              className: "num",
              cell: (d) => (d.state === "failed" ? "failed now" : pct(d.probability)),
            },
            {
              header: "Level",
              cell: (d) => (
                <>
                  <StatusBadge status={d.risk_level} />
                  {d.level_reason && (
                    <div>
                      <small>{d.level_reason}</small>
                    </div>
                  )}
                </>
              ),
            },
            {
              header: "Why",
              cell: (d) => (
                <ul className="list">
                  {(d.top_factors ?? []).map((f) => (
                    <li key={f.factor}>
                      <small>
                        <strong>{f.factor.replace(/_/g, " ")}</strong> {f.detail}
                      </small>
                    </li>
                  ))}
                </ul>
              ),
            },
          ]}
        />
      )}
    </LoadableCard>
  );
}

function Anomalies() {
  const canResolve = useCan("operator");
  const anomalies = useEndpoint(
    "GET /ai/anomalies",
    {},
    {
      pollMs: 30_000,
    },
  );
  const resolving = useAction();
  return (
    <Card title="Anomalies and alerts" id="insights-anomalies">
      <ErrorMessage error={resolving.error} what="Resolving the alert" />
      <Loadable state={anomalies} what="Anomaly detection">
        {(data) =>
          data.anomalies.length === 0 ? (
            <Empty>
              No anomaly detected
              {data.devices_checked !== undefined ? ` in ${plural(data.devices_checked, "device")}` : ""}.
            </Empty>
          ) : (
            <ul className="list">
              {data.anomalies.map((a) => {
                const id = a.alert_id;
                return (
                  <li key={String(id ?? a.title)} className="card">
                    <div className="card-body">
                      <div className="row">
                        <StatusBadge status={a.severity} /> <strong>{a.title}</strong>
                        <span className="muted">
                          {a.kind.replace(/_/g, " ")} · {a.device_id ?? a.site_id ?? ""} · {timeAgo(a.detected_at)}
                          {a.occurrences && a.occurrences > 1 ? ` · seen ${a.occurrences}×` : ""}
                        </span>
                        {canResolve && id !== undefined && (
                          <Button
                            id={`resolve-alert-${id}`}
                            variant="ghost"
                            onClick={() =>
                              resolving.run(async () => {
                                await put(`/ai/alerts/${id}/resolve`);
                                anomalies.reload();
                              })
                            }
                          >
                            Resolve
                          </Button>
                        )}
                      </div>
                      {a.details && (
                        <details>
                          <summary>explanation</summary>
                          {typeof a.details.explanation === "string" ? <p>{a.details.explanation}</p> : null}
                          <JsonView value={a.details} />
                        </details>
                      )}
                    </div>
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loadable>
    </Card>
  );
}

function ErrorPatterns() {
  const patterns = useEndpoint("GET /ai/error-patterns", { query: { days: 7 } }, { pollMs: 60_000 });
  return (
    <LoadableCard title="Error patterns" id="insights-error-patterns" state={patterns} what="Error patterns">
      {(data) => (
        <>
          <p className="muted">
            {plural(data.total, "error")} in the last {plural(data.window.days, "day")}.
          </p>
          {data.total === 0 ? (
            <Empty>No errors to find patterns in.</Empty>
          ) : (
            <div className="grid-2">
              {Object.entries(data.patterns).map(([dimension, list]) => (
                <div key={dimension}>
                  <h3>By {dimension.replace(/_/g, " ")}</h3>
                  <table className="table">
                    <tbody>
                      {list.slice(0, 8).map((p) => (
                        <tr key={p.key}>
                          <td>{p.key}</td>
                          <td className="num">{p.count}</td>
                          <td className="num">{pct(p.share)}</td>
                          <td>
                            {p.rising && <StatusBadge status="warning" />} {p.rising ? "rising" : ""}{" "}
                            {p.recurring ? "recurring" : ""}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </LoadableCard>
  );
}

function HealthForecast() {
  const forecast = useEndpoint("GET /ai/health-forecast", { query: { limit: 20 } }, { pollMs: 60_000 });
  return (
    <LoadableCard title="Health scores and forecast" id="insights-forecast" state={forecast} what="The health forecast">
      {(data) => (
        <>
          <section className="stats">
            <Stat
              label="Mean health now"
              value={data.current_mean_score === null ? "—" : Math.round(data.current_mean_score)}
            />
            <Stat
              label={`Projected in ${data.horizon_hours} h`}
              value={data.projected_mean_score === null ? "—" : Math.round(data.projected_mean_score)}
              tone="info"
            />
            <Stat
              label="Expected failures"
              value={formatNumber(data.expected_failures)}
              tone={data.expected_failures >= 1 ? "bad" : "ok"}
            />
            <Stat
              label="Devices evaluated"
              value={
                data.devices_not_projected
                  ? `${data.devices_evaluated} (${data.devices_not_projected} without a projection yet)`
                  : data.devices_evaluated
              }
            />
          </section>
          <DataTable
            what="The health forecast"
            rows={data.devices}
            row={(d) => ({ key: d.device_id })}
            empty="No device to forecast."
            columns={(c) => [
              c.device((d) => d.device_id),
              { header: "Score now", className: "num", cell: (d) => score(d.current_score) },
              {
                header: "Projected",
                className: "num",
                cell: (d) =>
                  d.projected_score === null && d.note ? <small>{d.note}</small> : score(d.projected_score),
              },
              {
                header: "Failure risk",
                className: "num",
                cell: (d) =>
                  d.state === "waiting_for_first_contact"
                    ? "—"
                    : d.state === "failed"
                      ? "failed now"
                      : pct(d.failure_probability),
              },
              { header: "Drivers", cell: (d) => <small>{d.drivers.join("; ") || "—"}</small> },
            ]}
          />
        </>
      )}
    </LoadableCard>
  );
}

function SiteWindows() {
  const sites = useEndpoint("GET /sites", { query: { limit: 1000 } });
  const [siteId, setSiteId] = useState("");
  const chosen = siteId || sites.data?.sites[0]?.site_id || "";
  return (
    <Card
      title="Sites: health and recommended windows"
      actions={
        <FilterSelect
          id="insights-site"
          label="Site"
          value={chosen}
          onValue={setSiteId}
          options={siteOptions(sites.data?.sites)}
        />
      }
    >
      {sites.error ? (
        <ErrorMessage error={sites.error} what="The site list" />
      ) : !sites.data ? (
        <Spinner />
      ) : chosen ? (
        <SiteInsightsCard siteId={chosen} />
      ) : (
        <Empty>No sites.</Empty>
      )}
    </Card>
  );
}

export default function InsightsPage() {
  const status = useEndpoint("GET /ai/status", {});
  return (
    <>
      <PageHeader
        title="Insights"
        subtitle={
          status.data ? (
            <>
              {status.data.data.engine ?? "Insights engine"} <StatusBadge status={status.data.data.status} /> · computed{" "}
              {formatDateTime(status.data.data.generated_at)}
            </>
          ) : (
            "Health scores, failure risks, maintenance windows, error patterns and anomalies — each with its explanation"
          )
        }
      />
      {status.error && <ErrorMessage error={status.error} what="The insights engine" />}
      <HealthForecast />
      <div className="grid-2">
        <AtRisk />
        <Anomalies />
      </div>
      <ErrorPatterns />
      <SiteWindows />
      <div className="grid-2">
        <LiveAnomalies />
        {status.data && <ModelCard card={status.data.data.model_card} />}
      </div>
    </>
  );
}
