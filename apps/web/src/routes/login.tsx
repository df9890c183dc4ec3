import { type FormEvent, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { AuthForm } from "../components/auth-form.tsx";
import { Button, ErrorMessage, TextField } from "../components/ui/index.tsx";
import { AccountHelp, useSignupInfo } from "../features/users/signup-info.tsx";
import { SsoButton } from "../features/users/sso-button.tsx";
import { useAuth } from "../lib/auth.tsx";
import { useAction } from "../lib/use-action.ts";

/** Only same-app paths after login (an open redirect would hand the session page to another site). */
function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

export default function LoginPage() {
  const { user, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useAction();
  const next = safeNext(params.get("next"));
  const signupInfo = useSignupInfo();

  if (user) return <Navigate to={next} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void signIn.run(async () => {
      await login(email, password);
      navigate(next, { replace: true });
    });
  };

  return (
    <AuthForm id="login-form" title="Sign in" onSubmit={submit}>
      <ErrorMessage error={signIn.error} what="Sign-in" />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onValue={setEmail}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onValue={setPassword}
      />
      <Button id="login-submit" type="submit" variant="primary" disabled={signIn.pending || !email || !password}>
        {signIn.pending ? "Signing in…" : "Sign in"}
      </Button>
      <SsoButton next={next} />
      <AccountHelp info={signupInfo} />
    </AuthForm>
  );
}
