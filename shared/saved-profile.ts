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
  updatedAt: z.string(),
});
export type SavedProfile = z.infer<typeof SavedProfileSchema>;
export type SavedProfileInput = z.input<typeof SavedProfileSchema>;

/** A new profile id: a readable prefix from the name and a random suffix. */
export function newProfileId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${slug || 'profile'}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}
