import { createContext } from '../../../../shared/catalogue';
import { FLECTRA_FAMILY, ODOO_FAMILY, odooMailServers, odooSystemParameters } from '../../../../shared/catalogue/targets/odoo-family';
import type { ExportFormat } from '../types';

export const odooSystemParametersFormat: ExportFormat = {
  id: 'odoo-system-parameters',
  label: 'System parameters and mail servers',
  description: 'The system parameters and the outgoing/incoming mail server values in Odoo/Flectra field names.',
  extension: 'txt',
  mediaType: 'text/plain; charset=utf-8',
  mayContainSecret: true,
  render: ({ profile, target, secret, options }) => {
    const ctx = createContext(target, profile, secret);
    const family = target.id === 'flectra' ? FLECTRA_FAMILY : ODOO_FAMILY;
    const out: string[] = [
      `# ${target.displayName} Microsoft Outlook: ${profile.name}`,
      `# Generated ${options.now.toISOString()}`,
      '',
      '[System Parameters]',
      '# Settings > Technical > Parameters > System Parameters (Developer Mode)',
    ];
    for (const p of odooSystemParameters(ctx)) out.push(`# ${p.note}`, `${p.key} = ${p.value}`);
    out.push('', '# Several users: one outgoing server per user (from_filter = that address), plus a fallback', '# transactional server whose username is the value of:', `mail.default.from = ${ctx.mailbox}`);
    for (const server of odooMailServers(ctx, family)) {
      out.push('', `[${server.model}]`, server.model === 'ir.mail_server' ? '# Outgoing Mail Server' : '# Incoming Mail Server');
      for (const [k, v] of Object.entries(server.values)) out.push(`${k} = ${String(v)}`);
    }
    out.push(
      '',
      '# After saving each server: Connect your Outlook account (sign in as the mailbox). The tokens land in',
      '# microsoft_outlook_refresh_token / microsoft_outlook_access_token / microsoft_outlook_access_token_expiration.',
    );
    return `${out.join('\n')}\n`;
  },
};
