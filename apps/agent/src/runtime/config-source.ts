import type { ApiClient } from "./api.ts";

/** A config download the device refuses or could not complete; the message never quotes what a host answered. */
export class ConfigSourceError extends Error {}

const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

/**
 * Normalises the device's own allow-list of extra config hosts (`--config-hosts a.example,b.example:8443`).
 * An entry is a host name or IP with an optional port; without a port it allows the scheme's default port
 * only. Throws on an entry that is not a bare host (a URL, a path, user info).
 */
export function parseConfigHosts(value: string | undefined): string[] {
  if (!value) return [];
  const hosts: string[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    let url: URL;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      throw new ConfigSourceError(`"${entry}" is not a host name (expected host or host:port)`);
    }
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password || !/^[^/?#@]+$/.test(entry))
      throw new ConfigSourceError(`"${entry}" is not a host name (expected host or host:port)`);
    // `host:80` and `host:443` mean the default port of http and https respectively.
    hosts.push(url.port === "443" ? url.hostname : url.host);
  }
  return hosts;
}

/**
 * Where UPDATE_CONFIG may fetch from: the origin of the server this device is enrolled with (relative URLs
 * resolve there), or a host on the device's own allow-list. Anything else is refused before any request, so
 * an operator cannot make the device reach into its network.
 */
export function allowedConfigUrl(target: string, api: ApiClient, allowedHosts: readonly string[]): URL {
  let url: URL;
  try {
    url = new URL(api.url(target));
  } catch {
    throw new ConfigSourceError("config_url is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ConfigSourceError(`config_url must be http(s), got ${url.protocol}`);
  if (url.username || url.password) throw new ConfigSourceError("config_url must not carry credentials");
  if (api.sameOrigin(url.toString()) || allowedHosts.includes(url.host)) return url;
  throw new ConfigSourceError(
    `config_url host ${url.host} is not this device's server; the device allows other hosts only when listed in its --config-hosts`,
  );
}

/**
 * Downloads a JSON object config. Redirects are followed by hand, at most 3, and only to allowed URLs; the
 * device key goes only to the server's own origin. Errors name the step, never the remote answer, and a
 * host that cannot be reached gives one message whatever the cause (no port-scanner oracle).
 */
export async function downloadConfig(
  target: string,
  api: ApiClient,
  allowedHosts: readonly string[],
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  let url = allowedConfigUrl(target, api, allowedHosts);
  const signal = AbortSignal.timeout(timeoutMs);
  for (let hop = 0; ; hop++) {
    const headers = api.sameOrigin(url.toString()) ? api.deviceHeaders() : {};
    let res: Response;
    try {
      res = await fetch(url, { headers: { ...headers, accept: "application/json" }, redirect: "manual", signal });
    } catch {
      throw new ConfigSourceError(`download failed: ${url.host} did not answer`);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      const location = res.headers.get("location");
      if (!location || hop >= MAX_REDIRECTS)
        throw new ConfigSourceError("download failed: too many or empty redirects");
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ConfigSourceError("download failed: redirect to an invalid URL");
      }
      try {
        url = allowedConfigUrl(next.toString(), api, allowedHosts);
      } catch {
        throw new ConfigSourceError("download failed: redirected to a host this device does not allow");
      }
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new ConfigSourceError(`download failed: HTTP ${res.status}`);
    }
    const text = await readCapped(res, MAX_CONFIG_BYTES);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigSourceError("config is not valid JSON");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new ConfigSourceError("config must be a JSON object");
    return parsed as Record<string, unknown>;
  }
}

/** The body as text, refusing (without reading on) one larger than `max` bytes. */
async function readCapped(res: Response, max: number): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        throw new ConfigSourceError("config is larger than 1 MiB");
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ConfigSourceError) throw error;
    throw new ConfigSourceError("download failed: the connection broke");
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
