import { z } from 'zod';
import { ProfileSchema } from './profile';

/** A profile as the app keeps it between sessions: the values (never a secret), wizard progress, last result. */
export const WIZARD_STEP_IDS = ['start', 'system', 'details', 'register', 'credentials', 'signin', 'test', 'done'] as const;

export const LastRunSchema = z.object({
  at: z.string(),
  status: z.enum(['passed', 'failed']),
  passed: z.number().int().min(0),
  failed: z.number().int().min(0),
  skipped: z.number().int().min(0).default(0),
  summary: z.string().optional(),
});
export type LastRun = z.infer<typeof LastRunSchema>;

/**
 * How this connection's app registration came to be (issue 10), and what exists in the tenant: the
 * assistant records each id as soon as it exists, so a cancelled or interrupted creation resumes
 * where it stopped. No secret here (the Secret ID is its public id).
 */
export const RegistrationRecordSchema = z.object({
  method: z.enum(['created', 'checked', 'manual']),
  /** 'in-progress' while the assistant is creating or fixing it; 'partial' when something is still missing. */
  state: z.enum(['in-progress', 'complete', 'partial']).default('complete'),
  displayName: z.string().optional(),
  appId: z.string().optional(),
  servicePrincipalId: z.string().optional(),
  secretKeyId: z.string().optional(),
  lintStatus: z.enum(['clean', 'warnings', 'errors', 'not-found']).optional(),
  lintedAt: z.string().optional(),
  /** Who created or last changed it (the administrator's account). */
  by: z.string().optional(),
});
export type RegistrationRecord = z.infer<typeof RegistrationRecordSchema>;

/**
 * Where the assistant pushes this connection (issue 11): the target's API address and who it signs in
 * as. Non-secret: the API key / token / secret is in the SecretVault (`target:<profile id>:credentials`).
 */
export const TargetConnectionSchema = z.object({
  kind: z.enum(['emailengine', 'odoo', 'frappe']),
  /** The target's address (https, or http only on loopback). */
  url: z.string().max(2048),
  /** Odoo / Flectra database name. */
  database: z.string().max(256).optional(),
  /** Odoo / Flectra login the API key belongs to. */
  login: z.string().max(256).optional(),
  /** Frappe user the Token Cache and Email Account are for (default: the API key's user). */
  connectedUser: z.string().max(256).optional(),
  /** What the last Test target connection found ("Odoo 17.0", "EmailEngine 2.79.2"). */
  testedVersion: z.string().max(120).optional(),
  lastPush: z.object({ at: z.string(), status: z.enum(['configured', 'partial', 'failed']), summary: z.string().max(500).optional() }).optional(),
});
export type TargetConnection = z.infer<typeof TargetConnectionSchema>;

export const SavedProfileSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{6,64}$/),
  profile: ProfileSchema.partial().extend({ name: z.string().default('') }),
  wizard: z
    .object({
      step: z.enum(WIZARD_STEP_IDS).default('system'),
      ticks: z.array(z.string()).default([]),
    })
    .default({ step: 'system', ticks: [] }),
  signedInAs: z.string().optional(),
  lastRun: LastRunSchema.optional(),
  registration: RegistrationRecordSchema.optional(),
  targetConnection: TargetConnectionSchema.optional(),
  updatedAt: z.string(),
});
export type SavedProfile = z.infer<typeof SavedProfileSchema>;
export type SavedProfileInput = z.input<typeof SavedProfileSchema>;

/** A new profile id: a readable prefix from the name and a random suffix. */
export function newProfileId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${slug || 'profile'}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}
