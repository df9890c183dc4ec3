import type { ValidationResponse } from "@homepot/contracts/analytics";
import type { z } from "zod";
import { TableHead } from "../components/table-head.tsx";
import { Card, Empty, Loadable, PageHeader, Stat, StatusBadge } from "../components/ui/index.tsx";
import { formatDateTime, formatNumber, timeAgo } from "../lib/format.ts";
import { useEndpoint } from "../lib/use-api.ts";

type Report = z.infer<typeof ValidationResponse>["data"];
type TableReport = Report["tables"][number];

function age(s: number | null): string {
  if (s === null) return "—";
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

function TableRow({ t }: { t: TableReport }) {
  const nullCols = t.columns.filter((c) => c.nulls > 0).sort((a, b) => b.null_rate - a.null_rate);
  const schemaProblems = t.schema.missing.length + t.schema.mismatched.length;
  return (
    <tr id={`validation-${t.table}`}>
      <td className="mono">{t.table}</td>
      <td>
        {/* A sound table that is only empty (a fresh install) is not a failure. */}
        <StatusBadge status={t.status === "ready" ? "ok" : t.status === "no_rows_yet" ? "no_rows_yet" : "failed"} />
      </td>
      <td className="num">{formatNumber(t.row_count)}</td>
      <td>
        {t.freshness ? (
          <span title={formatDateTime(t.freshness.newest)}>
            {t.freshness.newest ? timeAgo(t.freshness.newest) : "no rows"}
            {t.freshness.stale && t.freshness.newest && <StatusBadge status="warning" />}
            {t.freshness.max_age_s !== null && <small className="muted"> (max {age(t.freshness.max_age_s)})</small>}
          </span>
        ) : (
          <span className="muted">n/a</span>
        )}
      </td>
      <td>
        {schemaProblems === 0 ? (
          <span className="muted">matches{t.schema.extra.length ? ` (+${t.schema.extra.length} added)` : ""}</span>
        ) : (
          <ul>
            {t.schema.missing.map((c) => (
              <li key={c} className="error-text">
                missing <code>{c}</code>
              </li>
            ))}
            {t.schema.mismatched.map((m) => (
              <li key={m.column} className="error-text">
                <code>{m.column}</code> is {m.actual}, expected {m.expected}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {t.reasons.length + t.warnings.length + t.violations.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul>
            {t.reasons.map((r) => (
              <li key={r} className={t.status === "no_rows_yet" ? "muted" : "error-text"}>
                {r}
              </li>
            ))}
            {t.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
            {t.violations.map((v) => (
              <li key={v.check} className={v.severity === "error" ? "error-text" : ""}>
                {v.kind} check <code>{v.check}</code>: {v.count} rows
                {v.sample_ids.length ? ` (e.g. id ${v.sample_ids.slice(0, 3).join(", ")})` : ""}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        {nullCols.length === 0 ? (
          <span className="muted">no NULLs</span>
        ) : (
          <details>
            <summary>
              {nullCols.length} column{nullCols.length > 1 ? "s" : ""}
              {nullCols.some((c) => c.required) && <span className="error-text"> (required!)</span>}
            </summary>
            <ul>
              {nullCols.map((c) => (
                <li key={c.name} className={c.required ? "error-text" : ""}>
                  <code>{c.name}</code> {(c.null_rate * 100).toFixed(1)}% ({c.nulls}){c.required ? " required" : ""}
                </li>
              ))}
            </ul>
          </details>
        )}
      </td>
    </tr>
  );
}

export default function DataCollectionPage() {
  const report = useEndpoint("GET /analytics/validation", {}, { pollMs: 60_000 });
  return (
    <>
      <PageHeader
        title="Data collection"
        subtitle="Is every table filled, fresh and clean enough to train on? (the homepot validate report)"
      />
      <Loadable state={report} what="The data-collection validation report">
        {({ data }) => {
          const totalRows = data.tables.reduce((n, t) => n + t.row_count, 0);
          // Only empty tables missing: collection has not started (yet), which is no failure.
          const onlyEmpty = !data.ready && data.summary.not_ready === data.summary.no_rows_yet;
          return (
            <>
              <section className="stats">
                <Stat
                  label="AI readiness"
                  value={data.ready ? "ready" : onlyEmpty ? "no rows yet" : "not ready"}
                  tone={data.ready ? "ok" : onlyEmpty ? "info" : "bad"}
                />
                <Stat
                  label="Tables ready"
                  value={`${data.summary.ready} / ${data.summary.tables}`}
                  tone={data.summary.not_ready ? "warn" : "ok"}
                />
                <Stat label="Rows in all tables" value={formatNumber(totalRows)} />
                <Stat label="Checked" value={timeAgo(data.generated_at)} hint={formatDateTime(data.generated_at)} />
              </section>
              <Card title="Per table" id="validation-tables">
                {data.tables.length === 0 ? (
                  <Empty>The report lists no tables.</Empty>
                ) : (
                  <table className="table" id="validation-table">
                    <TableHead
                      headings={["Table", "Ready", { num: "Rows" }, "Newest row", "Schema", "Findings", "NULLs"]}
                    />
                    <tbody>
                      {data.tables.map((t) => (
                        <TableRow key={t.table} t={t} />
                      ))}
                    </tbody>
                  </table>
                )}
              </Card>
            </>
          );
        }}
      </Loadable>
    </>
  );
}
