import { type FormEvent, useState } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { Button, ErrorMessage, Field, Input } from "../components/ui/index.tsx";
import { useSignupInfo } from "../features/users/signup-info.tsx";
import { ApiError, post } from "../lib/api.ts";
import { useAuth } from "../lib/auth.tsx";

/** Sign-up, with the invitation token of an admin's link (`/signup?invite=…`); a new account goes straight in. */
export default function SignupPage() {
  const navigate = useNavigate();
  const { user, refresh } = useAuth();
  const [params] = useSearchParams();
  const invite = params.get("invite") ?? undefined;
  const info = useSignupInfo();
  const [form, setForm] = useState({ email: "", password: "", username: "", full_name: "" });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const fieldError = (name: string) => error?.fields.find((f) => f.field === name)?.message;

  if (user) return <Navigate to="/" replace />;
  const closed = info && !invite && !info.first_signup_admin && info.mode !== "open";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await post("/auth/signup", {
        email: form.email,
        password: form.password,
        username: form.username || undefined,
        full_name: form.full_name || undefined,
        invite_token: invite,
      });
      // The answer set the session cookie: load the user and go in.
      await refresh();
      navigate("/", { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, String(err)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="auth-page">
      <form className="auth-card" id="signup-form" onSubmit={submit} noValidate>
        <div className="brand brand-large">
          <span className="brand-dot" aria-hidden /> HOMEPOT
        </div>
        <h1>Create an account</h1>
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
        <ErrorMessage error={error} what="Sign-up" />
        <Field label="Email" error={fieldError("email")}>
          {(id) => (
            <Input id={id} type="email" autoComplete="email" required value={form.email} onChange={set("email")} />
          )}
        </Field>
        <Field label="Username" hint="Optional; letters, digits, _ . -" error={fieldError("username")}>
          {(id) => <Input id={id} autoComplete="username" value={form.username} onChange={set("username")} />}
        </Field>
        <Field label="Full name" hint="Optional" error={fieldError("full_name")}>
          {(id) => <Input id={id} autoComplete="name" value={form.full_name} onChange={set("full_name")} />}
        </Field>
        <Field label="Password" hint="At least 8 characters, not a common password" error={fieldError("password")}>
          {(id) => (
            <Input
              id={id}
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              value={form.password}
              onChange={set("password")}
            />
          )}
        </Field>
        <Button
          id="signup-submit"
          type="submit"
          variant="primary"
          disabled={busy || closed || !form.email || form.password.length < 8}
        >
          {busy ? "Creating…" : "Sign up"}
        </Button>
        <p className="muted">
          Already have an account? <Link to="/login">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
