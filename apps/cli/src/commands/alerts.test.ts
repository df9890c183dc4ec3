import { loadConfig, systemContext } from "@homepot/core";
import { raiseAlert } from "@homepot/core/alerts/raise-alert";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
let id = 0;
beforeAll(async () => {
  env = await useCliDatabase();
  const database = await openCliDatabase(loadConfig());
  try {
    const { alert } = await raiseAlert(systemContext(database.db, "test"), {
      fingerprint: "cli-test",
      source: "device",
      kind: "device_reported",
      severity: "critical",
      deviceId: "pos-cli-1",
      siteId: "site-cli",
      title: "Card reader unplugged",
    });
    id = alert.id;
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => env.cleanup());

describe("homepot alerts", () => {
  it("lists, acknowledges and resolves with a note", { timeout: 120_000 }, async () => {
    const list = await runCli(["alerts", "list", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id, status: "open", title: "Card reader unplugged" }]);
    const ack = await runCli(["alerts", "ack", String(id)]);
    expect(ack.stdout).toContain(`Alert ${id} acknowledged`);
    const res = await runCli(["alerts", "resolve", String(id), "--note", "plugged back in", "--json"]);
    expect(JSON.parse(res.stdout)).toMatchObject({ status: "resolved", resolution_note: "plugged back in" });
    const none = await runCli(["alerts", "list", "--json"]);
    expect(JSON.parse(none.stdout)).toEqual([]);
    const missing = await runCli(["alerts", "ack", "999999"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Alert 999999 not found");
  });

  it("rules: adds a rule of a type with its condition and scope, lists it, refuses a bad one, deletes it", {
    timeout: 120_000,
  }, async () => {
    const add = await runCli([
      "alerts",
      "rules",
      "add",
      "--name",
      "Slow network",
      "--type",
      "metric_threshold",
      "--metric",
      "network_latency_ms",
      "--operator",
      "above",
      "--value",
      "250",
      "--minutes",
      "3",
      "--severity",
      "critical",
      "--sites",
      "site-a, site-b",
      "--template",
      "{device_id}: {value} ms",
      "--json",
    ]);
    expect(add.code, add.stderr).toBe(0);
    const rule = JSON.parse(add.stdout);
    expect(rule).toMatchObject({
      name: "Slow network",
      severity: "critical",
      condition: { type: "metric_threshold", metric: "network_latency_ms", operator: "above", value: 250, minutes: 3 },
      scope: { site_ids: ["site-a", "site-b"] },
      message_template: "{device_id}: {value} ms",
    });
    const listed = await runCli(["alerts", "rules", "list"]);
    expect(listed.stdout).toMatch(new RegExp(`${rule.id}\\s+Slow network\\s+platform\\s+metric_threshold\\s+critical`));
    const noTenant = await runCli([
      "alerts",
      "rules",
      "add",
      "--name",
      "x",
      "--type",
      "command_expired",
      "--tenant",
      "999",
    ]);
    expect(noTenant.code).toBe(1);
    expect(noTenant.stderr).toContain("Tenant 999 not found (tenant_id)");
    const bad = await runCli([
      "alerts",
      "rules",
      "add",
      "--name",
      "x",
      "--type",
      "error_rate",
      "--category",
      "database",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("condition.count");
    const del = await runCli(["alerts", "rules", "delete", String(rule.id)]);
    expect(del.stdout).toContain(`Alert rule ${rule.id} deleted: Slow network`);
    const gone = await runCli(["alerts", "rules", "list", "--json"]);
    expect(JSON.parse(gone.stdout).map((r: { id: number }) => r.id)).not.toContain(rule.id);
  });
});
