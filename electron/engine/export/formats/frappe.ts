import { createContext } from '../../../../shared/catalogue';
import { frappeConnectedApp, frappeEmailAccount } from '../../../../shared/catalogue/targets/frappe';
import type { ExportFormat } from '../types';

export const frappeConnectedAppFormat: ExportFormat = {
  id: 'frappe-connected-app',
  label: 'Frappe Connected App values',
  description: 'The Connected App and Email Account documents in Frappe field names (usable with the REST API /api/resource).',
  extension: 'json',
  mediaType: 'application/json',
  mayContainSecret: true,
  render: ({ profile, target, secret }) => {
    const ctx = createContext(target, profile, secret);
    return `${JSON.stringify({ connectedApp: frappeConnectedApp(ctx), emailAccount: frappeEmailAccount(ctx) }, null, 2)}\n`;
  },
};
