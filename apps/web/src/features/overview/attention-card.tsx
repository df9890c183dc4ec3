import type { ResponseOf } from "@homepot/contracts/client";
import { Link } from "react-router";
import { TableHead } from "../../components/table-head.tsx";
import { Card, Empty, ErrorMessage, Spinner, StatusBadge } from "../../components/ui/index.tsx";
import type { ApiError } from "../../lib/api.ts";
import { timeAgo } from "../../lib/format.ts";
import type { Device } from "../../lib/types.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { pct } from "../insights/types.ts";

type AtRisk = ResponseOf<"GET /ai/predictions/at-risk-devices">;
type Forecast = ResponseOf<"GET /ai/health-forecast">;
type Risk = AtRisk["devices"][number];

const POLL_MS = 10_000;
/** Devices listed; the rest are counted. */
const SHOWN = 10;

/**
 * "Devices needing attention": those the server finds in error, offline or maintenance, and those predicted to fail
 * (the device records of the riskiest, asked for by id), the riskiest first. Both lists are filtered on the server:
 * the browser never loads the fleet. `ready`: the page's figures are in (these queries wait for them).
 */
export function AttentionCard(props: {
  ready: boolean;
  atRisk: AtRisk | undefined;
  atRiskError: ApiError | undefined;
  forecast: Forecast | undefined;
}) {
  const { ready, atRisk, atRiskError, forecast } = props;
  const flagged = useEndpoint("GET /devices", ready ? { query: { attention: "true", limit: 50 } } : null, {
    pollMs: POLL_MS,
  });
  const risky = atRisk?.devices ?? [];
  const riskOf = new Map<string, Risk>(risky.map((r) => [r.device_id, r]));
  const flaggedList = flagged.data?.devices ?? [];
  const flaggedIds = new Set(flaggedList.map((d) => d.device_id));
  // Predicted to fail but not flagged by status: their device records are asked for by id (the riskiest few).
  const unflagged = risky.filter((r) => !flaggedIds.has(r.device_id));
  const missing = unflagged.slice(0, SHOWN).map((r) => r.device_id);
  const riskyDevices = useEndpoint(
    "GET /devices",
    flagged.data && missing.length > 0 ? { query: { device_id: missing.join(","), limit: SHOWN } } : null,
  );
  const scoreOf = new Map((forecast?.devices ?? []).map((f) => [f.device_id, f.current_score]));
  const waiting = new Set(
    (forecast?.devices ?? []).filter((f) => f.state === "waiting_for_first_contact").map((f) => f.device_id),
  );
  const list = [...flaggedList, ...(riskyDevices.data?.devices ?? [])].sort(
    (a, b) =>
      (riskOf.get(b.device_id)?.probability ?? 0) - (riskOf.get(a.device_id)?.probability ?? 0) ||
      a.device_id.localeCompare(b.device_id),
  );
  const total = (flagged.data?.total ?? 0) + unflagged.length;

  return (
    <Card title="Devices needing attention" actions={<Link to="/devices?status=error">Devices</Link>}>
      {!flagged.data ? (
        flagged.error ? (
          <ErrorMessage error={flagged.error} what="The device list" />
        ) : (
          <Spinner />
        )
      ) : list.length === 0 ? (
        // "All healthy" only once the failure predictions are in too; without them it would be a guess.
        atRisk ? (
          <Empty>All devices are healthy.</Empty>
        ) : atRiskError ? (
          <Empty>No device reports an error, offline or maintenance status.</Empty>
        ) : (
          <Spinner label="Checking failure predictions" />
        )
      ) : (
        <table className="table" id="attention-table">
          <TableHead headings={["Device", "Status", { num: "Health" }, { num: "Failure risk" }, "Why"]} />
          <tbody>
            {list.slice(0, SHOWN).map((d) => (
              <AttentionRow
                key={d.device_id}
                device={d}
                risk={riskOf.get(d.device_id)}
                score={scoreOf.get(d.device_id)}
                waiting={waiting.has(d.device_id)}
              />
            ))}
          </tbody>
        </table>
      )}
      {total > Math.min(list.length, SHOWN) && (
        <p className="muted">…and {total - Math.min(list.length, SHOWN)} more.</p>
      )}
      {atRiskError && <ErrorMessage error={atRiskError} what="Failure predictions" />}
    </Card>
  );
}

function AttentionRow({
  device: d,
  risk,
  score,
  waiting,
}: {
  device: Device;
  risk: Risk | undefined;
  score: number | null | undefined;
  waiting: boolean;
}) {
  const why = waiting
    ? "waiting for first contact"
    : d.status === "offline"
      ? "not reporting"
      : d.status === "error"
        ? "in error"
        : d.status;
  return (
    <tr>
      <td>
        <Link to={`/devices/${encodeURIComponent(d.device_id)}`}>{d.name}</Link>
        <div className="muted">
          <small>
            {d.site_id} · seen {timeAgo(d.last_seen)}
          </small>
        </div>
      </td>
      <td>
        <StatusBadge status={waiting ? "waiting_for_first_contact" : d.status} />
      </td>
      <td className="num">{score === null || score === undefined ? "—" : Math.round(score)}</td>
      <td className="num">
        {!risk ? (
          "—"
        ) : risk.state === "failed" ? (
          <StatusBadge status="failed" />
        ) : (
          <>
            {pct(risk.probability)} <StatusBadge status={risk.risk_level} />
          </>
        )}
      </td>
      <td>
        <small>{risk?.top_factors?.[0]?.detail ?? why}</small>
      </td>
    </tr>
  );
}
