import type { MeResponse } from "@homepot/contracts/auth";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { z } from "zod";
import { ApiError, client, onUnauthorized } from "./api.ts";
import { tracker } from "./tracking.ts";

export type User = z.infer<typeof MeResponse>["data"];

interface AuthState {
  user: User | null;
  /** True until the first /auth/me answer is in. */
  checking: boolean;
  login(email: string, password: string): Promise<User>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [checking, setChecking] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const me = await client.call("GET /auth/me");
      setUser(me.data);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) console.warn("session check failed", error);
      setUser(null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthorized(() => setUser(null));
  }, [refresh]);

  // Tracking follows the session: on for a signed-in user, off (and emptied) otherwise.
  useEffect(() => {
    tracker.setUser(user ? user.id : null);
  }, [user]);

  const login = useCallback(async (email: string, password: string) => {
    await client.call("POST /auth/login", { body: { email, password } });
    const me = await client.call("GET /auth/me");
    setUser(me.data);
    return me.data;
  }, []);

  const logout = useCallback(async () => {
    tracker.endPage();
    await tracker.flush();
    try {
      await client.call("POST /auth/logout");
    } finally {
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, checking, login, logout, refresh }), [user, checking, login, logout, refresh]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error("useAuth outside <AuthProvider>");
  return ctx;
}

export type Role = User["role"];
/**
 * What a page or a button needs: a role (and above), or one of the server's permissions that is not a plain rank:
 * "inventory" (the device and site lists: every role), "analyze" (a tenant's analytics: operators and admins) and
 * "platform" (users, tenants, platform-wide analytics: platform admins, users.is_admin).
 */
export type Need = Role | "inventory" | "analyze" | "platform";
const RANK: Record<Role, number> = { viewer: 1, installer: 2, operator: 3, admin: 4 };
/**
 * Whether `user` may do `need` somewhere (the server enforces it per tenant and site; the dashboard only hides what
 * would be refused). `role` is the highest role the user holds anywhere. An installer onboards and sees devices and
 * sites, nothing else: it passes only "installer" (onboarding) and "inventory" checks.
 */
export function hasRole(user: User | null, need: Need): boolean {
  if (!user) return false;
  if (need === "platform") return user.is_admin;
  if (need === "inventory") return true;
  if (need === "analyze") return RANK[user.role] >= RANK.operator;
  if (user.role === "installer") return need === "installer";
  return RANK[user.role] >= RANK[need];
}
/** Whether the signed-in user may do `need` somewhere. */
export function useCan(need: Need): boolean {
  return hasRole(useAuth().user, need);
}
