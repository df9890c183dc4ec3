import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Button, ErrorMessage, Field, Input } from "../components/ui/index.tsx";
import { ApiError, post } from "../lib/api.ts";

export default function SignupPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ email: "", password: "", username: "", full_name: "" });
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const fieldError = (name: string) => error?.fields.find((f) => f.field === name)?.message;

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
      });
      navigate("/login?registered=1", { replace: true });
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
        <p className="muted">New accounts are viewers; an admin can give you more rights.</p>
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
        <Field label="Password" hint="At least 8 characters" error={fieldError("password")}>
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
          disabled={busy || !form.email || form.password.length < 8}
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
