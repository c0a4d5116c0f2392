/**
 * "Remove what was created" (issue 19, undo): after a failed or cancelled "Create it for me", deletes the
 * app registration this connection created and its enterprise application, then reads the directory back.
 * Deleting the service principal removes its consent grants and assignments with it; deleting the
 * application removes its secrets (Microsoft Graph: DELETE /servicePrincipals/{id}, DELETE
 * /applications/{id}; the application stays 30 days in "Deleted applications", restorable there).
 * Refuses an app whose display name is not the one this connection created (never someone else's app).
 */
import type { GraphApplication, GraphServicePrincipal } from '../../../shared/registration/types';
import type { AdminSession } from './admin-signin';
import { odataString } from './graph';

export interface RemoveCreatedResult {
  /** What was deleted, in plain words, in order. */
  removed: string[];
  /** Read back afterwards: true = still there (a deletion that did not take). */
  stillThere: { application: boolean; servicePrincipal: boolean };
}

export class RemoveRefused extends Error {}

export async function removeCreated(session: Pick<AdminSession, 'graph'>, created: { appId: string; displayName: string }): Promise<RemoveCreatedResult> {
  const g = session.graph;
  const readApp = () => g.getOrNull<GraphApplication>(`/applications(appId=${odataString(created.appId)})?$select=id,appId,displayName`);
  const readSp = () => g.getOrNull<GraphServicePrincipal>(`/servicePrincipals(appId=${odataString(created.appId)})?$select=id,appId,displayName`);
  const [app, sp] = await Promise.all([readApp(), readSp()]);
  const name = app?.displayName ?? sp?.displayName;
  if (name !== undefined && name !== created.displayName)
    throw new RemoveRefused(`The app with client ID ${created.appId} is named “${name}”, not “${created.displayName}” as this connection created it: nothing was removed.`);
  const removed: string[] = [];
  if (sp) {
    await g.delete(`/servicePrincipals/${sp.id}`);
    removed.push(`the enterprise application “${created.displayName}” (with its consent and assignments)`);
  }
  if (app) {
    await g.delete(`/applications/${app.id}`);
    removed.push(`the app registration “${created.displayName}” (with its client secrets; restorable for 30 days under Deleted applications)`);
  }
  const [appAfter, spAfter] = await Promise.all([readApp(), readSp()]);
  return { removed, stillThere: { application: !!appAfter, servicePrincipal: !!spAfter } };
}
