import type { ExportFormat } from '../types';

export const profileJsonFormat: ExportFormat = {
  id: 'profile-json',
  label: 'Profile (JSON)',
  description: 'The validated profile, for `mail-oauth check --profile`. It names where the secret comes from, never the secret.',
  extension: 'json',
  mediaType: 'application/json',
  mayContainSecret: false,
  render: ({ profile }) => `${JSON.stringify(profile, null, 2)}\n`,
};
