import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";

const dataDir = () => mkdtempSync(join(tmpdir(), "homepot-config-"));

describe("loadConfig", () => {
  it("applies the SPEC defaults", () => {
    const c = loadConfig({ HOMEPOT_DATA_DIR: dataDir() });
    expect(c).toMatchObject({
      port: 8000,
      host: "127.0.0.1",
      simulator: true,
      simulatedDevices: 12,
      retentionDays: 90,
      offlineAfterS: 300,
      insightsReuseS: 60,
      insightsConcurrency: 2,
      pgPort: 5433,
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.mqttUrl).toBeUndefined();
  });

  it("reads DATABASE_READ_URL and HOMEPOT_READ_MAX_LAG_S (default 30 s); a replica needs DATABASE_URL", () => {
    expect(loadConfig({ HOMEPOT_DATA_DIR: dataDir() })).toMatchObject({ databaseReadUrl: undefined, readMaxLagS: 30 });
    const c = loadConfig({
      HOMEPOT_DATA_DIR: dataDir(),
      DATABASE_URL: "postgres://db-1/homepot",
      DATABASE_READ_URL: "postgres://db-2/homepot",
      HOMEPOT_READ_MAX_LAG_S: "5",
    });
    expect(c).toMatchObject({ databaseReadUrl: "postgres://db-2/homepot", readMaxLagS: 5 });
    expect(() => loadConfig({ HOMEPOT_DATA_DIR: dataDir(), DATABASE_READ_URL: "postgres://db-2/h" })).toThrowError(
      /DATABASE_READ_URL: needs DATABASE_URL/,
    );
    expect(() =>
      loadConfig({ HOMEPOT_DATA_DIR: dataDir(), DATABASE_URL: "postgres://a/b", DATABASE_READ_URL: "mysql://x" }),
    ).toThrowError(/DATABASE_READ_URL/);
  });

  it("generates a JWT secret once, keeps it in the data dir with mode 0600", () => {
    const dir = dataDir();
    const a = loadConfig({ HOMEPOT_DATA_DIR: dir });
    const b = loadConfig({ HOMEPOT_DATA_DIR: dir });
    expect(a.jwtSecret).toBe(b.jwtSecret);
    expect(a.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, "jwt-secret")).mode & 0o777).toBe(0o600);
  });

  it.each([
    [{ PORT: "eighty" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ HOMEPOT_SIMULATOR: "maybe" }, "HOMEPOT_SIMULATOR"],
    [{ MQTT_URL: "http://x" }, "MQTT_URL"],
    [{ HOMEPOT_ADMIN_EMAIL: "admin@example.com" }, "HOMEPOT_ADMIN_PASSWORD"],
    [{ NODE_ENV: "production" }, "JWT_SECRET"],
  ])("stops with a message naming the variable for %o", (env, name) => {
    expect(() => loadConfig({ HOMEPOT_DATA_DIR: dataDir(), ...env })).toThrowError(ConfigError);
    expect(() => loadConfig({ HOMEPOT_DATA_DIR: dataDir(), ...env })).toThrowError(name);
  });
});
