import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { registerErrorHandling } from "./errors.ts";
import { registerDashboard } from "./static.ts";

async function appWithDashboard(withBuild: boolean) {
  const root = mkdtempSync(join(tmpdir(), "homepot-dist-"));
  if (withBuild) {
    writeFileSync(join(root, "index.html"), "<!doctype html><div id=root></div>");
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "assets", "app-abc123.js"), "console.log(1)");
  }
  const app = Fastify();
  registerErrorHandling(app);
  app.get("/api/v1/thing", async () => ({ ok: true }));
  const served = await registerDashboard(app, root);
  return { app, served };
}

describe("dashboard static serving", () => {
  it("serves index.html at / and for client-side routes, hashed assets as immutable", async () => {
    const { app, served } = await appWithDashboard(true);
    expect(served).toBe(true);
    const home = await app.inject({ url: "/" });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain("<div id=root>");
    const deep = await app.inject({ url: "/devices/pos-terminal-001?tab=commands" });
    expect(deep.statusCode).toBe(200);
    expect(deep.headers["content-type"]).toContain("text/html");
    expect(deep.headers["cache-control"]).toBe("no-cache");
    const asset = await app.inject({ url: "/assets/app-abc123.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toContain("immutable");
  });

  it("keeps JSON 404s for the API, the docs, missing files and non-GET requests", async () => {
    const { app } = await appWithDashboard(true);
    for (const [method, url] of [
      ["GET", "/api/v1/nope"],
      ["GET", "/docs/missing"],
      ["GET", "/assets/missing.js"],
      ["POST", "/devices"],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ detail: `Not found: ${method} ${url}` });
    }
    expect((await app.inject({ url: "/api/v1/thing" })).json()).toEqual({ ok: true });
  });

  it("without a build, every unknown path is a JSON 404", async () => {
    const { app, served } = await appWithDashboard(false);
    expect(served).toBe(false);
    const res = await app.inject({ url: "/devices" });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: "Not found: GET /devices" });
  });
});
