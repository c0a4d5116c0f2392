import { z } from 'zod';
import { FLOWS, MAIL_APIS, type Flow, type MailApi, type Profile } from '../profile';
import { AUDIENCES, type Audience } from './account-types';
import { type CloudHosts } from './clouds';
import { FORMAT_IDS, type FormatId } from './formats';
import { PERMISSIONS, type PermissionKey } from './permissions';
import type { DesiredRegistration } from '../registration/types';

import { CHECK_IDS, type CheckId } from '../checks';
export { CHECK_IDS, type CheckId };

export const ILLUSTRATION_IDS = [
  'new-registration',
  'app-overview',
  'add-platform-web',
  'certificates-secrets',
  'api-permissions',
  'admin-consent',
  'enterprise-app-users',
  'manage-email-apps',
] as const;
export type IllustrationId = (typeof ILLUSTRATION_IDS)[number];

/** Where the user does a step. */
export const STEP_PLACES = ['entra', 'm365-admin', 'exchange-powershell', 'target', 'assistant'] as const;
export type StepPlace = (typeof STEP_PLACES)[number];

const nonEmpty = z.string().trim().min(1);

export const InputOptionSchema = z.object({ value: nonEmpty, label: nonEmpty, help: z.string().optional() }).strict();

export const TargetInputSchema = z
  .object({
    id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'camelCase id'),
    /** In the user's words ("Your Odoo's web address"). */
    label: nonEmpty,
    help: nonEmpty,
    placeholder: z.string(),
    kind: z.enum(['url', 'text', 'choice']),
    options: z.array(InputOptionSchema).optional(),
    required: z.boolean(),
    default: z.string().optional(),
    validation: z
      .object({
        /** Regular expression source the trimmed value must match. */
        pattern: z.string().optional(),
        message: nonEmpty,
        requireHttps: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.kind === 'choice' && !(input.options && input.options.length >= 2)) ctx.addIssue({ code: 'custom', message: `${input.id}: a choice needs at least two options` });
    if (input.kind !== 'choice' && input.options) ctx.addIssue({ code: 'custom', message: `${input.id}: only a choice has options` });
    if (input.kind === 'choice' && input.default && !input.options?.some((o) => o.value === input.default)) ctx.addIssue({ code: 'custom', message: `${input.id}: default is not an option` });
    if (input.validation?.pattern) {
      try {
        new RegExp(input.validation.pattern);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${input.id}: invalid pattern` });
      }
    }
  });
export type TargetInput = z.infer<typeof TargetInputSchema>;

export const CopyValueSchema = z.object({ label: nonEmpty, value: z.string(), secret: z.boolean().optional() }).strict();
export type CopyValue = z.infer<typeof CopyValueSchema>;

export const StepSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** In the user's words: what this step achieves. */
    title: nonEmpty,
    /** Markdown; portal and target labels in **bold**, exactly as written on screen. */
    body: nonEmpty,
    where: z.enum(STEP_PLACES),
    copy: z.array(CopyValueSchema),
    link: z.object({ label: nonEmpty, url: z.string().url() }).strict().optional(),
    illustration: z.enum(ILLUSTRATION_IDS).optional(),
    /** Only needed in some setups (said in the body). */
    optional: z.boolean().optional(),
  })
  .strict();
export type Step = z.infer<typeof StepSchema>;

export const PasteFieldSchema = z
  .object({
    /** Exactly as the target's own screen labels it. */
    label: nonEmpty,
    value: z.string(),
    secret: z.boolean().optional(),
    note: z.string().optional(),
  })
  .strict();
export type PasteField = z.infer<typeof PasteFieldSchema>;

export const PasteSectionSchema = z
  .object({
    title: nonEmpty,
    /** Menu path on the target's screen. */
    where: nonEmpty,
    fields: z.array(PasteFieldSchema),
    notes: z.array(z.string()).optional(),
  })
  .strict();
export type PasteSection = z.infer<typeof PasteSectionSchema>;

export const PasteCardSchema = z.object({ title: nonEmpty, sections: z.array(PasteSectionSchema).min(1), notes: z.array(z.string()).optional() }).strict();
export type PasteCard = z.infer<typeof PasteCardSchema>;

/** What a target needs from the registration, derived from the profile. */
export const ResolvedSchema = z
  .object({
    flow: z.enum(FLOWS),
    api: z.enum(MAIL_APIS),
    redirectUris: z.array(z.string()),
    permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [PermissionKey, ...PermissionKey[]])).min(1),
    /** Token requests of the proving sign-in, one per resource (AADSTS700022). */
    scopes: z.array(z.array(nonEmpty).min(1)).min(1),
    checks: z.array(z.enum(CHECK_IDS)).min(1),
  })
  .strict();
export type Resolved = z.infer<typeof ResolvedSchema>;

/** What every function of an entry receives: the profile with defaults applied and computed values. */
export interface BaseContext {
  profile: Profile;
  /** Target inputs with defaults applied (empty string when missing). */
  inputs: Record<string, string>;
  /** The input's value, or a visible placeholder like `<Flectra web address>` when it is missing. */
  value(id: string): string;
  hosts: CloudHosts;
  audience: Audience;
  /** Tenant id/domain, or `<Directory (tenant) ID>`. */
  tenant: string;
  /** The authority segment the sign-in uses (tenant, organizations, common, consumers). */
  authority: string;
  clientId: string;
  mailbox: string;
  appName: string;
}

export interface TargetContext extends BaseContext, Resolved {
  /** What to show where the client secret goes: a placeholder unless an export was asked to include it. */
  secret: string;
  /** The app registration this context asks for (shared/registration/derive.ts); the Entra steps render from it. */
  registration: DesiredRegistration;
}

/**
 * What the registration needs beyond `resolve()` (issue 9), as the target's guide asks. Absent = the
 * defaults: redirect URIs on the entry's platform, no public client flows, no implicit grant, no
 * assignment, secret described by the entry's display name.
 */
export interface RegistrationHints {
  /** Platform of the redirect URIs (default: Web). */
  platform?: 'web' | 'publicClient' | 'spa';
  /** "Allow public client flows" = Yes (isFallbackPublicClient). */
  publicClientFlows?: boolean;
  /** "Implicit grant and hybrid flows" ticks. */
  implicitGrant?: { accessTokens: boolean; idTokens: boolean };
  /** Enterprise app "Assignment required?" = Yes, with the mailbox user assigned (Users and groups). */
  assignmentRequired?: boolean;
  /** The client secret's Description, as the guide names it. */
  secretDescription?: string;
}

export interface TargetEntry {
  id: string;
  displayName: string;
  /** One line. */
  description: string;
  /** The seed guide this entry replaces, if any (ids of /shared/seeds). */
  seed?: string;
  inputs: TargetInput[];
  platform: 'web' | 'none';
  /** Static hints for validation before anything is resolved. */
  needsBaseUrl: boolean;
  requiresHttps: boolean;
  flow: Flow;
  api: MailApi;
  audience: { recommended: Audience; allowed: Audience[]; why: string };
  /** The path part of the redirect URI, when it has a fixed shape. */
  redirectPath?(inputs: Record<string, string>): string | undefined;
  resolve(ctx: BaseContext): Resolved;
  steps(ctx: TargetContext): Step[];
  pasteCard(ctx: TargetContext): PasteCard;
  exports: FormatId[];
  /** Registration details the guide asks for beyond resolve() (a function when they depend on inputs). */
  registration?: RegistrationHints | ((ctx: BaseContext & Resolved) => RegistrationHints);
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'a function');

export const TargetEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    displayName: nonEmpty,
    description: nonEmpty.max(160).refine((s) => !s.includes('\n'), 'one line'),
    seed: z.string().optional(),
    inputs: z.array(TargetInputSchema),
    platform: z.enum(['web', 'none']),
    needsBaseUrl: z.boolean(),
    requiresHttps: z.boolean(),
    flow: z.enum(FLOWS),
    api: z.enum(MAIL_APIS),
    audience: z.object({ recommended: z.enum(AUDIENCES), allowed: z.array(z.enum(AUDIENCES)).min(1), why: nonEmpty }).strict(),
    redirectPath: fn.optional(),
    resolve: fn,
    steps: fn,
    pasteCard: fn,
    exports: z.array(z.enum(FORMAT_IDS)).min(1),
    registration: z
      .union([
        z
          .object({
            platform: z.enum(['web', 'publicClient', 'spa']).optional(),
            publicClientFlows: z.boolean().optional(),
            implicitGrant: z.object({ accessTokens: z.boolean(), idTokens: z.boolean() }).strict().optional(),
            assignmentRequired: z.boolean().optional(),
            secretDescription: nonEmpty.optional(),
          })
          .strict(),
        fn,
      ])
      .optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.audience.allowed.includes(e.audience.recommended)) ctx.addIssue({ code: 'custom', message: `${e.id}: recommended audience not allowed` });
    const ids = e.inputs.map((i) => i.id);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', message: `${e.id}: duplicate input ids` });
  });
