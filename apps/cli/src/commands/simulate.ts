import { type InjectedFaultKind, injectedFaultKinds } from "@homepot/core/simulator/device-model";
import { Fleet } from "@homepot/core/simulator/fleet";
import { defaultWeek } from "@homepot/core/simulator/site-activity";
import { parseDuration, serverOptions, signedInClient } from "../lib/api-client.ts";
import { parseCommand, runOptions } from "../lib/args.ts";
import { CliError } from "../lib/cli-error.ts";
import { print, printJson } from "../lib/output.ts";
import { ProgressBar } from "../lib/progress.ts";
import { cleanupSimulations, parkSimulatedDevices } from "../lib/simulation-cleanup.ts";
import { HttpFleetTransport, provisionHttpFleet } from "../lib/simulator-http.ts";

export const summary = "run the fleet simulator as real HTTP device agents against a server";

const HELP = `Usage: homepot simulate --server URL [--devices N] [--site SITE]... [--interval 30s] [--duration 10m]
                        [--prefix sim-pos-] [--seed S] [--email E --password P] [--fault DEVICE:KIND]...
                        [--ingest-metrics] [--release-failure-rate 0.02] [--json] [--quiet]
       homepot simulate --cleanup --server URL [--email E --password P] [--json]

Signs in as an operator (--email/--password, an API token in HOMEPOT_TOKEN, or HOMEPOT_ADMIN_EMAIL/HOMEPOT_ADMIN_PASSWORD), creates the
sites if missing (the three demo sites unless --site is given), registers N devices (default 12) and
keeps each device's key (an existing device gets a rotated key), then runs them like POS terminals:
a health report with metrics every --interval, command polling after each report, command execution
with realistic durations and failures. Runs for --duration, or until Ctrl-C. Progress on stderr.
--ingest-metrics also posts every sample to /analytics/device-metrics. --json prints the summary as JSON;
--quiet (-q) hides the progress line.
Software/firmware release jobs (UPDATE_SOFTWARE, UPDATE_FIRMWARE with a release) are installed as the agent does:
each device downloads the release with its key in Range requests, checks the SHA-256 and the Ed25519 signature,
reports the result and its new software_version; --release-failure-rate (0–1, default 0.02) is the share of
installs whose install hook fails on each device.
--fault injects a fault at start (KIND: memory_leak, disk_filling, failing_gateway, bad_config,
network_loss), e.g. --fault sim-pos-003:memory_leak; the summary lists when each showed and failed.

Its devices carry the tag homepot-simulate. When the run ends (--duration, Ctrl-C or an error) they are
parked: status maintenance and tag simulation-finished, so they never show as offline or critical and
insights and the Overview leave them out; running again with the same --prefix resumes them.
--cleanup runs no simulation: it removes (admin) every device tagged homepot-simulate and the sites
simulate created once they are empty. Removed ids are never reused: a later run needs another --prefix.`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(argv, HELP, {
    ...serverOptions,
    devices: { type: "string", default: "12" },
    site: { type: "string", multiple: true },
    interval: { type: "string", default: "30s" },
    duration: { type: "string" },
    prefix: { type: "string", default: "sim-pos-" },
    seed: { type: "string", default: "homepot" },
    "ingest-metrics": { type: "boolean" },
    "release-failure-rate": { type: "string", default: "0.02" },
    fault: { type: "string", multiple: true },
    ...runOptions,
  });
  if (typeof parsed === "number") return parsed;
  const { values } = parsed;
  if (values.cleanup) return cleanup(values);
  const devices = Number(values.devices);
  if (!Number.isInteger(devices) || devices < 1 || devices > 100_000)
    throw new CliError("--devices must be an integer from 1 to 100000", 2);
  const intervalMs = parseDuration(values.interval, "--interval");
  if (intervalMs < 1000) throw new CliError("--interval must be at least 1s", 2);
  const durationMs = values.duration ? parseDuration(values.duration, "--duration") : undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,80}$/.test(values.prefix))
    throw new CliError("--prefix may use letters, digits, '.', '_' and '-'", 2);
  const sites = values.site && values.site.length > 0 ? values.site : ["site-001", "site-002", "site-003"];
  const faults = (values.fault ?? []).map((f) => {
    const [device, kind] = f.split(":");
    if (!device || !kind || !injectedFaultKinds.includes(kind as InjectedFaultKind)) {
      throw new CliError(
        `--fault must be DEVICE:KIND with KIND one of ${injectedFaultKinds.join(", ")} (got "${f}")`,
        2,
      );
    }
    return { device, kind: kind as InjectedFaultKind };
  });
  const releaseFailureRate = Number(values["release-failure-rate"]);
  if (!Number.isFinite(releaseFailureRate) || releaseFailureRate < 0 || releaseFailureRate > 1)
    throw new CliError("--release-failure-rate must be a number from 0 to 1", 2);
  const { client, credentials } = await signedInClient(
    values,
    "homepot-simulate",
    "an operator account is needed to register devices",
  );
  const transport = new HttpFleetTransport(client, { alsoIngestMetrics: values["ingest-metrics"] });
  const bar = new ProgressBar("simulate", !values.quiet);
  const provisioned = await provisionHttpFleet(
    client,
    transport,
    { sites, devices, prefix: values.prefix },
    (done, total) => bar.update(done / total, `registering devices ${done}/${total}`),
  );
  bar.done(`${provisioned.registered} registered, ${provisioned.rotated} existing (key rotated)`);

  const fleet = new Fleet({
    devices: provisioned.specs.map((d) => ({ ...d, releaseFailureRate })),
    sites: provisioned.sites.map((s) => (s.days.length > 0 ? s : { ...s, days: defaultWeek() })),
    transport,
    seed: values.seed,
    intervalMs,
  });
  const started = Date.now();
  let parked = 0;
  try {
    for (const f of faults) {
      if (!fleet.has(f.device))
        throw new CliError(`--fault: ${f.device} is not one of the simulated devices (${values.prefix}001…)`, 2);
      fleet.injectFault(f.device, f.kind);
    }
    await runUntilStopped(fleet, durationMs, bar);
  } finally {
    // However the run ends, its devices stop reporting: park them so they do not turn offline and critical.
    // A run longer than the 15-minute access token signs in again first.
    if (Date.now() - started > 10 * 60_000) await client.signIn(credentials);
    parked = await parkSimulatedDevices(
      client,
      provisioned.specs.map((d) => d.deviceId),
    );
  }

  const stats = fleet.stats();
  const lastFailures = transport.failures.slice(-5).map((f) => `${f.what}: ${f.status} ${f.detail}`);
  if (values.json) {
    printJson({
      ...stats,
      registered: provisioned.registered,
      rotated: provisioned.rotated,
      duration_ms: Date.now() - started,
      parked,
      faults: fleet.groundTruth(),
      last_failures: lastFailures,
    });
  } else {
    print(
      `devices             ${stats.devices} (${provisioned.registered} registered, ${provisioned.rotated} keys rotated)`,
    );
    print(
      `reports sent        ${stats.reportsSent} (failed ${stats.reportsFailed}, skipped while rebooting/offline ${stats.reportsSkipped})`,
    );
    print(
      `outcomes            ${Object.entries(stats.outcomes)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
    );
    print(
      `commands            ${stats.commandsStarted} started, ${stats.commandsSucceeded} succeeded, ${stats.commandsFailed} failed, ${stats.commandsUnanswered} unanswered`,
    );
    print(`scheduling lag      p50 ${Math.round(stats.lagP50Ms)} ms, p99 ${Math.round(stats.lagP99Ms)} ms`);
    for (const f of fleet.groundTruth()) {
      const at = (d: Date | undefined) => d?.toISOString() ?? "—";
      print(
        `fault ${f.kind} on ${f.deviceId}: injected ${at(f.injectedAt)}, first symptom ${at(f.firstSymptomAt)}, failed ${at(f.failedAt)}, cleared ${at(f.clearedAt)}`,
      );
    }
    for (const f of lastFailures) print(`  last failure: ${f}`);
    print(
      `finished            ${parked} devices parked (maintenance, tag simulation-finished); \`homepot simulate --cleanup\` removes them`,
    );
  }
  return stats.reportsSent === 0 && stats.reportsFailed > 0 ? 1 : 0;
}

