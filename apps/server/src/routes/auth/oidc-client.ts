import { createHash } from "node:crypto";
import { BadRequestError, type OidcConfig, type OidcIdentity, UpstreamError } from "@homepot/core";
import { EncryptJWT, jwtDecrypt } from "jose";
import * as client from "openid-client";

/** The sign-in attempt kept between the redirect to the provider and its return, encrypted in a cookie. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  next: string;
}

export const FLOW_COOKIE = "oidc_flow";
/** How long a started sign-in may take at the provider. */
export const FLOW_TTL_S = 600;

const yes = (v: unknown) => v === true || v === "true" || v === 1 || v === "1";
/**
 * Whether the provider vouches for the address: `email_verified`, or where a provider never sends it (Microsoft
 * Entra ID for organisational accounts) its optional `xms_edov` claim (the address's domain is verified by the
 * directory's owner).
 */
const verified = (claims: Record<string, unknown>) =>
  claims.email_verified === undefined ? yes(claims.xms_edov) : yes(claims.email_verified);

/** A provider's refusal or a failed check, said without its tokens, codes or secrets. */
export class OidcProblem extends BadRequestError {}

/**
 * The relying party of one provider (openid-client): authorization code with PKCE (S256), state and nonce. The
 * provider's metadata is discovered on first use (and again after a failure, so a provider down at start is fine).
 */
export class OidcClient {
  private discovered: Promise<client.Configuration> | undefined;
  private readonly flowKey: Uint8Array;

  constructor(
    readonly config: OidcConfig,
    secret: string,
  ) {
    this.flowKey = createHash("sha256").update(`homepot-oidc-flow:${secret}`).digest();
  }

  private provider(): Promise<client.Configuration> {
    this.discovered ??= client
      .discovery(new URL(this.config.issuer), this.config.clientId, this.config.clientSecret, undefined, {
        // Plain http is accepted by the config only for a provider on this machine (127.0.0.1, localhost).
        execute: this.config.issuer.startsWith("http://") ? [client.allowInsecureRequests] : [],
        timeout: 10,
      })
      .catch((error: unknown) => {
        this.discovered = undefined;
        throw new UpstreamError(
          `The sign-in provider at ${this.config.issuer} did not answer its discovery document (${(error as Error).name})`,
        );
      });
    return this.discovered;
  }

  /** The provider's authorization URL, and the encrypted cookie that remembers this attempt. */
  async start(next: string): Promise<{ url: string; cookie: string }> {
    const provider = await this.provider();
    const flow: Flow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
    };
    const url = client.buildAuthorizationUrl(provider, {
      redirect_uri: this.config.redirectUrl,
      scope: this.config.scopes,
      response_type: "code",
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: "S256",
      state: flow.state,
      nonce: flow.nonce,
    });
    const cookie = await new EncryptJWT({ ...flow })
      .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
      .setIssuedAt()
      .setExpirationTime(`${FLOW_TTL_S}s`)
      .encrypt(this.flowKey);
    return { url: url.href, cookie };
  }

  /** The attempt the cookie remembers; 400 when it is missing, expired, tampered with or for another state. */
  private async flow(cookie: string | undefined, state: string | undefined): Promise<Flow> {
    const restart = "start the sign-in again from the login page";
    if (!cookie)
      throw new OidcProblem(`No single sign-on in progress in this browser (or it expired); ${restart}`, "state");
    let flow: Flow;
    try {
      flow = (await jwtDecrypt(cookie, this.flowKey)).payload as unknown as Flow;
    } catch {
      throw new OidcProblem(`The single sign-on attempt expired or is not valid; ${restart}`, "state");
    }
    if (!state || state !== flow.state)
      throw new OidcProblem(`The state does not match this browser's sign-in attempt; ${restart}`, "state");
    return flow;
  }

  /**
   * Completes the sign-in: checks state, exchanges the code (with the PKCE verifier), verifies the ID token
   * (signature, issuer, audience, expiry, nonce) and reads the identity; userinfo fills in missing claims.
   */
  async finish(
    query: Record<string, unknown>,
    cookie: string | undefined,
  ): Promise<{ identity: OidcIdentity; next: string }> {
    const state = typeof query.state === "string" ? query.state : undefined;
    const flow = await this.flow(cookie, state);
    if (typeof query.error === "string")
      throw new OidcProblem(`${this.config.name} refused the sign-in: ${query.error.slice(0, 100)}`, "error");
    const provider = await this.provider();
    const current = new URL(this.config.redirectUrl);
    for (const [key, value] of Object.entries(query))
      if (typeof value === "string") current.searchParams.set(key, value);
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(provider, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      // The library's messages name the failed check, never a token; the provider's own error code is kept.
      const code = (error as { error?: unknown }).error;
      const said = typeof code === "string" ? `${code}` : (error as Error).message.slice(0, 200);
      throw new OidcProblem(`${this.config.name} sign-in could not be completed: ${said}`, "code");
    }
    const claims = tokens.claims();
    if (!claims) throw new OidcProblem(`${this.config.name} sent no ID token`, "code");
    let merged: Record<string, unknown> = { ...claims };
    const roleClaim = this.config.roleMapping?.claim;
    const missing = claims.email === undefined || (roleClaim !== undefined && claims[roleClaim] === undefined);
    if (missing && provider.serverMetadata().userinfo_endpoint) {
      const info = await client.fetchUserInfo(provider, tokens.access_token, claims.sub).catch((error: unknown) => {
        throw new UpstreamError(`${this.config.name} did not answer its userinfo: ${(error as Error).name}`);
      });
      merged = { ...info, ...claims };
    }
    return {
      next: flow.next,
      identity: {
        issuer: claims.iss,
        subject: claims.sub,
        email: typeof merged.email === "string" ? merged.email : undefined,
        emailVerified: verified(merged),
        name: typeof merged.name === "string" ? merged.name : undefined,
        preferredUsername: typeof merged.preferred_username === "string" ? merged.preferred_username : undefined,
        roleClaim: roleClaim ? merged[roleClaim] : undefined,
      },
    };
  }
}
