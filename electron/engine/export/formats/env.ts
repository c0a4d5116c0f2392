import { createContext } from '../../../../shared/catalogue';
import type { ExportFormat } from '../types';
import { assertPrintable, assertSafeUrl, shQuote } from './shell';

/**
 * Values are single-quoted: sourced by sh (`. ./file.env`) nothing inside runs, and dotenv readers
 * (Node's, python-dotenv, docker compose) take single-quoted values literally too.
 */
const q = shQuote;

export const envFormat: ExportFormat = {
  id: 'env',
  label: '.env file',
  description: 'The same values as environment variables, for scripts and containers.',
  extension: 'env',
  mediaType: 'text/plain; charset=utf-8',
  mayContainSecret: true,
  render: ({ profile, target, secret, secretIncluded, options }) => {
    const ctx = createContext(target, profile, secret);
    const authority = ctx.flow === 'app-only' ? ctx.tenant : ctx.authority;
    const lines: [string, string][] = [
      ['MAIL_OAUTH_TARGET', target.id],
      ['MAIL_OAUTH_CLOUD', profile.cloud],
      ['MAIL_OAUTH_FLOW', ctx.flow],
      ['MAIL_OAUTH_API', ctx.api],
      ['MAIL_OAUTH_TENANT', ctx.tenant],
      ['MAIL_OAUTH_AUTHORITY', `https://${ctx.hosts.signInHost}/${authority}`],
      ['MAIL_OAUTH_CLIENT_ID', ctx.clientId],
      ['MAIL_OAUTH_CLIENT_SECRET', secret],
    ];
    if (profile.secretId) lines.push(['MAIL_OAUTH_CLIENT_SECRET_ID', profile.secretId]);
    if (profile.secretExpires) lines.push(['MAIL_OAUTH_CLIENT_SECRET_EXPIRES', profile.secretExpires]);
    if (ctx.redirectUris[0]) lines.push(['MAIL_OAUTH_REDIRECT_URI', ctx.redirectUris[0]]);
    ctx.scopes.forEach((s, i) => lines.push([i === 0 ? 'MAIL_OAUTH_SCOPES' : `MAIL_OAUTH_SCOPES_${i + 1}`, s.join(' ')]));
    lines.push(['MAIL_OAUTH_MAILBOX', ctx.mailbox]);
    if (ctx.api === 'imap-smtp')
      lines.push(
        ['MAIL_OAUTH_IMAP_HOST', ctx.hosts.imap.host],
        ['MAIL_OAUTH_IMAP_PORT', String(ctx.hosts.imap.port)],
        ['MAIL_OAUTH_SMTP_HOST', ctx.hosts.smtp.host],
        ['MAIL_OAUTH_SMTP_PORT', String(ctx.hosts.smtp.port)],
      );
    else lines.push(['MAIL_OAUTH_GRAPH_URL', ctx.hosts.graphUrl]);
    for (const [k, v] of Object.entries(ctx.inputs)) if (v && k !== 'audience') lines.push([`MAIL_OAUTH_INPUT_${k.replace(/([A-Z])/g, '_$1').toUpperCase()}`, v]);
    for (const [k, v] of lines) assertPrintable(k, v);
    for (const [k, v] of lines) if (/_URL$|_URI$|AUTHORITY$/.test(k) && /^https?:/i.test(v)) assertSafeUrl(k, v);
    assertPrintable('The connection name', profile.name);
    const header = [
      `# Mail OAuth Assistant: ${profile.name} (${target.displayName})`,
      `# Generated ${options.now.toISOString()}`,
      secretIncluded
        ? '# WARNING: this file contains the client secret. Keep it out of version control and delete it once used.'
        : profile.clientSecret.source === 'env'
          ? `# The client secret is not in this file: the profile reads it from $${profile.clientSecret.name}.`
          : '# The client secret is not in this file: replace the placeholder where you use it.',
    ];
    return `${header.join('\n')}\n${lines.map(([k, v]) => `${k}=${q(v)}`).join('\n')}\n`;
  },
};
