// Users and API tokens (LAN access): DTO schemas of the auth methods and the first-run setup.
// Only zod here; the engine's auth service holds users and tokens.
import { z } from 'zod';

export const UserRoleSchema = z.enum(['admin', 'viewer']);
export type UserRole = z.infer<typeof UserRoleSchema>;
/** Numeric user id; path parameters arrive as text. */
export const UserIdSchema = z.preprocess(
  (v: number | string) => (typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v),
  z
    .number()
    .int()
    .min(1)
    .max(2 ** 31),
);
/** Cameras a viewer may see; null = every camera. */
export const UserCamerasSchema = z.array(z.string().min(1).max(64)).max(256).nullable();
/** A user name and a password as every auth method takes them (login too). */
export const UsernameSchema = z.string().min(1).max(64);
export const UserPasswordSchema = z.string().min(1).max(256);

export const UserSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  role: UserRoleSchema,
  cameras: z.array(z.string()).nullable(),
  createdMs: z.number().int(),
});
export type User = z.infer<typeof UserSchema>;

export const UserInputSchema = z.object({
  username: UsernameSchema,
  password: UserPasswordSchema,
  role: UserRoleSchema,
  cameras: UserCamerasSchema.optional(),
});
export type UserInput = z.input<typeof UserInputSchema>;

export const UserPatchSchema = z.object({
  password: UserPasswordSchema.optional(),
  role: UserRoleSchema.optional(),
  cameras: UserCamerasSchema.optional(),
});
export type UserPatch = z.input<typeof UserPatchSchema>;

export const ApiTokenIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);
export const ApiTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  username: z.string(),
  createdMs: z.number().int(),
  expiresMs: z.number().int().nullable(),
});
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const ApiTokenInputSchema = z.object({
  name: z.string().min(1).max(64),
  /** Owner (whose camera set applies); the caller when absent (required over IPC). */
  userId: UserIdSchema.optional(),
  /** Lifetime; absent = until revoked. At most ten years. */
  ttlMs: z
    .number()
    .int()
    .min(60_000)
    .max(10 * 365 * 86_400_000)
    .optional(),
});
export type ApiTokenInput = z.input<typeof ApiTokenInputSchema>;

/** A new token: `token` is the secret, shown once. */
export const CreatedApiTokenSchema = z.object({
  id: z.string(),
  token: z.string(),
  name: z.string(),
  expiresMs: z.number().int().nullable(),
});
export type CreatedApiToken = z.infer<typeof CreatedApiTokenSchema>;

export const AuthSetupSchema = z.object({ adminExists: z.boolean() });
export type AuthSetup = z.infer<typeof AuthSetupSchema>;

export const FirstAdminInputSchema = z.object({
  username: UsernameSchema,
  password: UserPasswordSchema,
});
export type FirstAdminInput = z.input<typeof FirstAdminInputSchema>;
