import type { UserRow } from "./user.repository.ts";

/** The user as the API shows it: never the password hash. */
export function presentUser(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    email: u.email,
    full_name: u.fullName,
    role: u.role,
    is_admin: u.isAdmin,
    is_active: u.isActive,
    created_at: u.createdAt.toISOString(),
    last_login_at: u.lastLoginAt?.toISOString() ?? null,
  };
}
export type PresentedUser = ReturnType<typeof presentUser>;
