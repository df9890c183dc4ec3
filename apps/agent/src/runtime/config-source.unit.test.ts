import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "./api.ts";
import { ConfigSourceError, downloadConfig, parseConfigHosts } from "./config-source.ts";

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A plain HTTP server recording what reached it. */
async function host(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { url: string; deviceId: string | undefined; apiKey: string | undefined }[] = [];
  const server = createServer((req, res) => {
    seen.push({
      url: req.url ?? "",
      deviceId: req.headers["x-device-id"] as string | undefined,
      apiKey: req.headers["x-api-key"] as string | undefined,
    });
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, port, seen };
}
/** A port nothing listens on (just released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}
const json = (body: unknown) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};
const redirect = (location: string) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(302, { location });
  res.end();
};
const api = (server: string) => new ApiClient(server, { deviceId: "dev-1", apiKey: "hpk_secret" });

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigSourceError);
  return (error as Error).message;
}

describe("UPDATE_CONFIG download source", () => {
  it("fetches relative and same-origin URLs from the enrolled server, with the device headers", async () => {
    const server = await host(json({ version: "2.0" }));
    expect(await downloadConfig("/configs/a.json", api(server.url), [])).toEqual({ version: "2.0" });
    expect(await downloadConfig(`${server.url}/configs/b.json`, api(server.url), [])).toEqual({ version: "2.0" });
    expect(server.seen).toEqual([
      { url: "/configs/a.json", deviceId: "dev-1", apiKey: "hpk_secret" },
      { url: "/configs/b.json", deviceId: "dev-1", apiKey: "hpk_secret" },
    ]);
  });

  it("refuses any other host before sending a request, unless the device allow-lists it (then without the key)", async () => {
    const server = await host(json({}));
    const internal = await host(json({ secret: "internal" }));
    for (const target of [
      `${internal.url}/admin`,
      `//${internal.host}/admin`,
      `http://localhost:${internal.port}/admin`,
      `http://user:pw@127.0.0.1:${server.port}/c.json`,
      "file:///etc/passwd",
    ]) {
      const message = await refusal(downloadConfig(target, api(server.url), []));
      expect(message, target).toMatch(/not this device's server|must be http|credentials/);
    }
    expect(internal.seen).toHaveLength(0);
    expect(server.seen).toHaveLength(0);

    expect(await downloadConfig(`${internal.url}/c.json`, api(server.url), [internal.host])).toEqual({
      secret: "internal",
    });
    expect(internal.seen).toEqual([{ url: "/c.json", deviceId: undefined, apiKey: undefined }]);
    // The allow-list names a host and port: the same host on another port stays refused.
    await refusal(downloadConfig(`http://127.0.0.1:${await closedPort()}/`, api(server.url), [internal.host]));
  });

  it("follows redirects only to allowed places, and never to another host", async () => {
    const internal = await host(json({ leaked: true }));
    let location = "";
    const server = await host((req, res) =>
      req.url === "/final.json" ? json({ version: "3.0" })(req, res) : redirect(location)(req, res),
    );
    location = "/final.json";
    expect(await downloadConfig("/start", api(server.url), [])).toEqual({ version: "3.0" });
    location = `${internal.url}/metadata`;
    const message = await refusal(downloadConfig("/start", api(server.url), []));
    expect(message).toBe("download failed: redirected to a host this device does not allow");
    expect(internal.seen).toHaveLength(0);
    location = "/start";
    expect(await refusal(downloadConfig("/start", api(server.url), []))).toBe(
      "download failed: too many or empty redirects",
    );
  });

  it("never echoes what a host answered, and one message for a host that is down whatever the cause", async () => {
    const server = await host((req, res) => {
      if (req.url === "/500") {
        res.writeHead(500);
        return res.end("SSH-2.0-OpenSSH_9.2 internal banner");
      }
      if (req.url === "/big") {
        res.writeHead(200);
        return res.end("x".repeat(1024 * 1024 + 1));
      }
      res.writeHead(200);
      res.end('{"internal": "root:x:0:0" oops');
    });
    expect(await refusal(downloadConfig("/500", api(server.url), []))).toBe("download failed: HTTP 500");
    expect(await refusal(downloadConfig("/text", api(server.url), []))).toBe("config is not valid JSON");
    expect(await refusal(downloadConfig("/big", api(server.url), []))).toBe("config is larger than 1 MiB");
    const closed = await closedPort();
    const down = await refusal(downloadConfig(`http://127.0.0.1:${closed}/`, api(server.url), [`127.0.0.1:${closed}`]));
    expect(down).toBe(`download failed: 127.0.0.1:${closed} did not answer`);
  });

  it("reads the device's allow-list as host or host:port entries", () => {
    expect(parseConfigHosts(undefined)).toEqual([]);
    expect(parseConfigHosts(" CDN.example.com, configs.example:8443 ,[::1]:9000,h:80,h2:443")).toEqual([
      "cdn.example.com",
      "configs.example:8443",
      "[::1]:9000",
      "h",
      "h2",
    ]);
    for (const bad of ["http://x.example", "x.example/path", "user@x.example", "x.example:99999"])
      expect(() => parseConfigHosts(bad), bad).toThrow(ConfigSourceError);
  });
});
