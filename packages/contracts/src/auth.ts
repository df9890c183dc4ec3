import { z } from "zod";

export const RoleSchema = z.enum(["admin", "operator", "viewer"]);

export const SignupBody = z.object({
  email: z.string().trim().email().max(100),
  password: z.string().min(8).max(128),
  username: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[A-Za-z0-9_.-]+$/, "letters, digits, _ . - only")
    .optional(),
  full_name: z.string().trim().max(100).optional(),
});

export const LoginBody = z.object({
  email: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(128),
});

export const UserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  email: z.string(),
  full_name: z.string().nullable(),
  role: RoleSchema,
  is_admin: z.boolean(),
  is_active: z.boolean(),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
});

export const LoginResponse = z.object({
  success: z.literal(true),
  message: z.string(),
  data: z.object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int(),
    username: z.string(),
    email: z.string(),
    role: RoleSchema,
    is_admin: z.boolean(),
  }),
});

export const MeResponse = z.object({ success: z.literal(true), data: UserSchema });
export const SignupResponse = z.object({ success: z.literal(true), message: z.string(), data: UserSchema });
