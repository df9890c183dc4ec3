import { afterAll, describe, expect, it } from "vitest";
import { runCliProcess, scratchPostgresDatabase, serverEnv, startServer } from "./testing-process.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

async function cliJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const res = await runCliProcess([...args, "--json"], env);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as T;
}

describe.each(["pglite", "postgres"] as const)("graceful shutdown on SIGTERM (%s)", (driver) => {
  it("drains, flushes the buffered request logs and records system_shutdown", async () => {
    const extra: Record<string, string> = {
      HOMEPOT_ADMIN_EMAIL: "boot@example.com",
      HOMEPOT_ADMIN_PASSWORD: "boot-password-1",
    };
    if (driver === "postgres") {
      const pgdb = await scratchPostgresDatabase();
      cleanups.push(pgdb.drop);
      extra.DATABASE_URL = pgdb.url;
    }
    const env = await serverEnv(extra);
    const server = await startServer(env);
    try {
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "boot@example.com", password: "boot-password-1" }),
      });
      expect(login.status).toBe(200);
      const token = ((await login.json()) as { data: { access_token: string } }).data.access_token;
      const requests = 30;
      await Promise.all(
        Array.from({ length: requests }, () =>
          fetch(`${server.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then(
            (r) => r.status,
          ),
        ),
      );
      // Stop at once: the 1 s flush timer has (most likely) not written these rows; shutdown must.
      const code = await server.stop("SIGTERM");
      expect(code).toBe(0);
      // A short summary for people on stderr; stdout (not a terminal here) stays JSON lines.
      expect(server.output()).toContain(`HOMEPOT is running at ${server.url}/`);
      expect(server.output()).toContain("sign in as boot@example.com");
      expect(server.output()).toContain("HOMEPOT stopped (SIGTERM).");
    } finally {
      await server.stop("SIGKILL");
    }

    const logs = await cliJson<{ endpoint: string; user_id: string | null; status_code: number }[]>(
      ["db", "query", "api_request_logs", "--limit", "1000"],
      env,
    );
    expect(logs.filter((r) => r.endpoint === "/api/v1/auth/me" && r.status_code === 200)).toHaveLength(30);
    const login = logs.find((r) => r.endpoint === "/api/v1/auth/login");
    expect(login?.user_id).toMatch(/^\d+$/);
    const audit = await cliJson<{ event_type: string; description: string }[]>(
      ["db", "query", "audit_logs", "--limit", "100"],
      env,
    );
    const types = audit.map((a) => a.event_type);
    expect(types).toContain("system_startup");
    expect(types).toContain("login_success");
    expect(types[0]).toBe("system_shutdown");
    expect(audit[0]?.description).toMatch(/SIGTERM/);
  });
});
