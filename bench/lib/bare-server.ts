// Child process: a bare Fastify JSON route (the baseline of the ingest bench), on a free port.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.post("/ingest", async (_request, reply) => reply.code(201).send({ success: true, message: "Metrics stored" }));
const address = await app.listen({ port: 0, host: "127.0.0.1" });
process.stdout.write(`READY ${address}\n`);
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
