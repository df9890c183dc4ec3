import type { ReactNode } from "react";
import { Link } from "react-router";
import { type Role, useAuth, useCan } from "../lib/auth.tsx";
import { PageHeader } from "./ui/index.tsx";

const PLURAL: Record<Role | "inventory", string> = {
  inventory: "every signed-in user",
  viewer: "viewers, operators and admins",
  installer: "installers, operators and admins",
  operator: "operators and admins",
  admin: "admins",
};

/**
 * A page only the `least` role and above may use. Below it, the page is not rendered at all (so it makes no request the
 * server would refuse); the user reads who the page is for instead.
 */
export function RequireRole({
  least,
  title,
  children,
}: {
  least: Role | "inventory";
  title: string;
  children: ReactNode;
}) {
  const allowed = useCan(least);
  const { user } = useAuth();
  if (allowed) return <>{children}</>;
  return (
    <>
      <PageHeader title={title} />
      <div className="alert alert-warn" role="alert" id="no-access">
        This page is for {PLURAL[least]}. You are signed in as {user?.role === "admin" ? "an" : "a"} {user?.role}; an
        admin can change your role.
      </div>
      <Link to="/">Back to the overview</Link>
    </>
  );
}
