import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { ForbiddenError } from "@homepot/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { COOKIE_NAME } from "./auth.ts";
import { webDist } from "./static.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A browser attaches the session cookie to requests other sites make (a text/plain form POST needs no CORS
 * preflight). So a state-changing request authenticated by the cookie must come from our own pages: its
 * Sec-Fetch-Site is same-origin (or none: typed by the user), and its Origin, when sent, is this server.
 * Bearer-token and device-key requests cannot be forged that way and are not checked; clients that send neither
 * header (curl, scripts) are not browsers and pass.
 */
export function crossSiteReason(request: FastifyRequest, trustedOrigins: readonly string[]): string | undefined {
  const fetchSite = request.headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && fetchSite !== "same-origin" && fetchSite !== "none") {
    return `Sec-Fetch-Site is ${fetchSite}`;
  }
  const origin = request.headers.origin;
  if (typeof origin !== "string") return undefined;
  if (trustedOrigins.includes(origin)) return undefined;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return "Origin is not a URL";
  }
  return host === request.headers.host ? undefined : "Origin is another site";
}

/** SHA-256 sources of the inline scripts of the built index.html (the theme script), for the CSP. */
function inlineScriptHashes(root: string): string[] {
  const file = `${root}/index.html`;
  if (!existsSync(file)) return [];
  const html = readFileSync(file, "utf8");
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)) {
    hashes.push(
      `'sha256-${createHash("sha256")
        .update(match[1] ?? "", "utf8")
        .digest("base64")}'`,
    );
  }
  return hashes;
}

/** The dashboard's policy: only its own files; React sets styles through the DOM, charts use inline style attributes. */
export function dashboardCsp(root = webDist): string {
  return [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes(root).join(" ")}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** CSRF check for cookie sessions, and headers that keep every answer out of frames and sniffing. */
export function registerBrowserSecurity(app: FastifyInstance, trustedOrigins: readonly string[] = []): void {
  // Callback-style hooks (a throw is the hook's error): no promise per request on every route.
  app.addHook("onRequest", (request, _reply, done) => {
    // a bearer token is never attached by the browser on its own
    if (!SAFE_METHODS.has(request.method) && !request.headers.authorization && request.cookies?.[COOKIE_NAME]) {
      const reason = crossSiteReason(request, trustedOrigins);
      if (reason)
        throw new ForbiddenError(`Cross-site request refused (${reason}); use the dashboard or a bearer token`);
    }
    done();
  });

  const pageCsp = dashboardCsp();
  app.addHook("onSend", (request, reply, payload, done) => {
    reply.header("x-frame-options", "DENY");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    if (!reply.hasHeader("content-security-policy")) {
      const html = String(reply.getHeader("content-type") ?? "").startsWith("text/html");
      const docs = request.url.startsWith("/docs");
      reply.header("content-security-policy", html && !docs ? pageCsp : "frame-ancestors 'none'");
    }
    done(null, payload);
  });
}
