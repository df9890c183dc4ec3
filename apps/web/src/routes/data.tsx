import { Card, Empty, JsonView, Loadable, PageHeader, Stat, StatusBadge } from "../components/ui/index.tsx";
import { formatDateTime, formatNumber, timeAgo } from "../lib/format.ts";
import { useApi } from "../lib/use-api.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const first = (o: Obj, keys: string[]): unknown => keys.map((k) => o[k]).find((v) => v !== undefined && v !== null);

/** The per-table entries of the report, whether it lists them or keys them by table name. */
function tablesOf(report: Obj): Obj[] {
  const raw = first(report, ["tables", "results", "report"]) ?? first(isObj(report.data) ? report.data : {}, ["tables", "results"]);
  if (Array.isArray(raw)) return raw.filter(isObj);
  if (isObj(raw)) return Object.entries(raw).map(([name, v]) => ({ table: name, ...(isObj(v) ? v : { value: v }) }));
  return [];
}

function statusOf(t: Obj): string {
  const v = first(t, ["status", "verdict", "readiness", "ai_ready", "ok", "passed"]);
  if (typeof v === "boolean") return v ? "ok" : "failed";
  return typeof v === "string" ? v : "unknown";
}

function issuesOf(t: Obj): string[] {
  const v = first(t, ["issues", "problems", "warnings", "errors", "findings"]);
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === "string" ? x : isObj(x) ? String(first(x, ["message", "detail", "description"]) ?? JSON.stringify(x)) : String(x)));
}

function freshnessOf(t: Obj): string {
  const at = first(t, ["newest", "latest", "last_timestamp", "newest_at", "latest_at", "max_timestamp", "last_row_at"]);
  if (typeof at === "string") return `${timeAgo(at)} (${formatDateTime(at)})`;
  const age = first(t, ["freshness_s", "age_s", "freshness_seconds", "seconds_since_last"]);
  if (typeof age === "number") return `${formatNumber(age, 0)} s ago`;
  const f = t.freshness;
  if (isObj(f)) return freshnessOf(f);
  if (typeof f === "string") return f;
  return "—";
}

function nullRatesOf(t: Obj): [string, number][] {
  const v = first(t, ["null_rates", "null_rate", "nulls"]);
  if (isObj(v)) return Object.entries(v).filter((e): e is [string, number] => typeof e[1] === "number");
  if (Array.isArray(v)) return v.filter(isObj).map((c) => [String(first(c, ["column", "name"])), Number(first(c, ["null_rate", "rate", "ratio"]))]);
  return [];
}

export default function DataCollectionPage() {
  const report = useApi<Obj>("/analytics/validation", undefined, { pollMs: 60_000 });
  return (
    <>
      <PageHeader title="Data collection" subtitle="Is every table filled, fresh and clean enough to train on? (the homepot validate report)" />
      <Loadable state={report} what="The data-collection validation report">
        {(data) => {
          const body = isObj(data.data) ? { ...data, ...data.data } : data;
          const tables = tablesOf(body);
          const verdict = first(body, ["verdict", "ai_readiness", "ai_ready", "status", "overall"]);
          const totalRows = tables.reduce((n, t) => n + (Number(first(t, ["row_count", "rows", "count"])) || 0), 0);
          const bad = tables.filter((t) => ["failed", "error", "fail", "critical", "not_ready", "empty"].includes(statusOf(t).toLowerCase())).length;
          return (
            <>
              <section className="stats">
                <Stat label="AI readiness" value={typeof verdict === "boolean" ? (verdict ? "ready" : "not ready") : String(isObj(verdict) ? (first(verdict, ["verdict", "status"]) ?? "—") : (verdict ?? "—"))} />
                <Stat label="Tables checked" value={tables.length} />
                <Stat label="Rows in all tables" value={formatNumber(totalRows)} />
                <Stat label="Tables with problems" value={bad} tone={bad ? "bad" : "ok"} />
              </section>
              {typeof body.generated_at === "string" && <p className="muted">Generated {formatDateTime(body.generated_at)}.</p>}
              <Card title="Per table" id="validation-tables">
                {tables.length === 0 ? (
                  <Empty>The report lists no tables.</Empty>
                ) : (
                  <table className="table" id="validation-table">
                    <thead>
                      <tr>
                        <th>Table</th>
                        <th>Status</th>
                        <th className="num">Rows</th>
                        <th>Newest row</th>
                        <th>Findings</th>
                        <th>NULL rates</th>
                      </tr>
                    </thead>
                    <tbody>
                      {tables.map((t) => {
                        const name = String(first(t, ["table", "name", "table_name"]) ?? "?");
                        const nulls = nullRatesOf(t).filter(([, r]) => r > 0);
                        return (
                          <tr key={name}>
                            <td className="mono">{name}</td>
                            <td>
                              <StatusBadge status={statusOf(t)} />
                            </td>
                            <td className="num">{formatNumber(Number(first(t, ["row_count", "rows", "count"])))}</td>
                            <td>{freshnessOf(t)}</td>
                            <td>
                              {issuesOf(t).length === 0 ? (
                                <span className="muted">none</span>
                              ) : (
                                <ul>
                                  {issuesOf(t).map((i) => (
                                    <li key={i}>{i}</li>
                                  ))}
                                </ul>
                              )}
                            </td>
                            <td>
                              {nulls.length === 0 ? (
                                <span className="muted">no NULLs</span>
                              ) : (
                                <details>
                                  <summary>{nulls.length} columns</summary>
                                  <ul>
                                    {nulls.map(([c, r]) => (
                                      <li key={c}>
                                        <code>{c}</code> {(r * (r <= 1 ? 100 : 1)).toFixed(1)}%
                                      </li>
                                    ))}
                                  </ul>
                                </details>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                )}
              </Card>
              <Card title="Raw report">
                <details>
                  <summary>JSON</summary>
                  <JsonView value={data} />
                </details>
              </Card>
            </>
          );
        }}
      </Loadable>
    </>
  );
}
