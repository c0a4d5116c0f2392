import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Directory, Signer, Principal } from './core.js';
import { hasFullAccess, hasSendAs, isGraphAudience, principalOf } from './core.js';
import type { MailStore, StoredMessage } from './mailstore.js';
import { guid, sleep } from './util.js';
import { GraphDirectoryApi, writeGraphError } from './graphdir.js';
import { handleBatch } from './graphbatch.js';
import { handleSignIns } from './graphsignins.js';

export function graphError(res: ServerResponse, req: IncomingMessage, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  writeGraphError(req, res, status, code, message, headers);
}

function toGraph(m: StoredMessage) {
  return {
    id: m.id,
    createdDateTime: m.date,
    receivedDateTime: m.date,
    sentDateTime: m.date,
    subject: m.subject,
    bodyPreview: m.body.slice(0, 255),
    body: { contentType: 'text', content: m.body },
    internetMessageId: m.messageId,
    isRead: m.file.includes(':2,') && /:2,.*S/.test(m.file),
    from: { emailAddress: { address: m.from, name: m.from } },
    sender: { emailAddress: { address: m.from, name: m.from } },
    toRecipients: m.to.map((a) => ({ emailAddress: { address: a, name: a } })),
    parentFolderId: 'inbox',
  };
}

export class Graph {
  readonly directory: GraphDirectoryApi;
  constructor(
    private readonly dir: Directory,
    private readonly signer: Signer,
    private readonly store: MailStore,
    public graphUrl: string,
  ) {
    this.directory = new GraphDirectoryApi(dir, () => this.graphUrl);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, rawBody: string): Promise<void> {
    const lat = this.dir.faults.latencyMs.graph;
    if (lat) await sleep(lat);
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || auth.length <= 7) return graphError(res, req, 401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': 'Bearer realm=""' });
    const v = this.signer.verify(auth.slice(7));
    if (!v.ok) {
      const msg = v.reason === 'expired' ? 'Lifetime validation failed, the token is expired.' : v.reason === 'malformed' ? 'IDX14100: JWT is not well formed, there are no dots (.).' : 'Access token validation failure. Invalid audience or signature.';
      return graphError(res, req, 401, 'InvalidAuthenticationToken', msg);
    }
    if (!isGraphAudience(v.claims.aud)) return graphError(res, req, 401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const p = principalOf(this.dir, v.claims);
    if (!p) return graphError(res, req, 401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v1.0' && parts[0] !== 'beta') return graphError(res, req, 400, 'BadRequest', `Invalid version: ${parts[0] ?? ''}`);
    // JSON batching (graphbatch.ts): each sub-request goes through this same handler with the batch's token.
    if (parts[1] === '$batch' && parts.length === 2) {
      if (req.method !== 'POST') return graphError(res, req, 405, 'Request_BadRequest', 'The HTTP method is not allowed for $batch.');
      return handleBatch(req, res, url, rawBody, parts[0]!, (q, r, u, b) => this.handle(q, r, u, b));
    }
    if (parts[1] === 'auditLogs' && parts[2] === 'signIns' && parts.length === 3) return handleSignIns(this.dir, req, res, url, p, this.graphUrl, parts[0]!);
    if (await this.directory.handle(req, res, url, rawBody, p, parts)) return;
    let mailbox: string;
    let rest: string[];
    if (parts[1] === 'me') {
      if (p.kind === 'app') return graphError(res, req, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      mailbox = p.user.upn.toLowerCase();
      rest = parts.slice(2);
    } else if (parts[1] === 'users' && parts[2]) {
      mailbox = parts[2].toLowerCase();
      rest = parts.slice(3);
    } else return graphError(res, req, 400, 'BadRequest', `Resource not found for the segment '${parts[1] ?? ''}'.`);
    const byOid = this.dir.userByOid(mailbox);
    if (byOid) mailbox = byOid.upn.toLowerCase();
    // An app reaches a mailbox by its Entra role (every mailbox) or by an Exchange RBAC role scoped to that mailbox.
    const scopedRole = (n: string) => p.kind === 'app' && p.app.graphRoleScope.some((x) => x.role === n && x.mailbox.toLowerCase() === mailbox);
    const has = (...names: string[]) => (p.kind === 'user' ? names.some((n) => p.scopes.includes(n)) : names.some((n) => p.roles.includes(n) || scopedRole(n)));
    const mb = this.dir.mailbox(mailbox);
    const user = this.dir.user(mailbox);
    const json = (status: number, obj: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; odata.metadata=minimal', 'request-id': guid() });
      res.end(JSON.stringify(obj));
    };
    if (rest.length === 0 && req.method === 'GET') {
      // User.Read: the signed-in user only; other users need User.ReadBasic.All / User.Read.All / Directory.* ([Doc] user-get.md permissions).
      const self = p.kind === 'user' && p.user.upn.toLowerCase() === mailbox;
      if (!has('User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'Directory.AccessAsUser.All') && !(self && has('User.Read', 'Mail.Read', 'Mail.ReadWrite', 'Mail.Send')))
        return graphError(res, req, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      const u = user ?? (mb ? { upn: mb.address, displayName: mb.displayName, objectId: mb.objectId } : undefined);
      if (!u) return graphError(res, req, 404, 'Request_ResourceNotFound', `Resource '${mailbox}' does not exist or one of its queried reference-property objects are not present.`);
      return json(200, { '@odata.context': `${this.graphUrl}/v1.0/$metadata#users/$entity`, id: u.objectId, displayName: u.displayName, userPrincipalName: u.upn, mail: mb ? mb.address : null, givenName: u.displayName.split(' ')[0], surname: u.displayName.split(' ').slice(1).join(' ') || null, businessPhones: [], jobTitle: null, mobilePhone: null, officeLocation: null, preferredLanguage: 'en-US' });
    }
    if (!mb) return graphError(res, req, 404, 'ErrorInvalidUser', `The requested user '${mailbox}' is invalid.`);
    const canRead = has('Mail.Read', 'Mail.ReadWrite', 'Mail.ReadBasic') && (p.kind === 'app' || hasFullAccess(p, mb.address));
    const path = rest.join('/').toLowerCase();
    if (req.method === 'GET' && (path === 'mailfolders/inbox' || path === 'mailfolders/inbox/messages' || path === 'messages')) {
      if (!canRead) return graphError(res, req, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      const msgs = this.store.list(mb.address);
      if (path === 'mailfolders/inbox')
        return json(200, { id: 'inbox', displayName: 'Inbox', parentFolderId: 'msgfolderroot', childFolderCount: 0, unreadItemCount: msgs.filter((m) => !/:2,.*S/.test(m.file)).length, totalItemCount: msgs.length, isHidden: false });
      const top = Number(url.searchParams.get('$top') ?? '10');
      return json(200, { '@odata.context': `${this.graphUrl}/v1.0/$metadata#users('${mb.address}')/messages`, value: msgs.slice(0, Number.isFinite(top) && top > 0 ? top : 10).map(toGraph) });
    }
    if (req.method === 'POST' && path === 'sendmail') {
      if (!has('Mail.Send')) return graphError(res, req, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      if (p.kind === 'user' && p.user.upn.toLowerCase() !== mb.address && !hasSendAs(p, mb.address)) return graphError(res, req, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
      let payload: { message?: { subject?: string; body?: { contentType?: string; content?: string }; toRecipients?: { emailAddress?: { address?: string } }[]; from?: { emailAddress?: { address?: string } } } };
      try {
        payload = JSON.parse(rawBody) as typeof payload;
      } catch {
        return graphError(res, req, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
      }
      const m = payload.message;
      const to = (m?.toRecipients ?? []).map((r) => r.emailAddress?.address ?? '').filter(Boolean);
      if (!m || to.length === 0) return graphError(res, req, 400, 'ErrorInvalidRecipients', 'At least one recipient is not valid., Recipient is missing.');
      const from = m.from?.emailAddress?.address ?? mb.address;
      if (from.toLowerCase() !== mb.address && !hasSendAs(p as Principal, from)) return graphError(res, req, 403, 'ErrorSendAsDenied', 'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.');
      const raw = [`From: ${from}`, `To: ${to.join(', ')}`, `Subject: ${m.subject ?? ''}`, `Date: ${new Date().toUTCString()}`, `Message-ID: <${guid()}@emulator.outlook.localhost>`, 'MIME-Version: 1.0', `Content-Type: ${m.body?.contentType?.toLowerCase() === 'html' ? 'text/html' : 'text/plain'}; charset=utf-8`, '', m.body?.content ?? ''].join('\r\n');
      for (const r of to) if (this.dir.mailbox(r)) this.store.deliver(r, raw);
      res.writeHead(202, { 'request-id': guid(), 'content-length': '0' });
      res.end();
      return;
    }
    return graphError(res, req, 400, 'BadRequest', `Resource not found for the segment '${rest[0] ?? ''}'.`);
  }
}
