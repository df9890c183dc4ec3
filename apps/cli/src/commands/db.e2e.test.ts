import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readServerState,
  runCliProcess,
  type ServerProcess,
  serverEnv,
  startServer,
} from "../../../server/src/testing-process.ts";

let server: ServerProcess;
beforeAll(async () => {
  server = await startServer(
    await serverEnv({ HOMEPOT_ADMIN_EMAIL: "e2e-admin@example.com", HOMEPOT_ADMIN_PASSWORD: "e2e-admin-pass" }),
  );
});
afterAll(async () => {
  await server?.stop();
});

describe("homepot CLI against a running server (embedded database over the wire port)", () => {
  it("db count and db query read the live server's database; seed writes into it", async () => {
    const state = readServerState(server.dataDir);
    expect(state?.pgPort).toBe(Number(server.env.HOMEPOT_PG_PORT));

    const count = await runCliProcess(["db", "count"], server.env);
    expect(count.code, count.stderr).toBe(0);
    expect(count.stdout).toContain(`running server (pid ${state?.pid}, port ${state?.pgPort})`);
    for (const t of ["sites", "devices", "users", "audit_logs", "site_operating_schedules", "device_metrics"])
      expect(count.stdout).toMatch(new RegExp(`^${t}\\s+\\d+$`, "m"));
    expect(count.stdout).toMatch(/^users\s+1$/m);

    const seed = await runCliProcess(["seed", "--json"], server.env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(JSON.parse(seed.stdout)).toMatchObject({ sites_created: 3, devices_created: 12 });

    // The CLI reads rows the server wrote (its startup audit) and its own writes through the same port.
    const audit = await runCliProcess(
      ["db", "query", "audit_logs", "--where", "event_type=system_startup", "--json"],
      server.env,
    );
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toHaveLength(1);
    const counts = await runCliProcess(["db", "count", "--json"], server.env);
    expect(JSON.parse(counts.stdout)).toMatchObject({ sites: 3, devices: 12, site_operating_schedules: 21, users: 1 });
  });
});
