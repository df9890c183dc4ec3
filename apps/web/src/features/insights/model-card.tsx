import type { InsightsStatusResponse } from "@homepot/contracts/insights";
import { Link } from "react-router";
import type { z } from "zod";
import { TableHead } from "../../components/table-head.tsx";
import { Card, Empty, ErrorMessage, Spinner } from "../../components/ui/index.tsx";
import { formatDateTime } from "../../lib/format.ts";
import { useEndpoint } from "../../lib/use-api.ts";
import { anomalyMark } from "../devices/metrics.ts";

type ModelCardData = z.infer<typeof InsightsStatusResponse>["data"]["model_card"];

/** The live detector's model card: its NAB scores (with their date) beside the published board, and its backtest. */
export function ModelCard({ card }: { card: ModelCardData }) {
  const s = card.nab.scores;
  const rows = [
    { detector: "HOMEPOT streaming detector (ours)", standard: s.standard, low_fp: s.reward_low_FP_rate, ours: true },
    ...card.nab.published.map((p) => ({
      detector: `${p.detector} (published)`,
      standard: p.standard,
      low_fp: p.reward_low_FP_rate,
      ours: false,
    })),
  ].sort((a, b) => b.standard - a.standard);
  return (
    <Card title="Model card: live anomaly detector" id="insights-model-card">
      <p>{card.method}.</p>
      <p className="muted">
        Numenta Anomaly Benchmark ({card.nab.corpus}), measured {card.nab.measured_on}: standard{" "}
        <strong>{s.standard.toFixed(1)}</strong>, reward low FP <strong>{s.reward_low_FP_rate.toFixed(1)}</strong>,
        reward low FN <strong>{s.reward_low_FN_rate.toFixed(1)}</strong> (goal {card.nab.goal.standard} /{" "}
        {card.nab.goal.reward_low_FP_rate}; previous version {card.nab.previous.standard.toFixed(1)}).
      </p>
      <table className="table">
        <TableHead headings={["Detector", "Standard", "Reward low FP"]} />
        <tbody>
          {rows.map((r) => (
            <tr key={r.detector}>
              <td>{r.ours ? <strong>{r.detector}</strong> : r.detector}</td>
              <td>{r.standard.toFixed(1)}</td>
              <td>{r.low_fp.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Backtest: {card.backtest.measured_on ? `measured ${card.backtest.measured_on}. ` : ""}
        {card.backtest.note}
      </p>
    </Card>
  );
}

/** The live detector's anomalies across the fleet in the last day, newest first (each links to its device). */
export function LiveAnomalies() {
  const live = useEndpoint("GET /ai/anomalies/live", { query: { hours: 24, limit: 50 } }, { pollMs: 30_000 });
  return (
    <Card title="Live anomalies (last 24 h)" id="insights-live-anomalies">
      {live.error ? (
        <ErrorMessage error={live.error} what="Live anomalies" />
      ) : !live.data ? (
        <Spinner />
      ) : live.data.anomalies.length === 0 ? (
        <Empty>No anomaly in the last day ({live.data.devices_watched} devices watched).</Empty>
      ) : (
        <table className="table">
          <TableHead headings={["When", "Device", "What"]} />
          <tbody>
            {live.data.anomalies.map((a) => (
              <tr key={`${a.device_id}:${a.metric}:${a.at}`}>
                <td>{formatDateTime(a.at)}</td>
                <td>
                  <Link to={`/devices/${encodeURIComponent(a.device_id)}`}>{a.device_id}</Link>
                </td>
                <td>{anomalyMark(a).title.replace(/^Anomaly: /, "")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
