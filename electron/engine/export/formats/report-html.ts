import { ACCOUNT_TYPES, createContext, pasteCard, PERMISSIONS, type CheckId } from '../../../../shared/catalogue';
import { CHECK_LABELS } from '../../../../shared/checks';
import { escapeHtml as h } from '../text';
import type { RegistrationRecord } from '../../../../shared/saved-profile';
import type { CheckResultLike, CheckRunLike, ExportFormat } from '../types';
import { parseExpiry, REMINDER_DAYS_BEFORE } from './ics';

export const REDACTED = '•••••• (redacted)';

const STATUS: Record<string, { label: string; cls: string }> = {
  pass: { label: 'Passed', cls: 'pass' },
  passed: { label: 'Passed', cls: 'pass' },
  ok: { label: 'Passed', cls: 'pass' },
  fail: { label: 'Failed', cls: 'fail' },
  failed: { label: 'Failed', cls: 'fail' },
  error: { label: 'Failed', cls: 'fail' },
  warn: { label: 'Warning', cls: 'warn' },
  warning: { label: 'Warning', cls: 'warn' },
  skip: { label: 'Skipped', cls: 'skip' },
  skipped: { label: 'Skipped', cls: 'skip' },
};

function duration(ms: number | undefined): string {
  if (ms === undefined) return '';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

interface DateStyle {
  locale?: string;
  timeZone?: string;
}

/** A readable local date and time ("1 May 2026, 10:58"), in the user's locale and time zone. */
function time(iso: string | undefined, st: DateStyle = {}): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return h(iso);
  return h(new Intl.DateTimeFormat(st.locale, { dateStyle: 'long', timeStyle: 'short', ...(st.timeZone ? { timeZone: st.timeZone } : {}) }).format(d));
}

/** A readable local date without time ("1 May 2026"). */
function day(d: Date, st: DateStyle = {}): string {
  return new Intl.DateTimeFormat(st.locale, { dateStyle: 'long', timeZone: st.timeZone ?? 'UTC' }).format(d);
}

const FAILED = new Set(['fail', 'failed', 'error']);

function checkRow(r: CheckResultLike, withWhen: boolean, st: DateStyle): string {
  const s = STATUS[r.status.toLowerCase()] ?? { label: r.status, cls: 'skip' };
  const id = r.id ?? r.checkId ?? '';
  const name = CHECK_LABELS[id as CheckId]?.title ?? id;
  const detail = r.diagnosis ? `${h(r.diagnosis.title)}${r.diagnosis.code ? ` <span class="code">${h(r.diagnosis.code)}</span>` : ''}` : h(r.summary ?? r.skippedReason ?? '');
  return `<tr><td>${h(name)}</td><td><span class="status ${s.cls}">${h(s.label)}</span></td><td class="num">${duration(r.durationMs)}</td>${withWhen ? `<td>${time(r.at, st)}</td>` : ''}<td>${detail}</td></tr>`;
}

