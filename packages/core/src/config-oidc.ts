import { z } from "zod";
import type { Role } from "./context.ts";

/** Single sign-on with OpenID Connect: the HOMEPOT_OIDC_* variables (all optional; the issuer switches it on). */
export const oidcEnv = {
  HOMEPOT_OIDC_ISSUER: z
    .string()
    .url("must be the provider's issuer URL, e.g. https://accounts.google.com")
    .transform((v) => v.replace(/\/+$/, ""))
    .refine(
      (v) => v.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(v),
      "must be https:// (plain http only on this machine: 127.0.0.1 or localhost)",
    )
    .optional(),
  HOMEPOT_OIDC_CLIENT_ID: z.string().min(1).max(500).optional(),
  HOMEPOT_OIDC_CLIENT_SECRET: z.string().min(1).max(2000).optional(),
  HOMEPOT_OIDC_REDIRECT_URL: z
    .string()
    .regex(/^https?:\/\/[^/]+\/\S*$/, "must be an http(s):// URL ending in /api/v1/auth/oidc/callback")
    .optional(),
  HOMEPOT_OIDC_SCOPES: z
    .string()
    .regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, "must be scopes separated by single spaces")
    .optional(),
  HOMEPOT_OIDC_ALLOWED_DOMAINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, "each must be an e-mail domain like example.com")))
    .optional(),
  HOMEPOT_OIDC_ROLE_CLAIM: z.string().min(1).max(200).optional(),
  HOMEPOT_OIDC_ROLE_MAP: z
    .string()
    .transform((v) => v.split(",").map((pair) => pair.trim()))
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[^=]+=(admin|operator|installer|viewer)$/,
            "must be claim-value=role pairs separated by commas, e.g. homepot-admins=admin,pos-ops=operator",
          ),
      ),
    )
    .optional(),
  HOMEPOT_OIDC_NAME: z.string().min(1).max(60).optional(),
  /** The slug of the tenant people signing in join (with their mapped role); unset: the default tenant. */
  HOMEPOT_OIDC_TENANT: z.string().trim().min(1).max(50).optional(),
};

type OidcEnv = { [K in keyof typeof oidcEnv]?: z.infer<(typeof oidcEnv)[K]> };

export interface OidcConfig {
  issuer: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret: string | undefined;
  redirectUrl: string;
  scopes: string;
  /** Lower-case e-mail domains allowed to sign in; empty = any. */
  allowedDomains: string[];
  /** The claim whose values map to roles (`groups`), and the mapping; null = roles are managed in HOMEPOT. */
  roleMapping: { claim: string; map: Record<string, Role> } | null;
  /** The login button's label: "Sign in with <name>". */
  name: string;
  /** The slug of the tenant single sign-on users belong to (their mapped role applies there); null: default. */
  tenant: string | null;
}

export const OIDC_CALLBACK_PATH = "/api/v1/auth/oidc/callback";

/** The OIDC settings, or null when HOMEPOT_OIDC_ISSUER is unset; returns the problems (variable: message) instead. */
export function oidcConfig(
  e: OidcEnv,
  server: { host: string; port: number; trustedOrigins: string[] },
): OidcConfig | null | string[] {
  const problems: string[] = [];
  if (!e.HOMEPOT_OIDC_ISSUER) {
    for (const name of Object.keys(oidcEnv) as (keyof OidcEnv)[])
      if (e[name] !== undefined) problems.push(`${name}: needs HOMEPOT_OIDC_ISSUER (single sign-on is off without it)`);
    return problems.length ? problems : null;
  }
  if (!e.HOMEPOT_OIDC_CLIENT_ID) problems.push("HOMEPOT_OIDC_CLIENT_ID: required with HOMEPOT_OIDC_ISSUER");
  if (e.HOMEPOT_OIDC_ROLE_CLAIM && !e.HOMEPOT_OIDC_ROLE_MAP)
    problems.push("HOMEPOT_OIDC_ROLE_MAP: required with HOMEPOT_OIDC_ROLE_CLAIM (which claim value gives which role)");
  if (e.HOMEPOT_OIDC_SCOPES && !e.HOMEPOT_OIDC_SCOPES.split(" ").includes("openid"))
    problems.push("HOMEPOT_OIDC_SCOPES: must include openid");
  if (problems.length) return problems;
  const map: Record<string, Role> = {};
  for (const pair of e.HOMEPOT_OIDC_ROLE_MAP ?? []) {
    const at = pair.lastIndexOf("=");
    map[pair.slice(0, at).trim()] = pair.slice(at + 1) as Role;
  }
  // Behind a proxy the public origin is the first trusted origin; otherwise the address the server listens on.
  const host = server.host === "0.0.0.0" || server.host === "::" ? "127.0.0.1" : server.host;
  const origin = server.trustedOrigins[0] ?? `http://${host}:${server.port}`;
  return {
    issuer: e.HOMEPOT_OIDC_ISSUER,
    clientId: e.HOMEPOT_OIDC_CLIENT_ID ?? "",
    clientSecret: e.HOMEPOT_OIDC_CLIENT_SECRET,
    redirectUrl: e.HOMEPOT_OIDC_REDIRECT_URL ?? `${origin}${OIDC_CALLBACK_PATH}`,
    scopes: e.HOMEPOT_OIDC_SCOPES ?? "openid email profile",
    allowedDomains: e.HOMEPOT_OIDC_ALLOWED_DOMAINS ?? [],
    roleMapping: e.HOMEPOT_OIDC_ROLE_MAP ? { claim: e.HOMEPOT_OIDC_ROLE_CLAIM ?? "groups", map } : null,
    name: e.HOMEPOT_OIDC_NAME ?? "single sign-on",
    tenant: e.HOMEPOT_OIDC_TENANT?.toLowerCase() ?? null,
  };
}
