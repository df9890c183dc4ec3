import type { FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { type DraftField, DraftFields } from "../components/ui/draft-form.tsx";
import { Button, ErrorMessage } from "../components/ui/index.tsx";
import { useForm } from "../components/ui/use-form.ts";
import { useSignupInfo } from "../features/users/signup-info.tsx";
import { call } from "../lib/api.ts";
import { useAuth } from "../lib/auth.tsx";
import { useAction } from "../lib/use-action.ts";

const FIELDS: DraftField<"email" | "username" | "full_name" | "password">[] = [
  { key: "email", name: "email", label: "Email", type: "email", autoComplete: "email", required: true },
  {
    key: "username",
    name: "username",
    label: "Username",
    hint: "Optional; letters, digits, _ . -",
    autoComplete: "username",
  },
  { key: "full_name", name: "full_name", label: "Full name", hint: "Optional", autoComplete: "name" },
  {
    key: "password",
    name: "password",
    label: "Password",
    hint: "At least 8 characters, not a common password",
    type: "password",
    autoComplete: "new-password",
    required: true,
    minLength: 8,
  },
];

/** Sign-up, with the invitation token of an admin's link (`/signup?invite=…`); a new account goes straight in. */
export default function SignupPage() {
  const navigate = useNavigate();
  const { user, refresh } = useAuth();
  const [params] = useSearchParams();
  const invite = params.get("invite") ?? undefined;
  const info = useSignupInfo();
  const signUp = useAction();
  const { form, patch, fieldError } = useForm({ email: "", password: "", username: "", full_name: "" }, signUp.error);

  if (user) return <Navigate to="/" replace />;
  const closed = info && !invite && !info.first_signup_admin && info.mode !== "open";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signUp.run(async () => {
      await call("POST /auth/signup", {
        body: {
          email: form.email,
          password: form.password,
          username: form.username || undefined,
          full_name: form.full_name || undefined,
          invite_token: invite,
        },
      });
      // The answer set the session cookie: load the user and go in.
      await refresh();
      navigate("/", { replace: true });
    });
  };

  return (
    <AuthForm id="signup-form" title="Create an account" onSubmit={submit}>
      {info?.first_signup_admin ? (
        <div className="alert alert-warn" id="first-admin-note">
          This server has no admin yet: this account will be its admin.
        </div>
      ) : invite ? (
        <p className="muted">You were invited: your account gets the role the admin chose.</p>
      ) : (
        <p className="muted">New accounts are viewers; an admin can give you more rights.</p>
      )}
      {closed && (
        <div className="alert alert-warn" id="signup-closed">
          {info.mode === "off"
            ? "Sign-up is disabled on this server; an admin creates accounts."
            : "Sign-up needs an invitation: open the invitation link an admin sent you."}
        </div>
      )}
      <ErrorMessage error={signUp.error} what="Sign-up" />
      <DraftFields fields={FIELDS} draft={form} set={patch} errorOf={fieldError} />
      <Button
        id="signup-submit"
        type="submit"
        variant="primary"
        disabled={signUp.pending || closed || !form.email || form.password.length < 8}
      >
        {signUp.pending ? "Creating…" : "Sign up"}
      </Button>
      <p className="muted">
        Already have an account? <Link to="/login">Sign in</Link>
      </p>
    </AuthForm>
  );
}
