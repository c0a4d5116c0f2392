import { z } from 'zod';
import { CLOUDS, EndpointOverridesSchema, FLOWS, MAIL_APIS, ProfileSchema } from './profile';

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
  /**
   * App-only mail created by the assistant: 'exchange-rbac' = the mail permissions are scoped to the mailbox
   * by Exchange RBAC for Applications (no tenant-wide consent; an Exchange administrator runs the scoping
   * step), 'tenant' = tenant-wide admin consent (every mailbox in the organisation).
   */
  mailboxScope: z.enum(['tenant', 'exchange-rbac']).optional(),
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
  /** Odoo / Flectra login the API key belongs to; Frappe: the user signed in with a password (Administrator by default). */
  login: z.string().max(256).optional(),
  /** Frappe user the Token Cache and Email Account are for (default: the API key's user). */
  connectedUser: z.string().max(256).optional(),
  /** What the last Test target connection found ("Odoo 17.0", "EmailEngine 2.79.2"). */
  testedVersion: z.string().max(120).optional(),
  lastPush: z.object({ at: z.string(), status: z.enum(['configured', 'partial', 'failed']), summary: z.string().max(500).optional() }).optional(),
  /**
   * The origin the person allowed (natively, in main) to receive this connection's values, and which:
   * the stored target key, the client secret, the mailbox's sign-in. Another origin is asked again;
   * a changed address forgets the stored key (issue 18).
   */
  approvedOrigin: z.string().max(2100).optional(),
  approvedSends: z.array(z.enum(['key', 'secret', 'signIn'])).optional(),
  /** Frappe's Connected App the assistant made (or read back) at this address on Details (issue 19): its name and when. */
  connectedApp: z.object({ name: z.string().max(140), at: z.string().max(40) }).optional(),
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
  /**
   * "Send the steps to my administrator" (issue 19): when main made the script that seals the new secret for this
   * connection, and the file name it expects back. Start shows the connection as waiting for the administrator
   * until main opens that sealed file (then this is removed).
   */
  handoff: z.object({ kind: z.string().max(32), at: z.string().max(40), fileName: z.string().max(200) }).optional(),
  updatedAt: z.string(),
});
export type SavedProfile = z.infer<typeof SavedProfileSchema>;
export type SavedProfileInput = z.input<typeof SavedProfileSchema>;

/**
 * The owner model (issue 18). A saved connection has two kinds of fields:
 *  - user fields: what a person types or chooses (the profile's values, the wizard's progress). The page
 *    sends them through `profiles:save`, checked by {@link UserFieldsSchema}: unknown fields are refused,
 *    not dropped; single-line fields refuse control characters; sizes are capped.
 *  - main fields: what main learns or decides (registration, rotation, targetConnection, lastRun,
 *    signedInAs, the certificate's key reference). Only main's handlers write them; the page reads them
 *    (`connections:changed` carries the whole record) and never sends them back.
 */
export const MAIN_FIELDS = ['signedInAs', 'lastRun', 'registration', 'targetConnection', 'handoff', 'updatedAt'] as const;
export const MAIN_PROFILE_FIELDS = ['rotation', 'clientCertificate', 'mailboxScope'] as const;

/** No control characters (line breaks, escapes, NUL): a value shown on one line, or in a native question. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const line = (max: number) => z.string().max(max).refine((s) => !CONTROL.test(s), 'no control characters or line breaks');
const hostPort = line(262).regex(/^[A-Za-z0-9.\-]+:\d{1,5}$/, 'host:port, for example outlook.office365.com:993');

export const UserProfileSchema = z
  .object({
    version: z.literal(1).optional(),
    name: line(200).default(''),
    target: line(64).optional(),
    /** At most 32 inputs, each a short single-line value. */
    targetInputs: z
      .record(line(64).regex(/^[A-Za-z][A-Za-z0-9_.-]*$/, 'an input name'), line(2048))
      .refine((r) => Object.keys(r).length <= 32, 'at most 32 inputs')
      .optional(),
    cloud: z.enum(CLOUDS).optional(),
    tenant: line(256).optional(),
    clientId: line(64).optional(),
    /** Only where the secret comes from: typed at run time, none, or the vault entry main keeps (`secrets:set`). */
    clientSecret: z
      .discriminatedUnion('source', [
        z.object({ source: z.literal('ask') }).strict(),
        z.object({ source: z.literal('none') }).strict(),
        z.object({ source: z.literal('vault'), key: z.literal('clientSecret') }).strict(),
      ])
      .optional(),
    secretId: line(64).optional(),
    secretExpires: line(32).optional(),
    mailbox: line(320).optional(),
    flow: z.enum(FLOWS).optional(),
    api: z.enum(MAIL_APIS).optional(),
    endpoints: EndpointOverridesSchema.extend({ signInHost: line(262).min(1).optional(), imap: hostPort.optional(), smtp: hostPort.optional(), graphUrl: line(2048).url().optional() })
      .strict()
      .optional(),
    caCerts: z.array(z.string().max(16 * 1024)).max(8).optional(),
    proxy: line(2048).url().optional(),
  })
  .strict();
export type UserProfile = z.infer<typeof UserProfileSchema>;

/** What `profiles:save` accepts: the user fields of one connection, nothing else. */
export const UserFieldsSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{6,64}$/),
    profile: UserProfileSchema,
    wizard: z
      .object({
        step: z.enum(WIZARD_STEP_IDS).default('system'),
        ticks: z.array(line(128)).max(64).default([]),
      })
      .strict()
      .default({ step: 'system', ticks: [] }),
  })
  .strict();
export type UserFields = z.infer<typeof UserFieldsSchema>;
export type UserFieldsInput = z.input<typeof UserFieldsSchema>;

type RecordLike = { id: string; profile: Record<string, unknown>; wizard: SavedProfile['wizard'] };

/** The user fields of a record (what the page sends): main's fields left out. */
export function userFieldsOf(record: RecordLike): UserFieldsInput {
  const profile: Record<string, unknown> = { ...record.profile };
  for (const k of MAIN_PROFILE_FIELDS) delete profile[k];
  return { id: record.id, profile: profile as UserFieldsInput['profile'], wizard: record.wizard };
}

/** The stored record after a page's save: its user fields, with main's fields exactly as main last wrote them. */
export function withUserFields(before: SavedProfile | undefined, fields: UserFields, now: Date): SavedProfile {
  const kept: Record<string, unknown> = {};
  for (const k of MAIN_PROFILE_FIELDS) if (before?.profile[k] !== undefined) kept[k] = before.profile[k];
  const main: Partial<SavedProfile> = {};
  for (const k of MAIN_FIELDS) if (before?.[k] !== undefined) (main as Record<string, unknown>)[k] = before[k];
  return { ...main, id: fields.id, profile: { ...fields.profile, ...kept } as SavedProfile['profile'], wizard: fields.wizard, updatedAt: now.toISOString() } as SavedProfile;
}

/** A new profile id: a readable prefix from the name and a random suffix. */
export function newProfileId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
  return `${slug || 'profile'}-${globalThis.crypto.randomUUID().slice(0, 8)}`;
}
