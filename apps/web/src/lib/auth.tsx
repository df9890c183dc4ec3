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
const RANK: Record<Role, number> = { viewer: 1, installer: 2, operator: 3, admin: 4 };
/**
 * Whether `user` has at least `role` (the server enforces roles; the dashboard only hides what would be refused).
 * An installer onboards and sees devices and sites, nothing else: it passes only "installer" checks; "inventory"
 * (the device and site pages) is every role's.
 */
export function hasRole(user: User | null, role: Role | "inventory"): boolean {
  if (!user) return false;
  if (role === "inventory") return true;
  if (user.role === "installer") return role === "installer";
  return RANK[user.role] >= RANK[role];
}
/** Whether the signed-in user has at least this role. */
export function useCan(role: Role | "inventory"): boolean {
  return hasRole(useAuth().user, role);
}
