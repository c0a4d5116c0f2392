import type { FormatId, TargetEntry } from '../../../shared/catalogue';
import type { Profile } from '../../../shared/profile';

/**
 * The minimal shape of a check run the report needs. Structural on purpose: the engine's own
 * check types (shared/checks.ts, being written) satisfy it without this module depending on them.
 */
export interface CheckResultLike {
  checkId: string;
  status: string;
  durationMs?: number;
  /** ISO time the check finished (or started). */
  at?: string;
  summary?: string;
  diagnosis?: { code?: string; title: string } | null;
}

export interface CheckRunLike {
  startedAt?: string;
  finishedAt?: string;
  results: readonly CheckResultLike[];
}

export interface ExportOptions {
  /** The client secret's value, used only when includeSecret is true. */
  secretValue?: string;
  /** The user asked for the secret in this export (the UI warns first). */
  includeSecret: boolean;
  checkRun?: CheckRunLike;
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
    readonly code: 'unknown-format' | 'format-not-for-target' | 'no-secret-expiry' | 'invalid-profile',
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}
