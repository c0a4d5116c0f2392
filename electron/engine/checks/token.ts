import { EngineError } from '../auth';
import type { CheckFn } from './context';

/** A token can be had for the profile, and its claims fit the target (audience, scopes/roles, account). */
export const tokenCheck: CheckFn = async ({ ctx, step }) => {
  const t = await step(ctx.profile.flow === 'app-only' ? 'Client credentials token acquired' : 'Saved sign-in refreshed', () => ctx.token(), (r) => `via ${r.via}`);
  await step('Claims fit the target', () => ctx.usableToken());
  return {
    via: t.via,
    audience: t.info.audience,
    scopes: t.info.scopes,
    roles: t.info.roles,
    tenantId: t.info.tenantId,
    account: t.info.account,
    kind: t.info.kind,
    expiresAt: t.info.expiresAt,
  };
};

export { EngineError };
