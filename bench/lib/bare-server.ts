// Child process: a bare Fastify JSON route (the baseline of the ingest bench), on a free port.
import Fastify from "fastify";
import { serveReady } from "./child.ts";

const app = Fastify({ logger: false });
app.post("/ingest", async (_request, reply) => reply.code(201).send({ success: true, message: "Metrics stored" }));
await serveReady(app);