const CSS = `
:root{--brand:#0f6cbd;--fg:#242424;--muted:#616161;--line:#e0e0e0;--bg2:#f5f5f5}
*{box-sizing:border-box}
body{font:14px/1.45 "Segoe UI",system-ui,-apple-system,"Helvetica Neue",Arial,sans-serif;color:var(--fg);margin:0;background:#fff}
main{max-width:960px;margin:0 auto;padding:32px 40px}
header{border-bottom:3px solid var(--brand);padding-bottom:12px;margin-bottom:20px}
h1{font-size:24px;margin:0 0 4px;font-weight:600}
h2{font-size:17px;margin:28px 0 8px;color:var(--brand);font-weight:600;break-after:avoid}
h3{font-size:14px;margin:16px 0 6px;font-weight:600;break-after:avoid}
.sub{color:var(--muted);margin:0}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;break-inside:auto}
tr{break-inside:avoid}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{background:var(--bg2);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
table.kv th{width:30%;text-transform:none;letter-spacing:0;font-size:13px;color:var(--fg);background:none}
code,.mono{font-family:Consolas,"Cascadia Mono","DejaVu Sans Mono",monospace;font-size:12.5px;word-break:break-all}
.num{white-space:nowrap;text-align:right}
.status{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;white-space:nowrap}
.pass{background:#dff6dd;color:#0e700e}.fail{background:#fde7e9;color:#b10e1c}.warn{background:#fff4ce;color:#8a3707}.skip{background:#f0f0f0;color:#616161}
.code{color:var(--muted);font-size:12px}
.callout{border-left:4px solid var(--brand);background:#ebf3fc;padding:10px 14px;margin:8px 0}
.callout.urgent{border-color:#c50f1f;background:#fde7e9}
.verdict{border-left:6px solid;padding:12px 16px;margin:0 0 16px;font-size:15px}.verdict.ok{border-color:#0e700e;background:#dff6dd}.verdict.bad{border-color:#c50f1f;background:#fde7e9}.verdict.none{border-color:#8a8886;background:#f5f5f5}.verdict p{margin:4px 0 0}
.redacted{color:var(--muted);font-style:italic}
ol{margin:6px 0 6px 20px;padding:0}
footer{margin-top:32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{main{padding:0;max-width:none}@page{margin:16mm 14mm}a{color:inherit;text-decoration:none}h2{margin-top:20px}}
`;

function scopeText(scoped: boolean, mailbox: string): string {
  return scoped
    ? `Limited to ${mailbox || 'the one mailbox'} (RBAC for Applications in Exchange Online).`
    : 'Every mailbox in the tenant: application permissions Mail.Read and Mail.Send are not limited to one mailbox. Limit them with RBAC for Applications (an application access policy) if only this mailbox should be reachable.';
}

function checkTitle(r: CheckResultLike): string {
  const id = r.id ?? r.checkId ?? '';
  return CHECK_LABELS[id as CheckId]?.title ?? id;
}

/** The first thing a reader sees: does it work, and if not, what to do. From the last check run only. */
function verdict(run: CheckRunLike | undefined, st: DateStyle): string {
  if (!run?.results.length)
    return '<section class="verdict none"><b>Not tested yet.</b><p>No checks were run before this report was made. Run the assistant\'s checks (or <code>mail-oauth check</code>), then export the report again.</p></section>';
  const when = run.startedAt ? ` (checks of ${time(run.startedAt, st)})` : '';
  const failed = run.results.filter((r) => FAILED.has(r.status.toLowerCase()));
  if (!failed.length) return `<section class="verdict ok"><b>Working.</b><p>Every check passed${when}.</p></section>`;
  const first = failed[0]!;
  const fix = first.diagnosis?.fix?.length ? `<p><b>Fix:</b> ${first.diagnosis.fix.map((f) => h(f.text)).join(' ')}</p>` : '<p><b>Fix:</b> see the failed check below, then run the checks again.</p>';
  return `<section class="verdict bad"><b>Not working yet.</b><p>${h(checkTitle(first))}: ${h(first.diagnosis?.title ?? first.summary ?? 'failed')}${when}.${failed.length > 1 ? ` ${failed.length - 1} more check(s) failed.` : ''}</p>${fix}</section>`;
}

