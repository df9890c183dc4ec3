import type { ReactNode } from "react";
import { Link } from "react-router";
import { type Need, useAuth, useCan } from "../lib/auth.tsx";
import { PageHeader } from "./ui/index.tsx";

const PLURAL: Record<Need, string> = {
  inventory: "every signed-in user",
  viewer: "viewers, operators and admins",
  installer: "installers, operators and admins",
  operator: "operators and admins",
  analyze: "operators and admins",
  admin: "admins",
  platform: "platform admins",
};

/**
 * A page only those with `least` may use. Without it, the page is not rendered at all (so it makes no request the
 * server would refuse); the user reads who the page is for instead.
 */
export function RequireRole({ least, title, children }: { least: Need; title: string; children: ReactNode }) {
  const allowed = useCan(least);
  const { user } = useAuth();
  if (allowed) return <>{children}</>;
  const home = user?.role === "installer" ? { to: "/devices", label: "devices" } : { to: "/", label: "overview" };
  return (
    <>
      <PageHeader title={title} />
      <div className="alert alert-warn" role="alert" id="no-access">
        This page is for {PLURAL[least]}. You are signed in as {/^[aeiou]/.test(user?.role ?? "") ? "an" : "a"}{" "}
        {user?.role}; an admin can change your role.
      </div>
      <Link to={home.to}>Back to the {home.label}</Link>
    </>
  );
}
