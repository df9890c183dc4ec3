import type { SignupInfoResponse } from "@homepot/contracts/auth";
import { Link } from "react-router";
import type { z } from "zod";
import { useEndpoint } from "../../lib/use-api.ts";

export type SignupInfo = z.infer<typeof SignupInfoResponse>["data"];

/** How accounts are made on this server (HOMEPOT_SIGNUP, HOMEPOT_FIRST_SIGNUP_ADMIN); undefined while loading. */
export function useSignupInfo(): SignupInfo | undefined {
  return useEndpoint("GET /auth/signup-info", {}).data?.data;
}

/** Under the login form: how to get an account here, and on a fresh install how to get the first admin. */
export function AccountHelp({ info }: { info: SignupInfo | undefined }) {
  if (!info) return null;
  return (
    <>
      {!info.has_admin && (
        <div className="alert alert-warn" id="no-admin-hint">
          {info.first_signup_admin ? (
            <>
              This server has no admin yet: the <Link to="/signup">first account signed up</Link> becomes admin.
            </>
          ) : (
            <>
              This server has no admin yet. Whoever runs it can create one: set <code>HOMEPOT_ADMIN_EMAIL</code> and{" "}
              <code>HOMEPOT_ADMIN_PASSWORD</code> and restart, or run{" "}
              <code>npx homepot user create --email you@example.com --role admin</code>, or start once with{" "}
              <code>HOMEPOT_FIRST_SIGNUP_ADMIN=on</code> to make the first sign-up admin.
            </>
          )}
        </div>
      )}
      <p className="muted" id="account-help">
        {info.mode === "open" ? (
          <>
            No account? <Link to="/signup">Sign up</Link>
          </>
        ) : info.mode === "invite" ? (
          "No account? Ask an admin for an invitation link."
        ) : (
          "Accounts are created by an admin."
        )}
      </p>
    </>
  );
}
