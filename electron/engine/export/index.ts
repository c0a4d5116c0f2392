/**
 * Exports in each target system's own terms. Pure functions of (profile, options): no file system,
 * no clock (the caller passes `now`), so the CLI, the wizard and the golden tests share them.
 *
 * Secrets: a format that may carry the secret gets the value only when the caller sets
 * `includeSecret` and passes `secretValue`; otherwise a clearly marked placeholder. The report,
 * the calendar entry and the profile never carry it.
 */
import { FORMAT_IDS, getTarget, SECRET_PLACEHOLDER, targets, type FormatId } from '../../../shared/catalogue';
import { ProfileSchema, type Profile, type ProfileInput } from '../../../shared/profile';
import { emailEngineCurlFormat, emailEngineJsonFormat } from './formats/emailengine';
import { envFormat } from './formats/env';
import { frappeConnectedAppFormat } from './formats/frappe';
import { icsReminderFormat } from './formats/ics';
import { odooSystemParametersFormat } from './formats/odoo';
import { pasteCardFormat } from './formats/paste-card';
import { profileJsonFormat } from './formats/profile-json';
import { reportHtmlFormat } from './formats/report-html';
import { slug } from './text';
import { ExportError, type ExportFormat, type ExportOptions, type ExportResult } from './types';

export * from './types';
export { REDACTED } from './formats/report-html';
export { REMINDER_DAYS_BEFORE } from './formats/ics';

const IMPLEMENTATIONS: Record<FormatId, ExportFormat> = {
  'paste-card': pasteCardFormat,
  'profile-json': profileJsonFormat,
  env: envFormat,
  'emailengine-oauth2-json': emailEngineJsonFormat,
  'emailengine-curl': emailEngineCurlFormat,
  'odoo-system-parameters': odooSystemParametersFormat,
  'frappe-connected-app': frappeConnectedAppFormat,
  'report-html': reportHtmlFormat,
  'ics-reminder': icsReminderFormat,
};

/** What a host shows about a format: the implementation without its renderer, plus the targets offering it. */
export type ExportFormatInfo = Omit<ExportFormat, 'render'> & { targets: string[] };

export const exportFormats: readonly ExportFormatInfo[] = FORMAT_IDS.map((id) => {
  const { render: _render, ...info } = IMPLEMENTATIONS[id];
  return { ...info, targets: targets.filter((t) => t.exports.includes(id)).map((t) => t.id) };
});

export function formatsForTarget(targetId: string): ExportFormatInfo[] {
  return exportFormats.filter((f) => f.targets.includes(targetId));
}

export function exportProfile(profileInput: Profile | ProfileInput, format: string, options: ExportOptions): ExportResult {
  const parsed = ProfileSchema.safeParse(profileInput);
  if (!parsed.success) throw new ExportError('invalid-profile', `The profile is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const profile = parsed.data;
  const impl = (IMPLEMENTATIONS as Record<string, ExportFormat | undefined>)[format];
  if (!impl) throw new ExportError('unknown-format', `Unknown export format "${format}". Known: ${FORMAT_IDS.join(', ')}`);
  const target = getTarget(profile.target);
  if (!target.exports.includes(impl.id))
    throw new ExportError('format-not-for-target', `${target.displayName} has no "${format}" export. Available: ${target.exports.join(', ')}`);

  const warnings: string[] = [];
  let secret = SECRET_PLACEHOLDER;
  let secretIncluded = false;
  if (options.includeSecret) {
    if (!impl.mayContainSecret) warnings.push(`The ${impl.label} never contains the client secret; it was left out.`);
    else if (!options.secretValue) warnings.push('No client secret value was available: the placeholder was used instead.');
    else {
      secret = options.secretValue;
      secretIncluded = true;
      warnings.push(`This ${impl.label} contains the client secret in plain text. Treat the file like a password: share it only through a secure channel and delete it once used.`);
    }
  }
  const content = impl.render({ profile, target, secret, secretIncluded, options, warnings });
  return {
    filename: `${slug(profile.name)}-${impl.id}.${impl.extension}`,
    mediaType: impl.mediaType,
    content,
    warnings,
  };
}
