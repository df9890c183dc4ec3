import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { apiRequestLogs, auditLogs, devices, errorLogs, sites, userActivities, users } from "@homepot/db";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openCliDatabase } from "../lib/database.ts";
import { runCli, useCliDatabase } from "../testing.ts";

let env: Awaited<ReturnType<typeof useCliDatabase>>;
const dir = mkdtempSync(join(tmpdir(), "homepot-export-"));
let userId = 0;

beforeAll(async () => {
  env = await useCliDatabase();
  const database = await openCliDatabase();
  try {
    const db = database.db;
    const [u] = await db
      .insert(users)
      .values({
        username: "ana",
        email: "ana@example.com",
        hashedPassword: "$2b$12$secrethash",
        apiKey: "legacy-key",
        role: "admin",
      })
      .returning();
    userId = u!.id;
    await db.insert(sites).values({ siteId: "site-001", name: "Main" });
    await db.insert(devices).values({
      deviceId: "pos-1",
      name: 'POS, "front"',
      deviceType: "pos_terminal",
      siteId: "site-001",
      apiKeyHash: "f".repeat(64),
      apiKeyPrefix: "hpk_abcd",
    });
    const rows = [0, 1, 2, 3].map((i) => ({
      timestamp: new Date(Date.UTC(2026, 2, 1, i)),
      userId: i < 3 ? String(userId) : "77",
      sessionId: "s1",
      activityType: i % 2 ? "click" : "page_view",
      pageUrl: "/devices",
      extraData: { n: i, note: "contact ana@example.com" },
      durationMs: i * 10,
    }));
    await db.insert(userActivities).values(rows);
    await db.insert(apiRequestLogs).values({
      timestamp: new Date(Date.UTC(2026, 2, 1)),
      endpoint: "/x",
      method: "GET",
      statusCode: 200,
      responseTimeMs: 1.5,
      userId: String(userId),
      ipAddress: "10.0.0.7",
    });
    await db.insert(auditLogs).values({
      createdAt: new Date(Date.UTC(2026, 2, 1)),
      eventType: "user_login",
      description: "ana@example.com signed in",
      userId,
    });
  } finally {
    await database.close();
  }
});
afterAll(async () => env.cleanup());

const KEY = "test-export-key-0123456789";

