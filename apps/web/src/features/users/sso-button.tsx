import { useEndpoint } from "../../lib/use-api.ts";

/**
 * "Sign in with <provider>" under the password form when single sign-on is configured (HOMEPOT_OIDC_*): a plain
 * link, since the server answers with a redirect to the provider and the provider sends the browser back.
 */
export function SsoButton({ next }: { next: string }) {
  const sso = useEndpoint("GET /auth/oidc/config", {}).data?.data;
  if (!sso?.enabled || !sso.login_url) return null;
  const href = next === "/" ? sso.login_url : `${sso.login_url}?next=${encodeURIComponent(next)}`;
  return (
    <>
      <div className="auth-divider" aria-hidden>
        or
      </div>
      <a id="oidc-login" className="btn btn-secondary auth-sso" href={href}>
        Sign in with {sso.name}
      </a>
    </>
  );
}
