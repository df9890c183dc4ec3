import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../../testing.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe("service health", () => {
  it.each(["/health", "/api/v1/health", "/api/v1/health/health", "/health/"])("%s answers healthy", async (url) => {
    const res = await t.app.inject({ method: "GET", url });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "healthy" });
  });

  it("/ready checks the database", async () => {
    const res = await t.app.inject({ method: "GET", url: "/ready" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ready: true, database: "up" });
  });

  it("/metrics speaks Prometheus and counts requests by route", async () => {
    await t.app.inject({ method: "GET", url: "/health" });
    const res = await t.app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.body).toMatch(/homepot_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    expect(res.body).toMatch(/homepot_nodejs_eventloop_lag_seconds/);
  });

  it("serves the OpenAPI document and Swagger UI at /docs", async () => {
    const doc = await t.app.inject({ method: "GET", url: "/docs/json" });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().paths["/api/v1/auth/login"]).toBeDefined();
    const ui = await t.app.inject({ method: "GET", url: "/docs/" });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toMatch(/swagger/i);
  });
});

describe("bad input", () => {
  const login = (payload: string, contentType = "application/json") =>
    t.app.inject({ method: "POST", url: "/api/v1/auth/login", payload, headers: { "content-type": contentType } });

  it("malformed JSON is a 400 with a clear detail and no stack trace", async () => {
    const res = await login('{"email": ');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ detail: "Malformed JSON body" });
  });

  it("wrong types are a 422 naming the field", async () => {
    const res = await login(JSON.stringify({ email: 42, password: ["x"] }));
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(["email", "password"]);
  });

  it("an oversize body is a 413", async () => {
    const res = await login(JSON.stringify({ email: "a@b.c", password: "x".repeat(2 * 1024 * 1024) }));
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/too large/);
  });

  it("an unsupported content type is a 415", async () => {
    const res = await login("email=a", "text/csv");
    expect(res.statusCode).toBe(415);
  });

  it("an unknown route is a JSON 404", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/nope" });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toMatch(/Not found/);
  });
});
