import { type Context, type Role, roleAtLeast } from "../context.ts";
import type { Draft } from "./answer-builder.ts";
import type { Catalogue } from "./catalogue.ts";
import type { ParsedQuestion } from "./parse-question.ts";
import { isProductTable, validateCached } from "./validation-cache.ts";

/**
 * Trust gates, run on every answer: may the caller see it (A), is the data it rests on fresh and complete by
 * `homepot validate`'s rules (B), are the devices and sites it names active and reporting (C), and does it rest
 * on enough rows (D). The result has the original HOMEPOT's envelope shape (`trust_mode`, `trust_score`,
 * `gates`, …) plus our `level` and the `reasons` that lowered it.
 */
export type TrustLevel = "high" | "medium" | "low" | "none";

export interface TrustCheck {
  check_id: string;
  name: string;
  passed: boolean;
  message: string;
  evidence: Record<string, unknown>[];
}
export interface TrustGate {
  gate_id: string;
  name: string;
  status: "pass" | "fail";
  score: number;
  checks: TrustCheck[];
  evaluated_at: string;
  duration_ms: number;
  error: string | null;
}
export interface Trust {
  level: TrustLevel;
  reasons: string[];
  trust_mode: string;
  trust_mode_label: string;
  trust_score: number;
  actionable: boolean;
  passed_gates: string[];
  failed_gate: string | null;
  gates: TrustGate[];
  summary: string;
}

const MIN_SAMPLE = 10;

export function roleOf(ctx: Context): Role | null {
  return ctx.actor.kind === "user" ? ctx.actor.role : ctx.actor.kind === "system" ? "admin" : null;
}

/** The role an intent's answer needs: the same as the route that serves its data. */
export function requiredRole(intent: ParsedQuestion["intent"]): Role {
  return intent === "data_freshness" ? "admin" : "viewer";
}

export function mayAsk(ctx: Context, q: ParsedQuestion): boolean {
  const role = roleOf(ctx);
  return role !== null && roleAtLeast(role, requiredRole(q.intent));
}

function gate(id: string, name: string, checks: TrustCheck[], at: string, started: number): TrustGate {
  const passed = checks.filter((c) => c.passed).length;
  return {
    gate_id: id,
    name,
    status: passed === checks.length ? "pass" : "fail",
    score: checks.length ? Math.round((passed / checks.length) * 1000) / 1000 : 1,
    checks,
    evaluated_at: at,
    duration_ms: Math.round((performance.now() - started) * 100) / 100,
    error: null,
  };
}

/** Gate A alone, for a question the caller may not ask: no answer is computed. */
export function deniedTrust(ctx: Context, q: ParsedQuestion): Trust {
  const at = ctx.clock.now().toISOString();
  const message = `answering this needs the ${requiredRole(q.intent)} role (you are ${roleOf(ctx) ?? "not a user"})`;
  const a = gate(
    "A",
    "Caller may see the data",
    [{ check_id: "A1", name: "role", passed: false, message, evidence: [] }],
    at,
    performance.now(),
  );
  return envelope([a], [message], "none");
}

