// Child process: a bare Fastify route streaming one file (BENCH_STATIC_FILE), the baseline of the release-download
// bench, on a free port.
import { createReadStream, statSync } from "node:fs";
import Fastify from "fastify";
import { serveReady } from "./child.ts";

const file = process.env.BENCH_STATIC_FILE as string;
const size = statSync(file).size;
const app = Fastify({ logger: false });
app.get("/file", async (_request, reply) =>
  reply.header("content-type", "application/octet-stream").header("content-length", size).send(createReadStream(file)),
);
await serveReady(app);
