import type { BaseContext } from './types';

/** Delegated IMAP + SMTP (one Outlook token covers both), with a refresh token. */
export function outlookDelegatedScopes(ctx: BaseContext): string[] {
  const r = ctx.hosts.outlookResource;
  return ['offline_access', `${r}/IMAP.AccessAsUser.All`, `${r}/SMTP.Send`];
}

/** Delegated Graph mail (a separate token from the Outlook one: AADSTS700022). */
export function graphDelegatedScopes(ctx: BaseContext): string[] {
  const r = ctx.hosts.graphUrl;
  return ['offline_access', `${r}/Mail.ReadWrite`, `${r}/Mail.Send`, `${r}/User.Read`];
}

export function exchangeAppScopes(ctx: BaseContext): string[] {
  return [`${ctx.hosts.exchangeAppResource}/.default`];
}

export function graphAppScopes(ctx: BaseContext): string[] {
  return [`${ctx.hosts.graphUrl}/.default`];
}