export async function evaluateTrust(
  ctx: Context,
  q: ParsedQuestion,
  d: Draft,
  catalogue: Catalogue,
  offlineAfterS: number,
): Promise<Trust> {
  const at = ctx.clock.now().toISOString();
  const now = ctx.clock.now().getTime();
  const lowering: string[] = [];
  const warnings: string[] = [];
  let t0 = performance.now();
  const a = gate(
    "A",
    "Caller may see the data",
    [{ check_id: "A1", name: "role", passed: true, message: `role ${roleOf(ctx)} may ask this`, evidence: [] }],
    at,
    t0,
  );

  t0 = performance.now();
  const tables = d.tables.filter(isProductTable);
  const reports = tables.length ? await validateCached(ctx, tables) : [];
  const bChecks: TrustCheck[] = reports.map((r) => {
    const passed = r.status === "ready";
    const message = passed
      ? `${r.table}: ready (${r.row_count} rows)`
      : `${r.table}: ${r.reasons.slice(0, 2).join("; ")}`;
    if (!passed) lowering.push(message);
    return {
      check_id: `B:${r.table}`,
      name: `${r.table} fresh and complete`,
      passed,
      message,
      evidence: [
        {
          table: r.table,
          observed: r.row_count,
          ...(r.freshness
            ? { newest: r.freshness.newest, age_s: r.freshness.age_s, threshold: r.freshness.max_age_s }
            : {}),
        },
      ],
    };
  });
  const b = gate("B", "Data fresh and complete (homepot validate)", bChecks, at, t0);

  t0 = performance.now();
  const cChecks: TrustCheck[] = [];
  const checkActive = (
    id: string,
    name: string,
    passed: boolean,
    message: string,
    evidence: TrustCheck["evidence"],
  ) => {
    if (!passed) lowering.push(message);
    cChecks.push({ check_id: `C:${id}`, name, passed, message, evidence });
  };
  for (const id of q.deviceIds) {
    const dev = catalogue.devices.find((x) => x.deviceId === id);
    const age = dev?.lastSeen ? Math.round((now - dev.lastSeen.getTime()) / 1000) : null;
    let message = `${id} is active and reported ${age}s ago`;
    let passed = true;
    if (!dev?.active) [passed, message] = [false, `${id} is not an active device`];
    else if (age === null) [passed, message] = [false, `${id} has never reported`];
    else if (age > offlineAfterS)
      [passed, message] = [false, `${id} last reported ${age}s ago (more than ${offlineAfterS}s)`];
    const evidence = [{ table: "devices", device_id: id, observed: age, threshold: offlineAfterS }];
    checkActive(id, "device active", passed, message, evidence);
  }
  for (const id of q.siteIds) {
    const site = catalogue.sites.find((x) => x.siteId === id);
    const passed = site?.active === true;
    const message = passed ? `${id} is active` : `${id} is not an active site`;
    checkActive(id, "site active", passed, message, [{ table: "sites", record_id: id }]);
  }
  const c = gate("C", "Devices and sites active", cChecks, at, t0);

  t0 = performance.now();
  const min = d.sampleKind === "devices" ? 1 : MIN_SAMPLE;
  const enough = d.sampleSize >= min;
  const sampleMessage = enough
    ? `rests on ${d.sampleSize} ${d.sampleKind}`
    : `rests on only ${d.sampleSize} ${d.sampleKind} (fewer than ${min})`;
  if (!enough) warnings.push(sampleMessage);
  const dGate = gate(
    "D",
    "Enough data",
    [
      {
        check_id: "D1",
        name: "sample size",
        passed: enough,
        message: sampleMessage,
        evidence: [{ observed: d.sampleSize, threshold: min }],
      },
    ],
    at,
    t0,
  );

  const level: TrustLevel = lowering.length ? "low" : warnings.length ? "medium" : "high";
  return envelope([a, b, c, dGate], [...lowering, ...warnings], level);
}

const MODES: Record<TrustLevel, { id: string; label: string; score: number }> = {
  high: { id: "grounded", label: "Grounded answer", score: 1 },
  medium: { id: "mode_3", label: "Mode 3: Cautionary summaries", score: 0.75 },
  low: { id: "mode_2", label: "Mode 2: Best-effort analytics", score: 0.5 },
  none: { id: "mode_1", label: "Mode 1: Status-only", score: 0 },
};

function envelope(gates: TrustGate[], reasons: string[], level: TrustLevel): Trust {
  const mode = MODES[level];
  const passed = gates.filter((g) => g.status === "pass").map((g) => g.gate_id);
  const failed = gates.find((g) => g.status === "fail")?.gate_id ?? null;
  return {
    level,
    reasons,
    trust_mode: mode.id,
    trust_mode_label: mode.label,
    trust_score: mode.score,
    actionable: level === "high",
    passed_gates: passed,
    failed_gate: failed,
    gates,
    summary: failed
      ? `Passed gate(s) ${passed.join(", ") || "none"} — ${mode.label}`
      : `Passed all gates (${passed.join(", ")}) — ${mode.label}`,
  };
}