/** Runs the fleet for `durationMs`, or until Ctrl-C / SIGTERM when there is none. */
async function runUntilStopped(fleet: Fleet, durationMs: number | undefined, bar: ProgressBar): Promise<void> {
  const started = Date.now();
  fleet.start();
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const line = () => {
    const s = fleet.stats();
    const elapsed = Math.round((Date.now() - started) / 1000);
    return `${elapsed}s  devices ${s.devices}  reports ${s.reportsSent} (failed ${s.reportsFailed})  commands ${s.commandsSucceeded} ok / ${s.commandsFailed} failed  lag p99 ${Math.round(s.lagP99Ms)} ms`;
  };
  try {
    while (!stopped && (durationMs === undefined || Date.now() - started < durationMs)) {
      await new Promise((r) => setTimeout(r, 250));
      bar.update(durationMs ? (Date.now() - started) / durationMs : undefined, line());
    }
  } finally {
    await fleet.stop();
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
  bar.done(line(), durationMs ? 1 : undefined);
}

/** `homepot simulate --cleanup`: removes what earlier runs left. */
async function cleanup(values: { server: string; email?: string; password?: string; json?: boolean }): Promise<number> {
  const { client } = await signedInClient(values, "homepot-simulate", "an admin account is needed to remove devices");
  const result = await cleanupSimulations(client);
  if (values.json) {
    printJson({ removed: result.removed, sites_removed: result.sitesRemoved, sites_kept: result.sitesKept });
    return 0;
  }
  print(`devices removed     ${result.removed.length}`);
  print(`sites removed       ${result.sitesRemoved.join(", ") || "none"}`);
  if (result.sitesKept.length > 0)
    print(`sites kept          ${result.sitesKept.join(", ")} (they hold other devices)`);
  return 0;
}
