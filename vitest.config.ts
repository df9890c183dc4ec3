import { createConnection } from "node:net";
import { defineConfig } from "vitest/config";

/** True when something answers on host:port (PostgreSQL for the postgres project). */
function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const pgUrl = new URL(process.env.HOMEPOT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const dbTests = ["apps/**/*.test.ts", "packages/**/*.test.ts"];
const notDbTests = ["**/node_modules/**", "**/*.unit.test.ts", "**/*.e2e.test.ts", "**/*.browser.test.ts"];

export default defineConfig(async () => {
  const pgUp = await reachable(pgUrl.hostname, Number(pgUrl.port || 5432));
  // In CI every suite must run: a missing PostgreSQL is a failure, never a silent skip.
  if (!pgUp && process.env.CI)
    throw new Error(`CI: PostgreSQL is not reachable at ${pgUrl.host}; the postgres suite cannot be skipped`);
  if (!pgUp)
    console.warn(
      `\n[homepot] PostgreSQL not reachable at ${pgUrl.host}: the postgres project is skipped (database tests still run on PGlite)\n`,
    );
  const common = { testTimeout: 30_000, hookTimeout: 60_000 };
  return {
    test: {
      projects: [
        { test: { ...common, name: "unit", include: ["apps/**/*.unit.test.ts", "packages/**/*.unit.test.ts"] } },
        {
          test: {
            ...common,
            name: "pglite",
            include: dbTests,
            exclude: notDbTests,
            env: { HOMEPOT_TEST_DB: "pglite" },
          },
        },
        ...(pgUp
          ? [
              {
                test: {
                  ...common,
                  name: "postgres",
                  include: dbTests,
                  exclude: notDbTests,
                  env: { HOMEPOT_TEST_DB: "postgres" },
                  globalSetup: ["test/pg-global-setup.ts"],
                },
              },
            ]
          : []),
        {
          test: {
            ...common,
            name: "e2e",
            include: ["apps/**/*.e2e.test.ts"],
            testTimeout: 120_000,
            fileParallelism: false,
          },
        },
        // Real Chromium against a real server process; serial, slow by nature.
        {
          test: {
            ...common,
            name: "browser",
            include: ["apps/**/*.browser.test.ts"],
            testTimeout: 600_000,
            hookTimeout: 300_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
