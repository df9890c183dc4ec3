import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, loginAs, type TestApp, testConfig } from "../testing.ts";
import { crossSiteReason, dashboardCsp } from "./browser-security.ts";

/** Issue 23 §6: cookie-authenticated writes only from our own pages; answers never framed. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof loginAs>>;
let deviceKey: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await loginAs(t, "admin");
  await t.app.inject({
    method: "POST",
    url: "/api/v1/sites",
    headers: admin.headers,
    payload: { site_id: "site-csrf", name: "CSRF site" },
  });
  const device = await t.app.inject({
    method: "POST",
    url: "/api/v1/devices/sites/site-csrf/devices",
    headers: admin.headers,
    payload: { device_id: "pos-csrf-1", name: "Till", device_type: "pos_terminal" },
  });
  deviceKey = device.json().api_key;
});
afterAll(async () => t.close());

const rotate = (headers: Record<string, string>, withCookie = true) =>
  t.app.inject({
    method: "POST",
    url: "/api/v1/devices/pos-csrf-1/api-key/rotate",
    headers: { "content-type": "text/plain", ...headers },
    ...(withCookie ? { cookies: { access_token: admin.token } } : {}),
    payload: "x=1",
  });

describe("cross-site requests with the session cookie", () => {
  it("a form posted from another origin (even another port of this host) is refused, nothing changes", async () => {
    const before = await t.app.inject({ method: "GET", url: "/api/v1/devices/pos-csrf-1", headers: admin.headers });
    for (const headers of <Record<string, string>[]>[
      { origin: "http://localhost:9999", host: "localhost:8000", "sec-fetch-site": "same-site" },
      { origin: "http://evil.example", host: "localhost:8000" },
      { "sec-fetch-site": "cross-site", host: "localhost:8000" },
      { origin: "null", host: "localhost:8000" },
    ]) {
      const res = await rotate(headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().detail).toMatch(/Cross-site request refused/);
    }
    const after = await t.app.inject({ method: "GET", url: "/api/v1/devices/pos-csrf-1", headers: admin.headers });
    expect(after.json()).toEqual(before.json());
    // The body-less logout too: a cross-site page cannot end (and so revoke) the session.
    const logout = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/logout",
      headers: { origin: "http://evil.example", host: "localhost:8000" },
      cookies: { access_token: admin.token },
    });
    expect(logout.statusCode).toBe(403);
  });

  it("the dashboard's own requests pass: same origin, or no browser headers at all", async () => {
    const same = await rotate({
      origin: "http://localhost:8000",
      host: "localhost:8000",
      "sec-fetch-site": "same-origin",
    });
    expect(same.statusCode).toBe(200);
    const script = await rotate({ host: "localhost:8000" });
    expect(script.statusCode).toBe(200);
  });

  it("bearer-token and device-key requests are not affected", async () => {
    const bearer = await rotate({ ...admin.headers, origin: "http://evil.example", host: "localhost:8000" }, false);
    expect(bearer.statusCode).toBe(200);
    const key = bearer.json().data?.api_key ?? bearer.json().api_key;
    deviceKey = typeof key === "string" ? key : deviceKey;
    const health = await t.app.inject({
      method: "POST",
      url: "/api/v1/devices/pos-csrf-1/health",
      headers: { "x-device-id": "pos-csrf-1", "x-api-key": deviceKey, origin: "http://evil.example" },
      payload: { status: "healthy" },
    });
    expect(health.statusCode).toBeLessThan(300);
  });

  it("a trusted origin (HOMEPOT_TRUSTED_ORIGINS, e.g. a reverse proxy's URL) may", () => {
    const config = testConfig({ HOMEPOT_TRUSTED_ORIGINS: "https://homepot.example.com/, http://10.0.0.5:8080" });
    expect(config.trustedOrigins).toEqual(["https://homepot.example.com", "http://10.0.0.5:8080"]);
    const request = (origin: string) =>
      ({ headers: { origin, host: "127.0.0.1:8000", "sec-fetch-site": "same-origin" } }) as unknown as FastifyRequest;
    expect(crossSiteReason(request("https://homepot.example.com"), config.trustedOrigins)).toBeUndefined();
    expect(crossSiteReason(request("https://evil.example.com"), config.trustedOrigins)).toBe("Origin is another site");
    expect(() => testConfig({ HOMEPOT_TRUSTED_ORIGINS: "homepot.example.com" })).toThrow(/HOMEPOT_TRUSTED_ORIGINS/);
  });
});

describe("framing and content security policy", () => {
  it("every answer refuses to be framed", async () => {
    for (const url of ["/health", "/api/v1/auth/me", "/api/v1/nope"]) {
      const res = await t.app.inject({ method: "GET", url });
      expect(res.headers["x-frame-options"], url).toBe("DENY");
      expect(res.headers["content-security-policy"], url).toContain("frame-ancestors 'none'");
      expect(res.headers["x-content-type-options"], url).toBe("nosniff");
    }
  });

  it("the dashboard's policy allows only its own scripts, and the inline theme script by its hash", () => {
    const dir = mkdtempSync(join(tmpdir(), "homepot-csp-"));
    writeFileSync(
      join(dir, "index.html"),
      '<html><head><script>var a = 1;</script><script type="module" src="/assets/x.js"></script></head></html>',
    );
    const csp = dashboardCsp(dir);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'sha256-");
    expect(csp.match(/'sha256-/g)).toHaveLength(1);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
