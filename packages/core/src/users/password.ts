import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { RateLimitedError, ValidationError } from "../errors.ts";

const ROUNDS = 11;
// Compared against when the user does not exist, so a login takes as long either way (a bcrypt hash of a random
// string at cost 11; no password matches it).
const DUMMY_HASH = "$2b$11$rGV/RZkFwWbGF3quwIcjbeYtHNzq4G9zRoDNBhgNt02mUAOJtJoD6";
/** Hashing requests waiting for a worker beyond this are refused (429) instead of queueing without bound. */
const MAX_QUEUED = 64;

interface Job {
  id: number;
  op: "hash" | "compare";
  password: string;
  hash?: string;
  rounds?: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * bcrypt is ~100 ms of pure CPU per call: on the event loop, 100 wrong logins froze every request for seconds.
 * A small pool of worker threads does it instead, at most `size` at a time; the rest wait in a bounded queue.
 */
class PasswordPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Job>();
  private readonly queue: Job[] = [];
  private spawned = 0;
  private seq = 0;

  constructor(private readonly size: number) {}

  run(op: Job["op"], fields: Pick<Job, "password" | "hash" | "rounds">): Promise<unknown> {
    if (this.queue.length >= MAX_QUEUED) {
      return Promise.reject(new RateLimitedError("Too many sign-ins in progress; try again in a few seconds", 5));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ id: ++this.seq, op, ...fields, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.spawned < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift() as Job;
      this.busy.set(worker, job);
      worker.ref(); // keep a CLI alive while its hash is computed
      worker.postMessage({ id: job.id, op: job.op, password: job.password, hash: job.hash, rounds: job.rounds });
    }
  }

  private spawn(): Worker {
    this.spawned += 1;
    const worker = new Worker(new URL("./password-worker.mjs", import.meta.url));
    worker.unref();
    worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref(); // an idle pool never keeps the process alive
      this.idle.push(worker);
      if (job) {
        if (message.error !== undefined) job.reject(new Error(message.error));
        else job.resolve(message.result);
      }
      this.dispatch();
    });
    const lost = (error: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.spawned -= 1;
      job?.reject(error);
      this.dispatch();
    };
    worker.on("error", lost);
    worker.on("exit", (code) => {
      if (this.busy.has(worker) || this.idle.includes(worker)) lost(new Error(`password worker exited (${code})`));
    });
    return worker;
  }
}

const pool = new PasswordPool(Math.max(1, Math.min(2, availableParallelism())));

export const hashPassword = (password: string) => pool.run("hash", { password, rounds: ROUNDS }) as Promise<string>;

export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const ok = (await pool.run("compare", { password, hash: hash ?? DUMMY_HASH })) === true;
  return ok && hash !== undefined;
}

let common: Set<string> | undefined;
/** The 10 000 most common passwords (OWASP SecLists, shipped in common-passwords.txt), lower-cased. */
function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL("./common-passwords.txt", import.meta.url), "utf8")
      .split("\n")
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line.length > 0),
  );
  return common;
}

/** Length bounds, and no password from the common-passwords list or equal to the account's own name (OWASP ASVS 2.1). */
export function validatePassword(password: string, account: { email?: string; username?: string } = {}): void {
  if (password.length < 8) throw new ValidationError("password must be at least 8 characters", "password");
  if (password.length > 128) throw new ValidationError("password must be at most 128 characters", "password");
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) {
    throw new ValidationError("password is one of the most common passwords; choose another", "password");
  }
  const names = [account.email, account.email?.split("@")[0], account.username].filter(
    (n): n is string => typeof n === "string" && n.length > 0,
  );
  if (names.some((n) => n.toLowerCase() === lower)) {
    throw new ValidationError("password must not be the account's e-mail address or username", "password");
  }
}
