import { execFile } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
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
    120_000,
  );
}, 150_000);
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

  it("the wire port wants the password `db url` shows; the data dir is the server user's alone", async () => {
    const port = readServerState(server.dataDir)?.pgPort;
    const shown = await runCliProcess(["db", "url"], server.env);
    expect(shown.code, shown.stderr).toBe(0);
    const password = readFileSync(join(server.dataDir, "pg-password"), "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(shown.stdout.trim()).toBe(`postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`);

    const client = new pg.Client({ connectionString: shown.stdout.trim() });
    await client.connect();
    expect((await client.query("select count(*)::int as n from users")).rows).toEqual([{ n: 1 }]);
    await client.end();
    const wrong = new pg.Client({ connectionString: `postgres://postgres:wrong@127.0.0.1:${port}/postgres` });
    await expect(wrong.connect()).rejects.toThrow('password authentication failed for user "postgres"');
    const psql = await new Promise<{ code: number; out: string }>((resolve) =>
      execFile(
        "psql",
        ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-w", "-c", "select password_hash from users"],
        { env: { ...process.env, PGPASSWORD: "", PGPASSFILE: "/dev/null" } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr }),
      ),
    );
    expect(psql.code).not.toBe(0);
    expect(psql.out).toContain("no password supplied");
    expect(psql.out).not.toContain("$2");

    // Folders 0700 and secrets 0600 while it runs; every database file 0600 once it stopped.
    const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
    expect(mode(server.dataDir)).toBe("700");
    expect(mode(join(server.dataDir, "pg-password"))).toBe("600");
    expect(mode(join(server.dataDir, "server.json"))).toBe("600");
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? [join(dir, e.name), ...walk(join(dir, e.name))] : [join(dir, e.name)],
      );
    const pglite = join(server.dataDir, "pglite");
    expect(mode(pglite)).toBe("700");
    for (const path of walk(pglite).filter((p) => statSync(p).isDirectory())) expect(mode(path), path).toBe("700");
    expect(await server.stop()).toBe(0);
    const files = walk(pglite).filter((p) => statSync(p).isFile());
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((p) => mode(p) !== "600")).toEqual([]);

    const noServer = await runCliProcess(["db", "url"], server.env);
    expect(noServer.code).toBe(1);
    expect(noServer.stderr).toContain("no running server holds the embedded database");
  });
});
