import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, HomepotClient, NetworkError } from "./client.ts";

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      if (req.url?.startsWith("/root/api/v1/devices/missing")) {
        res.writeHead(422, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            detail: "Invalid request",
            errors: [{ field: "limit", location: "query", message: "too big" }],
          }),
        );
      } else if (req.url === "/root/proxy") {
        res.writeHead(502, { "content-type": "text/html" });
        res.end("<h1>Bad gateway</h1>");
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ success: true, data: { echoed: req.url } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/root`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("HomepotClient", () => {
  it("builds URLs under a base with a path, leaving empty query values out", () => {
    const client = new HomepotClient({ baseUrl: base });
    expect(client.url("/api/v1/devices", { a: 1, b: "", c: null, d: undefined, e: false })).toBe(
      `${base}/api/v1/devices?a=1&e=false`,
    );
    expect(new HomepotClient().url("/api/v1/x", { when: new Date("2026-01-02T03:04:05Z") })).toBe(
      "/api/v1/x?when=2026-01-02T03%3A04%3A05.000Z",
    );
  });

  it("calls an endpoint by its key: path params encoded, body as JSON, client headers on every request", async () => {
    const statuses: number[] = [];
    const client = new HomepotClient({
      baseUrl: base,
      headers: () => ({ "x-device-id": "pos 1" }),
      onStatus: (s) => statuses.push(s),
    });
    const res = await client.call("POST /devices/{device_id}/health", {
      params: { device_id: "pos 1" },
      body: { status: "healthy" },
    });
    expect(res).toMatchObject({ success: true });
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: "POST", url: "/root/api/v1/devices/pos%201/health" });
    expect(JSON.parse(last?.body ?? "")).toEqual({ status: "healthy" });
    expect(last?.headers["x-device-id"]).toBe("pos 1");
    expect(last?.headers["content-type"]).toBe("application/json");
    expect(statuses).toEqual([200]);

    await client.call("GET /devices", { query: { limit: 5, search: "" } });
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/root/api/v1/devices?limit=5", body: "" });
  });

  it("throws ApiError with the detail and the fields the server named", async () => {
    const client = new HomepotClient({ baseUrl: base });
    const error = await client
      .call("GET /devices/{device_id}", { params: { device_id: "missing" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 422, detail: "Invalid request", path: "/devices/missing" });
    expect((error as ApiError).fields).toEqual([{ field: "limit", location: "query", message: "too big" }]);
  });

  it("keeps a non-JSON answer as text, and says NetworkError when nobody answers", async () => {
    const client = new HomepotClient({ baseUrl: base });
    await expect(client.send("GET", "/proxy")).resolves.toMatchObject({ status: 502, body: "<h1>Bad gateway</h1>" });
    const closed = new HomepotClient({ baseUrl: "http://127.0.0.1:9", timeoutMs: 2_000 });
    await expect(closed.send("GET", "/health")).rejects.toBeInstanceOf(NetworkError);
  });
});
