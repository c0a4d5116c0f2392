import { z } from 'zod';

/**
 * A profile is what a user configures: one target system talking to one mailbox through one
 * Entra app registration. It holds no secret value: the client secret is a reference
 * (an environment variable, "ask" at run time, or an entry in the app's SecretVault).
 */

export const CLOUDS = ['global', 'gcc-high', 'dod', 'china'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const FLOWS = ['delegated', 'app-only'] as const;
export type Flow = (typeof FLOWS)[number];

export const MAIL_APIS = ['imap-smtp', 'graph'] as const;
export type MailApi = (typeof MAIL_APIS)[number];

/** Where the client secret comes from. Never the value itself. */
export const SecretRefSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }),
  z.object({ source: z.literal('ask') }),
  z.object({ source: z.literal('vault'), key: z.string().min(1) }),
  z.object({ source: z.literal('none') }),
]);
export type SecretRef = z.infer<typeof SecretRefSchema>;

/** Where a certificate's private key comes from (issue 12). Never the key itself: the vault, an environment variable, or a file only its owner can read (0600). */
export const PrivateKeyRefSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('vault'), key: z.string().min(1) }).strict(),
  z.object({ source: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name') }).strict(),
  z.object({ source: z.literal('file'), path: z.string().min(1) }).strict(),
]);
export type PrivateKeyRef = z.infer<typeof PrivateKeyRefSchema>;

/** A certificate credential (client assertion) instead of a client secret: the public certificate and where its private key is. */
export const ClientCertificateRefSchema = z
  .object({
    /** The public certificate, PEM. Its thumbprint and end date are derived from it. */
    certificatePem: z.string().includes('-----BEGIN CERTIFICATE-----').refine((s) => !/PRIVATE KEY/.test(s), 'a private key never goes in a profile: keep it in the vault, an environment variable or a 0600 file'),
    privateKey: PrivateKeyRefSchema,
  })
  .strict();
export type ClientCertificateRef = z.infer<typeof ClientCertificateRefSchema>;

const hostPort = z
  .string()
  .regex(/^[A-Za-z0-9.\-]+:\d{1,5}$/, 'host:port, for example outlook.office365.com:993');

export const EndpointOverridesSchema = z
  .object({
    /** Sign-in authority host, optionally with a port: login.microsoftonline.com, localhost:8443 */
    signInHost: z.string().min(1).optional(),
    imap: hostPort.optional(),
    smtp: hostPort.optional(),
    /** POP3 with implicit TLS (the relay's POP proxy upstream); default: the IMAP host, port 995. */
    pop: hostPort.optional(),
    graphUrl: z.string().url().optional(),
  })
  .strict();
export type EndpointOverrides = z.infer<typeof EndpointOverridesSchema>;

export const ProfileSchema = z
  .object({
    version: z.literal(1).default(1),
    /** Human name, e.g. "Fabrikam - Odoo reception mailbox". */
    name: z.string().min(1).max(200),
    /** Catalogue id of the target system (shared/catalogue). */
    target: z.string().min(1),
    /** The target's own inputs as the wizard asks them: baseUrl, connectedAppName, baseScope, version... */
    targetInputs: z.record(z.string(), z.string()).default({}),
    cloud: z.enum(CLOUDS).default('global'),
    /** Tenant GUID, verified domain, or common / organizations / consumers. */
    tenant: z.string().default(''),
    /** Application (client) ID. */
    clientId: z.string().default(''),
    clientSecret: SecretRefSchema.default({ source: 'ask' }),
    /** Sign in with a certificate (client assertion) instead of the secret; set clientSecret to {"source":"none"}. */
    clientCertificate: ClientCertificateRefSchema.optional(),
    /** The secret's "Secret ID" (a GUID) where the target wants it (CXT). Not secret. */
    secretId: z.string().optional(),
    /** The secret's expiry date, ISO yyyy-mm-dd. */
    secretExpires: z.string().optional(),
    /** A rotation in progress (`mail-oauth rotate`, Renew secret): which credential is current, which is new. No value. */
    rotation: z
      .object({
        phase: z.enum(['added', 'proved']),
        current: z.enum(['old', 'new']),
        old: z.object({ keyId: z.string(), endDateTime: z.string().optional() }).strict().optional(),
        new: z.object({ keyId: z.string(), endDateTime: z.string(), hint: z.string().max(3).optional() }).strict(),
        startedAt: z.string(),
      })
      .strict()
      .optional(),
    /**
     * App-only mail scoped by Exchange RBAC for Applications (issue 19; main writes it when Create it for me
     * scopes the access): the token carries no Entra mail roles, Exchange grants the mailbox instead.
     */
    mailboxScope: z.enum(['tenant', 'exchange-rbac']).optional(),
    /** The mailbox the target system sends and reads as. */
    mailbox: z.string().default(''),
    flow: z.enum(FLOWS).default('delegated'),
    api: z.enum(MAIL_APIS).default('imap-smtp'),
    endpoints: EndpointOverridesSchema.optional(),
    /** Extra CA certificates (PEM) to trust: corporate TLS inspection, the emulator. */
    caCerts: z.array(z.string()).optional(),
    /** HTTP(S) proxy URL for the sign-in and Graph hosts. */
    proxy: z.string().url().optional(),
  })
  .strict();

export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;

/** Well-known tenant aliases accepted in the authority path. */
export const TENANT_ALIASES = ['common', 'organizations', 'consumers'] as const;
