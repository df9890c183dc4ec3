import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.ts";
import { mapOidcRole } from "./users/oidc-sign-in.ts";

const load = (env: Record<string, string>) =>
  loadConfig({ HOMEPOT_DATA_DIR: mkdtempSync(join(tmpdir(), "homepot-config-")), ...env });
const ISSUER = { HOMEPOT_OIDC_ISSUER: "https://id.example.com/realms/shop/", HOMEPOT_OIDC_CLIENT_ID: "homepot" };

describe("single sign-on configuration (HOMEPOT_OIDC_*)", () => {
  it("is off without an issuer, and fills in the defaults with one", () => {
    expect(load({}).oidc).toBeNull();
    expect(load({ ...ISSUER, PORT: "8080" }).oidc).toEqual({
      issuer: "https://id.example.com/realms/shop",
      clientId: "homepot",
      clientSecret: undefined,
      redirectUrl: "http://127.0.0.1:8080/api/v1/auth/oidc/callback",
      scopes: "openid email profile",
      allowedDomains: [],
      roleMapping: null,
      name: "single sign-on",
      tenant: null,
    });
  });

  it("derives the redirect URL from the public origin and reads domains and the role map", () => {
    const c = load({
      ...ISSUER,
      HOMEPOT_TRUSTED_ORIGINS: "https://homepot.example.com",
      HOMEPOT_OIDC_ALLOWED_DOMAINS: "Shop.example, @example.org",
      HOMEPOT_OIDC_ROLE_CLAIM: "roles",
      HOMEPOT_OIDC_ROLE_MAP: "homepot-admins=admin, pos-ops=operator",
    }).oidc;
    expect(c).toMatchObject({
      redirectUrl: "https://homepot.example.com/api/v1/auth/oidc/callback",
      allowedDomains: ["shop.example", "example.org"],
      roleMapping: { claim: "roles", map: { "homepot-admins": "admin", "pos-ops": "operator" } },
    });
    expect(load({ ...ISSUER, HOMEPOT_OIDC_ROLE_MAP: "x=viewer" }).oidc?.roleMapping?.claim).toBe("groups");
  });

  it.each([
    [{ HOMEPOT_OIDC_CLIENT_ID: "homepot" }, "HOMEPOT_OIDC_CLIENT_ID: needs HOMEPOT_OIDC_ISSUER"],
    [{ HOMEPOT_OIDC_ISSUER: "https://id.example.com" }, "HOMEPOT_OIDC_CLIENT_ID: required"],
    [{ ...ISSUER, HOMEPOT_OIDC_ISSUER: "http://id.example.com" }, "HOMEPOT_OIDC_ISSUER: must be https://"],
    [{ ...ISSUER, HOMEPOT_OIDC_ROLE_MAP: "admins=root" }, "HOMEPOT_OIDC_ROLE_MAP"],
    [{ ...ISSUER, HOMEPOT_OIDC_ROLE_CLAIM: "groups" }, "HOMEPOT_OIDC_ROLE_MAP: required"],
    [{ ...ISSUER, HOMEPOT_OIDC_ALLOWED_DOMAINS: "not a domain" }, "HOMEPOT_OIDC_ALLOWED_DOMAINS"],
    [{ ...ISSUER, HOMEPOT_OIDC_SCOPES: "email profile" }, "HOMEPOT_OIDC_SCOPES: must include openid"],
    [{ ...ISSUER, HOMEPOT_OIDC_REDIRECT_URL: "/callback" }, "HOMEPOT_OIDC_REDIRECT_URL"],
  ])("stops with a message naming the variable for %o", (env, message) => {
    expect(() => load(env)).toThrowError(ConfigError);
    expect(() => load(env)).toThrowError(message);
  });

  it("maps the claim's values to the highest role they give, else viewer", () => {
    const map = { "homepot-admins": "admin", "pos-ops": "operator" } as const;
    expect(mapOidcRole(["pos-ops", "homepot-admins"], map)).toBe("admin");
    expect(mapOidcRole("pos-ops", map)).toBe("operator");
    expect(mapOidcRole(["other", 3], map)).toBe("viewer");
    expect(mapOidcRole(undefined, map)).toBe("viewer");
    expect(mapOidcRole(["toString", "__proto__"], map)).toBe("viewer");
  });
});
