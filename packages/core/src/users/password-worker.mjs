// Runs bcrypt (pure JS, ~100 ms per hash at cost 11) off the server's event loop; see password.ts.
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

parentPort?.on("message", (message) => {
  const { id, op, password, hash, rounds } = message;
  try {
    const result = op === "hash" ? bcrypt.hashSync(password, rounds) : bcrypt.compareSync(password, hash);
    parentPort?.postMessage({ id, result });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
