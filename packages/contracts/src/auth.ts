import { z } from "zod";
import { dataResult, listResult, SerialId, Timestamp, writeResult } from "./common.ts";

export const RoleSchema = z.enum(["admin", "operator", "installer", "viewer"]);

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
  /** The token of an admin's invitation (required when HOMEPOT_SIGNUP=invite). */
  invite_token: z.string().trim().min(1).max(200).optional(),
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
  created_at: Timestamp,
  last_login_at: Timestamp.nullable(),
});

/** The bearer token a login, a sign-up and a refresh hand out. */
const AccessToken = z.object({
  access_token: z.string(),
  token_type: z.literal("bearer"),
  expires_in: z.number().int(),
});

export const LoginResponse = writeResult(
  AccessToken.extend({ username: z.string(), email: z.string(), role: RoleSchema, is_admin: z.boolean() }),
);

export const MeResponse = dataResult(UserSchema);
/** Sign-up logs the new user in: the same cookie as login, and the token beside the user. */
export const SignupResponse = writeResult(UserSchema.extend(AccessToken.shape));

/** How one gets an account here (for the login and sign-up pages; no secret in it). */
export const SignupInfoResponse = dataResult(
  z.object({
    mode: z.enum(["open", "invite", "off"]),
    /** True when the next sign-up becomes admin (HOMEPOT_FIRST_SIGNUP_ADMIN=on and no admin yet). */
    first_signup_admin: z.boolean(),
    has_admin: z.boolean(),
  }),
);

/** Whether single sign-on is configured (HOMEPOT_OIDC_ISSUER), and the login button's label. */
export const OidcConfigResponse = dataResult(
  z.object({
    enabled: z.boolean(),
    /** "Sign in with <name>" (HOMEPOT_OIDC_NAME); null when off. */
    name: z.string().nullable(),
    /** Where the button goes (starts the provider's sign-in), or null when off. */
    login_url: z.string().nullable(),
  }),
);

/** The single sign-on start: `next` is the dashboard path to land on afterwards. */
export const OidcLoginQuery = z.object({ next: z.string().max(500).optional() });

/** What the provider sends back to the callback (the authorization response). */
export const OidcCallbackQuery = z
  .object({
    state: z.string().max(500).optional(),
    code: z.string().max(4000).optional(),
    error: z.string().max(200).optional(),
    error_description: z.string().max(1000).optional(),
  })
  .passthrough();

export const UsersResponse = listResult("users", UserSchema);
export const UserIdParams = z.object({ user_id: SerialId });
export const UpdateUserBody = z
  .object({ role: RoleSchema.optional(), is_active: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.is_active !== undefined, { message: "give role and/or is_active" });
export const UserWriteResponse = writeResult(UserSchema);
export const ResetPasswordBody = z.object({
  /** Omit to have the server generate one (answered once as `generated_password`). */
  password: z.string().min(8).max(128).optional(),
});
export const ResetPasswordResponse = writeResult(z.object({ generated_password: z.string().nullable() }));

export const InvitationSchema = z.object({
  id: z.number().int(),
  email: z.string().nullable(),
  role: RoleSchema,
  status: z.enum(["pending", "used", "revoked", "expired"]),
  created_by: z.number().int().nullable(),
  created_by_username: z.string().nullable(),
  created_at: Timestamp,
  expires_at: Timestamp,
  used_at: Timestamp.nullable(),
});
export const CreateInvitationBody = z.object({
  email: z.string().trim().email().max(100).optional(),
  role: RoleSchema.default("viewer"),
  /** Hours the invitation stays usable (default HOMEPOT_INVITE_TTL_H). */
  expires_in_hours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .optional(),
});
/** `token` and `url` are shown only in this answer; the server keeps only a hash. */
export const CreateInvitationResponse = writeResult(InvitationSchema.extend({ token: z.string(), url: z.string() }));
export const InvitationsResponse = listResult("invitations", InvitationSchema);
export const InvitationIdParams = z.object({ invitation_id: SerialId });

export const ApiTokenScopeSchema = z.enum(["read_only", "operator", "admin"]);
export const ApiTokenSchema = z.object({
  id: z.number().int(),
  user_id: z.number().int(),
  name: z.string(),
  scope: ApiTokenScopeSchema,
  /** The tenant or site (sites.id) the token is limited to; null: wherever its owner may act. */
  tenant_id: z.number().int().nullable(),
  site_id: z.number().int().nullable(),
  /** The token's first characters, to tell tokens apart; never the token. */
  token_prefix: z.string(),
  status: z.enum(["active", "revoked", "expired"]),
  created_at: Timestamp,
  expires_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  last_used_ip: z.string().nullable(),
  revoked_at: Timestamp.nullable(),
});
export const CreateApiTokenBody = z.object({
  name: z.string().trim().min(1).max(100),
  scope: ApiTokenScopeSchema.default("read_only"),
  /** Days until the token stops working (1–365, default 90): no token lives for ever. */
  expires_in_days: z.number().int().min(1).max(365).default(90),
  /** Limit the token to one tenant, or one site (sites.id), its owner belongs to. */
  tenant_id: z.number().int().min(1).max(2_147_483_647).optional(),
  site_id: z.number().int().min(1).max(2_147_483_647).optional(),
});
/** `token` is shown only in this answer; the server keeps only its hash. */
export const CreateApiTokenResponse = writeResult(ApiTokenSchema.extend({ token: z.string() }));
export const ApiTokensResponse = listResult("tokens", ApiTokenSchema);
export const ApiTokenIdParams = z.object({ token_id: SerialId });
export const ApiTokensQuery = z.object({
  /** An admin may list another user's tokens. */
  user_id: SerialId.optional(),
});

export const SessionSchema = z.object({
  id: z.string(),
  /** The session this request was made with. */
  current: z.boolean(),
  created_at: Timestamp,
  last_used_at: Timestamp,
  expires_at: Timestamp,
  user_agent: z.string().nullable(),
  ip: z.string().nullable(),
});
export const SessionsResponse = listResult("sessions", SessionSchema);
export const SessionIdParams = z.object({ session_id: z.string().regex(/^[0-9a-f]{24}$/, "a session id") });
/** A silent refresh: a new short-lived access token (and, in the httpOnly cookie, the rotated refresh token). */
export const RefreshResponse = writeResult(AccessToken);
