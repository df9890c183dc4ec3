import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PasswordGate } from "./pg-password-gate.ts";

const PASSWORD = "s3cret-generated-password_0123456789";
let db: PGlite;
let socket: PGLiteSocketServer;
let gate: PasswordGate;
let port = 0;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec("create table secrets (v text); insert into secrets values ('hash');");
  const path = join(mkdtempSync(join(tmpdir(), "homepot-gate-")), "pglite.sock");
  socket = new PGLiteSocketServer({ db, path, maxConnections: 4 });
  await socket.start();
  gate = new PasswordGate({
    host: "127.0.0.1",
    port: 0,
    user: "postgres",
    password: PASSWORD,
    connectBackend: () => createConnection(path),
  });
  port = await gate.start();
}, 180_000); // PGlite's first start is slow on a busy machine

afterAll(async () => {
  await gate?.stop();
  await socket?.stop();
  await db?.close();
});

async function connect(password: string | undefined, user = "postgres"): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user, database: "postgres", password });
  client.on("error", () => {});
  await client.connect();
  return client;
}

function psql(password: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      "psql",
      [
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-w",
        "-tAc",
        "select v from secrets",
      ],
      { env: { ...process.env, PGPASSWORD: password, PGSSLMODE: "prefer", PGCONNECT_TIMEOUT: "10" } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe("password gate in front of the embedded database's wire port", () => {
  it("refuses a connection without a password, with a wrong one, or as another user", async () => {
    await expect(connect(undefined)).rejects.toThrow();
    await expect(connect("wrong-password")).rejects.toThrow(/password authentication failed for user "postgres"/);
    await expect(connect(PASSWORD, "mallory")).rejects.toThrow(/password authentication failed for user "mallory"/);
  });

  it("lets the right password in (SCRAM-SHA-256), for several clients at once", async () => {
    const [a, b] = await Promise.all([connect(PASSWORD), connect(PASSWORD)]);
    const [ra, rb] = await Promise.all([a?.query("select v from secrets"), b?.query("select 1 + 1 as two")]);
    expect(ra?.rows).toEqual([{ v: "hash" }]);
    expect(rb?.rows).toEqual([{ two: 2 }]);
    await Promise.all([a?.end(), b?.end()]);
  });

  it("answers psql the same way (SSL request declined, then SCRAM)", async () => {
    const wrong = await psql("wrong-password");
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toContain('password authentication failed for user "postgres"');
    const right = await psql(PASSWORD);
    expect(right.out.trim()).toBe("hash");
    expect(right.code).toBe(0);
  });

  it("survives garbage on the port", async () => {
    const garbage = createConnection({ host: "127.0.0.1", port });
    let answer = "";
    garbage.on("data", (d) => (answer += d.toString("latin1")));
    await new Promise<void>((resolve) => {
      garbage.once("connect", () => garbage.write(Buffer.from([0, 0, 0, 8, 1, 2, 3, 4, 0xff, 0xff])));
      garbage.on("error", () => resolve());
      garbage.once("close", () => resolve());
    });
    expect(answer).toContain("unsupported frontend protocol");
    const client = await connect(PASSWORD);
    expect((await client.query("select 1 as one")).rows).toEqual([{ one: 1 }]);
    await client.end();
  });
});
