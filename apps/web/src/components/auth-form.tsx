import type { FormEvent, ReactNode } from "react";

/** The signed-out pages' frame: the brand, a heading and one form (sign-in, sign-up). */
export function AuthForm({
  id,
  title,
  onSubmit,
  children,
}: {
  id: string;
  title: string;
  onSubmit: (e: FormEvent) => void;
  children: ReactNode;
}) {
  return (
    <div className="auth-page">
      <form className="auth-card" id={id} onSubmit={onSubmit} noValidate>
        <div className="brand brand-large">
          <span className="brand-dot" aria-hidden /> HOMEPOT
        </div>
        <h1>{title}</h1>
        {children}
      </form>
    </div>
  );
}