/** What was changed in the customer's tenant, and by whom (the registration record of issue 10). */
function changes(reg: RegistrationRecord | undefined, appName: string, clientId: string, appOnlyGraph: boolean, scoped: boolean, mailbox: string): string {
  const items: string[] = [];
  const by = reg?.by ? ` (signed in as <code>${h(reg.by)}</code>)` : '';
  if (reg?.method === 'created') {
    items.push(`Created by the assistant${by}: app registration <b>${h(appName)}</b> (Application ID <code>${h(clientId)}</code>), enterprise app${reg.servicePrincipalId ? ` (Object ID <code>${h(reg.servicePrincipalId)}</code>)` : ''}, client secret${reg.secretKeyId ? ` (Secret ID <code>${h(reg.secretKeyId)}</code>)` : ''}, admin consent.`);
    if (reg.state !== 'complete') items.push('<b>Not finished:</b> the assistant stopped before every part was created; open the registration step to resume.');
  } else if (reg?.method === 'checked') items.push(`Registered by hand; checked by the assistant${by}.`);
  else items.push(`Registered by hand: app registration <b>${h(appName)}</b> (Application ID <code>${h(clientId)}</code>).`);
  if (appOnlyGraph) items.push(scoped ? `Mail access limited to ${h(mailbox || 'the one mailbox')} in Exchange Online.` : 'Mail access is not limited: the app can reach every mailbox in the tenant.');
  return `<h2>Changes in the tenant</h2><ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

export const reportHtmlFormat: ExportFormat = {
  id: 'report-html',
  label: 'Hand-over report (HTML)',
  description: 'A self-contained page to leave with the customer: registration, checks, secret expiry. Secrets are always redacted.',
  extension: 'html',
  mediaType: 'text/html; charset=utf-8',
  mayContainSecret: false,
  render: ({ profile, target, options }) => {
    const ctx = createContext(target, profile, REDACTED);
    const card = pasteCard(target, profile, REDACTED);
    const now = options.now;
    const st: DateStyle = { ...(options.locale ? { locale: options.locale } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) };
    const reg = options.registration;
    const appName = reg?.displayName || ctx.appName;
    const appOnlyGraph = ctx.flow === 'app-only' && ctx.api === 'graph';
    const scoped = options.mailboxScope === 'exchange-rbac';
    const expiry = parseExpiry(profile.secretExpires);
    const daysLeft = expiry ? Math.floor((expiry.getTime() - now.getTime()) / 86_400_000) : undefined;
    const kv = (rows: [string, string][]): string =>
      `<table class="kv">${rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
    const mono = (v: string): string => `<code>${h(v)}</code>`;

    const registration = kv([
      ['App', `${h(appName)} (Application ID ${mono(ctx.clientId)})`],
      ['Target system', h(target.displayName)],
      ['Mailbox', mono(ctx.mailbox)],
      ['Cloud', h(profile.cloud)],
      ['Directory (tenant) ID', mono(ctx.tenant)],
      ['Application (client) ID', mono(ctx.clientId)],
      ['Supported account types', h(ACCOUNT_TYPES[ctx.audience].label.replace('<Org>', 'your organization'))],
      ['Access', h(ctx.flow === 'app-only' ? 'App-only (application permissions, no one signs in)' : 'Delegated (the mailbox user signs in)')],
      ['Mail protocol', h(ctx.api === 'graph' ? 'Microsoft Graph' : 'IMAP and SMTP')],
      ...(appOnlyGraph ? ([['Mailbox scope', h(scopeText(scoped, ctx.mailbox))]] as [string, string][]) : []),
      ...(ctx.redirectUris.length ? ([['Redirect URI(s) (Web)', ctx.redirectUris.map(mono).join('<br>')]] as [string, string][]) : []),
      ['Client secret', `<span class="redacted">${h(REDACTED)}</span>${profile.secretId ? ` (Secret ID ${mono(profile.secretId)})` : ''}`],
    ]);
    const permRows = ctx.permissions
      .map((k) => PERMISSIONS[k])
      .map((p) => `<tr><td>${h(p.name)}</td><td>${h(p.resource)}</td><td>${h(p.type === 'delegated' ? 'Delegated' : 'Application')}</td><td class="mono">${h(p.id)}</td></tr>`)
      .join('');

    const run: CheckRunLike | undefined = options.checkRun;
    const finished =
      run?.finishedAt ?? (run?.startedAt && run.durationMs !== undefined ? new Date(new Date(run.startedAt).getTime() + run.durationMs).toISOString() : undefined);
    const withWhen = !!run?.results.some((r) => r.at);
    const checks = run?.results.length
      ? `<p class="sub">Run ${run.startedAt ? `started ${time(run.startedAt, st)}` : ''}${finished ? `, finished ${time(finished, st)}` : ''}.</p>
<table><thead><tr><th>Check</th><th>Result</th><th class="num">Time</th>${withWhen ? '<th>When</th>' : ''}<th>Details</th></tr></thead><tbody>${run.results.map((r) => checkRow(r, withWhen, st)).join('')}</tbody></table>`
      : '';

    let secretBlock: string;
    if (!expiry) secretBlock = '<p class="callout urgent">The secret\'s expiry date was not recorded. Look it up under <b>Certificates &amp; secrets</b> (column <b>Expires</b>) and note it: mail stops the day it expires.</p>';
    else {
      const reminder = day(new Date(expiry.getTime() - REMINDER_DAYS_BEFORE * 86_400_000), st);
      const urgent = daysLeft !== undefined && daysLeft <= REMINDER_DAYS_BEFORE;
      secretBlock = `<p class="callout${urgent ? ' urgent' : ''}">The client secret expires on <b>${h(day(expiry, st))}</b> (${daysLeft !== undefined && daysLeft >= 0 ? `in ${daysLeft} days` : 'already expired'}). After that ${h(target.displayName)} can no longer send or read mail. A calendar reminder for <b>${h(reminder)}</b> is available as an .ics export.</p>`;
    }
    const secretFields = card.sections.flatMap((s) => s.fields.filter((f) => f.secret).map((f) => `${s.title} &gt; <b>${h(f.label)}</b>`));
    const renew = `<ol>
<li>In the Microsoft Entra admin center open <b>App registrations</b> &gt; ${mono(ctx.clientId)} &gt; <b>Certificates &amp; secrets</b> &gt; <b>New client secret</b>, and copy its <b>Value</b> (not the <b>Secret ID</b>).</li>
<li>Paste it into ${h(target.displayName)}: ${secretFields.join('; ') || 'where the current secret is'}.</li>
<li>Run the checks again; then delete the old secret.</li></ol>`;

    const settings = card.sections
      .filter((s) => s.fields.length > 0)
      .map(
        (s) =>
          `<h3>${h(s.title)}</h3><p class="sub">${h(s.where)}</p><table class="kv">${s.fields
            .map((f) => `<tr><th scope="row">${h(f.label)}</th><td>${f.secret ? `<span class="redacted">${h(REDACTED)}</span>` : mono(f.value)}${f.note ? ` <span class="code">${h(f.note)}</span>` : ''}</td></tr>`)
            .join('')}</table>${(s.notes ?? []).map((n) => `<p class="sub">${h(n)}</p>`).join('')}`,
      )
      .join('');

    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${h(`Mail OAuth hand-over: ${profile.name}`)}</title><style>${CSS}</style></head>
<body><main>
<header><h1>${h(profile.name)}</h1><p class="sub">${h(target.displayName)} mail through Microsoft 365 with OAuth2 · hand-over report · ${time(now.toISOString(), st)}</p></header>
${verdict(run, st)}
${changes(reg, appName, ctx.clientId, appOnlyGraph, scoped, ctx.mailbox)}
<h2>Registration in Microsoft Entra ID</h2>${registration}
<h3>API permissions</h3><table><thead><tr><th>Permission</th><th>API</th><th>Type</th><th>Id</th></tr></thead><tbody>${permRows}</tbody></table>
${checks ? `<h2>Checks</h2>${checks}\n` : ''}<h2>Client secret expiry</h2>${secretBlock}<h3>Before it expires</h3>${renew}
${settings ? `<h2>Settings in ${h(target.displayName)}</h2>${settings}` : ''}
<footer>Made by Mail OAuth Assistant. Secrets are never included in this report.</footer>
</main></body></html>
`;
  },
};
