import type { FormatId, TargetEntry } from '../../../shared/catalogue';
import type { CheckRun } from '../../../shared/checks';
import type { Profile } from '../../../shared/profile';
import type { RegistrationRecord } from '../../../shared/saved-profile';

/**
 * The minimal shape of a check result the report needs. The engine's `CheckRun` (shared/checks.ts)
 * is accepted as is; this looser shape lets other callers (and older saved runs) pass `checkId`.
 */
export interface CheckResultLike {
  id?: string;
  checkId?: string;
  status: string;
  durationMs?: number;
  /** ISO time the check finished (or started). */
  at?: string;
  summary?: string;
  skippedReason?: string;
  diagnosis?: { code?: string; title: string; fix?: readonly { text: string; command?: string }[] } | null;
}

export interface CheckRunLike {
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  results: readonly CheckResultLike[];
}

export interface ExportOptions {
  /** The client secret's value, used only when includeSecret is true. */
  secretValue?: string;
  /** The user asked for the secret in this export (the UI warns first). */
  includeSecret: boolean;
  checkRun?: CheckRun | CheckRunLike;
  /** How the app registration came to be (saved profile `registration`, issue 10); the report lists the tenant changes from it. */
  registration?: RegistrationRecord;
  /** App-only Graph: whether mail access is limited to the one mailbox (RBAC for Applications); default tenant-wide. */
  mailboxScope?: 'tenant' | 'exchange-rbac';
  /** Dates in the report: the user's locale and time zone (default: the system's). */
  locale?: string;
  timeZone?: string;
  now: Date;
}

export interface ExportResult {
  filename: string;
  mediaType: string;
  content: string;
  warnings: string[];
}

export interface RenderInput {
  profile: Profile;
  target: TargetEntry;
  /** What goes where the secret goes: the value (when asked) or the placeholder. */
  secret: string;
  secretIncluded: boolean;
  options: ExportOptions;
  warnings: string[];
}

export interface ExportFormat {
  id: FormatId;
  label: string;
  description: string;
  extension: string;
  mediaType: string;
  /** False for formats that never carry the secret (report, calendar, profile). */
  mayContainSecret: boolean;
  render(input: RenderInput): string;
}

export class ExportError extends Error {
  constructor(
    readonly code: 'unknown-format' | 'format-not-for-target' | 'no-secret-expiry' | 'invalid-profile' | 'unsafe-value',
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