function parseCsv(text: string): string[][] {
  // Minimal RFC 4180 reader for the test (quotes, doubled quotes, commas, CRLF).
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\r") continue;
    else if (ch === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  return rows;
}

describe("homepot export", () => {
  it("csv, jsonl and parquet carry the same rows, user ids pseudonymised consistently", async () => {
    const base = ["export", "user_activities", "--from", "2026-03-01", "--to", "2026-03-01T03:00:00Z", "--key", KEY];
    const csvFile = join(dir, "a.csv");
    const jsonlFile = join(dir, "a.jsonl");
    const pqFile = join(dir, "a.parquet");
    const csv = await runCli([...base, "--format", "csv", "--out", csvFile]);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toMatch(/export user_activities.*3 rows/);
    expect((await runCli([...base, "--format", "jsonl", "--out", jsonlFile, "--quiet"])).code).toBe(0);
    expect((await runCli([...base, "--format", "parquet", "--out", pqFile, "--quiet"])).code).toBe(0);

    const lines = readFileSync(jsonlFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3); // --to is exclusive: the 03:00 row is out
    expect(lines.map((l) => l.timestamp)).toEqual([
      "2026-03-01T00:00:00.000Z",
      "2026-03-01T01:00:00.000Z",
      "2026-03-01T02:00:00.000Z",
    ]);
    const pseudo = lines[0].user_id as string;
    expect(pseudo).toMatch(/^u_[0-9a-f]{20}$/);
    expect(lines.every((l) => l.user_id === pseudo)).toBe(true);
    expect(JSON.stringify(lines)).not.toContain("ana@example.com");
    expect(lines[1]).toMatchObject({ activity_type: "click", duration_ms: 10, session_id: "s1", extra_data: { n: 1 } });

    const table = parseCsv(readFileSync(csvFile, "utf8"));
    const header = table[0]!;
    expect(header).toEqual([
      "id",
      "timestamp",
      "user_id",
      "session_id",
      "activity_type",
      "page_url",
      "element_id",
      "search_query",
      "extra_data",
      "duration_ms",
    ]);
    const csvRows = table.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(csvRows).toHaveLength(3);
    expect(csvRows.map((r) => r.user_id)).toEqual([pseudo, pseudo, pseudo]);
    expect(JSON.parse(csvRows[2]!.extra_data!)).toMatchObject({ n: 2 });

    const buf = readFileSync(pqFile);
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    const parquet = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(parquet).toHaveLength(3);
    expect(parquet.map((r) => r.user_id)).toEqual([pseudo, pseudo, pseudo]);
    expect(parquet.map((r) => Number(r.id))).toEqual(lines.map((l) => l.id));
    expect(parquet[1]).toMatchObject({
      activity_type: "click",
      duration_ms: 10,
      timestamp: new Date("2026-03-01T01:00:00.000Z"),
    });
    // Timestamps are typed as timestamps in the file's schema, not as strings.
    const timestamp = parquetSchema(parquetMetadata(file)).children.find((c) => c.element.name === "timestamp");
    expect(timestamp?.element).toMatchObject({ type: "INT64", converted_type: "TIMESTAMP_MILLIS" });
    expect(parquet[1]!.timestamp).toBeInstanceOf(Date);

    // Stable within a key, different under another key.
    const again = await runCli([...base, "--format", "jsonl", "--quiet"]);
    expect(JSON.parse(again.stdout.split("\n")[0]!).user_id).toBe(pseudo);
    const other = await runCli([
      "export",
      "user_activities",
      "--format",
      "jsonl",
      "--key",
      "another-key-9876543210",
      "--quiet",
    ]);
    const otherRows = other.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(otherRows).toHaveLength(4);
    expect(otherRows[0].user_id).not.toBe(pseudo);
    expect(otherRows[3].user_id).not.toBe(otherRows[0].user_id);
  });

  it("never exports secrets or direct identifiers; ip addresses and user ids in other tables are pseudonymised", async () => {
    const usersOut = JSON.parse(
      (await runCli(["export", "users", "--format", "jsonl", "--key", KEY, "--quiet"])).stdout.trim(),
    );
    expect(Object.keys(usersOut).sort()).toEqual(expect.arrayContaining(["id", "role", "is_active", "created_at"]));
    for (const secret of ["hashed_password", "api_key", "email", "username", "full_name"])
      expect(usersOut).not.toHaveProperty(secret);
    expect(usersOut.id).toMatch(/^u_/);

    const dev = await runCli(["export", "devices", "--format", "csv", "--quiet"]);
    const [header, row] = parseCsv(dev.stdout);
    expect(header).not.toContain("api_key_hash");
    expect(header).not.toContain("api_key_prefix");
    expect(header).not.toContain("previous_api_key_hash");
    expect(dev.stdout).not.toContain("f".repeat(64));
    expect(row![header!.indexOf("name")]).toBe('POS, "front"');

    const req = JSON.parse(
      (await runCli(["export", "api_request_logs", "--format", "jsonl", "--key", KEY, "--quiet"])).stdout.trim(),
    );
    expect(req.user_id).toBe(usersOut.id); // the same person under the same key, across tables
    expect(req.ip_address).toMatch(/^i_[0-9a-f]{20}$/);
    expect(req.response_time_ms).toBe(1.5);

    const audit = JSON.parse(
      (await runCli(["export", "audit_logs", "--format", "jsonl", "--key", KEY, "--quiet"])).stdout.trim(),
    );
    expect(audit.user_id).toBe(usersOut.id);
    expect(audit.description).toMatch(/^e_[0-9a-f]{20} signed in$/);
  });

  it("writes csv cells a spreadsheet would evaluate with a leading quote (CSV injection)", async () => {
    const database = await openCliDatabase();
    try {
      await database.db.insert(errorLogs).values({
        timestamp: new Date(Date.UTC(2026, 2, 2)),
        category: "frontend",
        severity: "error",
        errorMessage: "=cmd|' /C calc'!A0",
        endpoint: "@SUM(A1)",
        deviceId: "-2+3",
        errorCode: "+1",
      });
    } finally {
      await database.close();
    }
    const out = await runCli(["export", "error_logs", "--format", "csv", "--quiet"]);
    expect(out.code, out.stderr).toBe(0);
    const [header, row] = parseCsv(out.stdout);
    const cell = (name: string) => row![header!.indexOf(name)];
    expect(cell("error_message")).toBe("'=cmd|' /C calc'!A0");
    expect(cell("endpoint")).toBe("'@SUM(A1)");
    expect(cell("device_id")).toBe("'-2+3");
    expect(cell("error_code")).toBe("'+1");
    // jsonl is data, not a spreadsheet: values stay as they are.
    const jsonl = JSON.parse((await runCli(["export", "error_logs", "--format", "jsonl", "--quiet"])).stdout.trim());
    expect(jsonl.error_message).toBe("=cmd|' /C calc'!A0");
  });

  it("rejects bad arguments with exit 2", async () => {
    expect((await runCli(["export", "passwords"])).code).toBe(2);
    expect((await runCli(["export", "users", "--format", "xml"])).code).toBe(2);
    expect((await runCli(["export", "users", "--format", "parquet"])).code).toBe(2);
    const bad = await runCli(["export", "users", "--from", "soon"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from/);
  });
});
