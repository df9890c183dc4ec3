import { systemContext } from "@homepot/core";
import { AlertEngine } from "@homepot/core/alerts/alert-engine";
import { alertRules, openDatabase } from "@homepot/db";

const METRICS = ["cpu_percent", "memory_percent", "disk_percent", "network_latency_ms", "queue_depth"] as const;

/**
 * Alert rule evaluation per ingested sample: 20 metric rules (the "20 rules") over the given devices,
 * `samples` metric signals fed to the evaluator as the write paths do, none breaching (the steady state: no alert
 * writes). Returns microseconds per sample and the ratio to JSON.parse of the same sample's body (the cheapest thing
 * the ingest path already does per sample), measured in the same run.
 */
export async function measureAlertEvaluation(
  databaseUrl: string,
  deviceIds: readonly string[],
  samples: number,
): Promise<{ alert_eval_us_per_sample: number; alert_eval_vs_json_parse_ratio: number }> {
  const database = await openDatabase({ databaseUrl, poolSize: 2 });
  try {
    const ctx = systemContext(database.db, "bench-alerts");
    const now = new Date();
    await database.db.insert(alertRules).values(
      Array.from({ length: 20 }, (_, i) => ({
        name: `bench rule ${i}`,
        type: "metric_threshold",
        params: {
          type: "metric_threshold",
          metric: METRICS[i % METRICS.length],
          operator: "above",
          value: 1e9,
          minutes: 5,
        },
        scope: { site_ids: [], segments: [], tags: [], device_ids: [] },
        severity: "warning",
        createdAt: now,
        updatedAt: now,
      })),
    );
    const engine = new AlertEngine(ctx);
    await engine.start();
    const values = { cpu_percent: 40, memory_percent: 50, disk_percent: 60, network_latency_ms: 20, queue_depth: 1 };
    const body = JSON.stringify({ device_id: deviceIds[0], ...values });
    const t0 = performance.now();
    for (let i = 0; i < samples; i++)
      engine.emit({ kind: "metrics", deviceId: deviceIds[i % deviceIds.length] ?? "", at: now, values });
    await engine.idle();
    const evalMs = performance.now() - t0;
    let sink = 0;
    const t1 = performance.now();
    for (let i = 0; i < samples; i++) sink += (JSON.parse(body) as { queue_depth: number }).queue_depth;
    const parseMs = performance.now() - t1;
    await engine.close();
    if (sink < 0) throw new Error("unreachable");
    return {
      alert_eval_us_per_sample: Math.round((evalMs * 1000 * 100) / samples) / 100,
      alert_eval_vs_json_parse_ratio: Math.round((evalMs / parseMs) * 100) / 100,
    };
  } finally {
    await database.close();
  }
}
