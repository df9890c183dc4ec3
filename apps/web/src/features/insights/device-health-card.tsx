import { TableHead } from "../../components/table-head.tsx";
import { LoadableCard, StatusBadge } from "../../components/ui/index.tsx";
import { formatNumber } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { pct, samplesText } from "./types.ts";

/** Health score and failure risk of one device, with the factors behind each number. */
export function DeviceHealthCard({ deviceId }: { deviceId: string }) {
  const insights = useEndpoint(
    "GET /ai/insights/device/{device_id}",
    { params: { device_id: deviceId } },
    { pollMs: 60_000 },
  );
  return (
    <LoadableCard title="Health and risk" id="device-insights" state={insights} what="Device insights">
      {({ data }) =>
        data.health.state === "waiting_for_first_contact" ? (
          <p className="muted">
            Waiting for first contact: this device has not reported yet, so it has no health score or failure risk.
            Start its agent to see them here.
          </p>
        ) : (
          <>
            <div className="row">
              <div>
                <div className="score">{data.health.score === null ? "—" : Math.round(data.health.score)}</div>
                <div className="muted">health score {data.health.grade ? `(${data.health.grade})` : ""}</div>
              </div>
              <div>
                {data.failure_risk.state === "failed" ? (
                  <>
                    <div className="score">Failed</div>
                    <div className="muted">
                      the device is {data.status === "error" ? "in error" : (data.status ?? "failed")} now{" "}
                      <StatusBadge status="failed" />
                    </div>
                  </>
                ) : (
                  <>
                    <div className="score">{pct(data.failure_risk.probability)}</div>
                    <div className="muted">
                      failure risk in {data.failure_risk.horizon_hours ?? 24} h{" "}
                      <StatusBadge status={data.failure_risk.risk_level} />
                      {data.failure_risk.level_reason && (
                        <div>
                          <small>{data.failure_risk.level_reason}</small>
                        </div>
                      )}
                      {data.failure_risk.trend_note && (
                        <div>
                          <small data-testid="risk-trend-note">resource trends: {data.failure_risk.trend_note}</small>
                        </div>
                      )}
                    </div>
                  </>
                )}
              </div>
            </div>
            <table className="table">
              <TableHead headings={["Factor", { num: "Value" }, "Status", "Why"]} />
              <tbody>
                {(data.health.factors ?? []).map((f) => (
                  <tr key={f.factor}>
                    <td>{f.label ?? f.factor}</td>
                    <td className="num">
                      {formatNumber(f.value)} {f.unit}
                    </td>
                    <td>
                      <StatusBadge status={f.status === "no_data" ? "unknown" : f.status} />
                    </td>
                    <td>
                      <small>{f.detail}</small>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {(data.failure_risk.factors ?? []).length > 0 && (
              <ul className="list">
                {(data.failure_risk.factors ?? []).map((f) => (
                  <li key={f.factor}>
                    <strong>{f.factor.replace(/_/g, " ")}</strong> {pct(f.probability)} — <small>{f.detail}</small>
                  </li>
                ))}
              </ul>
            )}
            <p className="muted">
              <small>
                Confidence {pct(data.health.confidence)}; based on {samplesText(data.health.sample_size)}.
              </small>
            </p>
          </>
        )
      }
    </LoadableCard>
  );
}
