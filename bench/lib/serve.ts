// Child process of bench/lib/server.ts: the real app (buildApp) on PostgreSQL, with bench options, on a free port.
import { loadConfig } from "@homepot/core";
import { openDatabase } from "@homepot/db";
import { type BuildOptions, buildApp } from "../../apps/server/src/app.ts";

const options = JSON.parse(process.env.BENCH_APP_OPTIONS ?? "{}") as BuildOptions;
const config = loadConfig({
  ...process.env,
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: process.env.BENCH_DATABASE_URL,
  HOMEPOT_SIMULATOR: "off",
  HOMEPOT_LOG_LEVEL: "warn",
  JWT_SECRET: "bench-secret-bench-secret-bench-secret-0",
});
const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 10 });
const app = await buildApp({ config, database }, { dashboard: false, ...options });
const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`READY ${address}\n`);
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
