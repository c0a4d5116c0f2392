/**
 * `mail-oauth certificate <profile.json> --key-out FILE [--upload] [--pfx-out FILE] [--days N] [--json]`:
 * a certificate credential instead of a client secret (issue 12 item 1), end to end from the CLI:
 *   1. a new RSA 2048 key pair and self-signed certificate (@peculiar/x509, electron/engine/keepalive/certificate.ts);
 *      the private key to FILE (mode 0600, never overwritten, never printed), the public certificate
 *      beside it (.pem and .cer), a PFX only on request, under a passphrase read from the environment;
 *   2. with --upload and an administrator signed in: added to the registration's keyCredentials through
 *      Graph (the others kept) and read back; without it, the portal step with the file to upload;
 *   3. the profile file then signs in with the certificate (clientCertificate, clientSecret none), and
 *      after an upload the checks prove it (app-only profiles: token, IMAP/SMTP or Graph).
 * No key material in any output (the key is only in FILE and, on request, the PFX).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import path from 'node:path';
import { redact } from '../../../shared/diagnosis';
import type { Profile } from '../../../shared/profile';
import { MemoryVault, runChecks } from '../../engine';
import { exportPfx, generateCertificate, portalUpload, publicFacts, removeCertificate, thumbprintOf, uploadCertificate, type GeneratedCertificate, type UploadResult } from '../../engine/keepalive/certificate';
import { loadProfileFile } from '../../engine/profileFile';
import { diagnoseRegistrationError, findApplication, type AdminSession } from '../../engine/registration';
import { formatDiagnosis, formatRun } from '../output';
import { UsageError } from '../secret';
import type { CliIo } from '../main';
import { adminSessionOrExit, parseOptions, profileArg } from './register';
import { proveWith } from './rotate';

export const PFX_PASSPHRASE_ENV = 'MAIL_OAUTH_PFX_PASSPHRASE';

export const CERTIFICATE_HELP = `mail-oauth certificate <profile.json> --key-out <file> [options]

Makes the profile sign in with a certificate instead of a client secret:
  1. generates a key pair and a self-signed certificate; the private key goes to <file> (mode 0600,
     never printed, never overwritten), the certificate beside it as <file>.pem and <file>.cer;
  2. with --upload (administrator sign-in): adds the certificate to the app registration through
     Microsoft Graph, keeping the ones already there, and reads it back; otherwise prints the portal
     step (Certificates & secrets > Certificates > Upload certificate) with the .cer to choose;
  3. updates the profile file (clientCertificate with the key file, clientSecret none) and, after an
     upload, proves the certificate with the checks.
  --key-out <file>          where the private key goes (PKCS#8 PEM, mode 0600)
  --upload                  add the certificate to the registration (administrator sign-in)
  --pfx-out <file>          also write a PFX (PKCS#12) for systems that take one; its passphrase is read
                            from ${PFX_PASSPHRASE_ENV} (at least 8 characters), never from the command line
  --days <N>                validity in days (default 365, at most 730)
  --remove <thumbprint>     rotation, last step: remove an older certificate from the registration once
                            every system uses the new one (never the profile's current one; asks, or --yes)
  --yes                     confirm --remove without a question (schedulers, scripts)
  --device-code             sign the administrator in with a device code
  --admin-client-id <id>    the client the administrator signs in to
  --custom-endpoints        allow a sign-in host / Graph URL other than Microsoft's
  --json                    one JSON document on stdout
Exit 0 done (with --upload: the checks passed with the certificate), 1 not proved / refused, 2 usage.
`;

interface Options {
  keyOut: string;
  pfxOut?: string;
  passphrase?: string;
  days: number;
  json: boolean;
}

/** The public files' name beside the key: daemon.key -> daemon (.pem, .cer). */
const baseOf = (keyOut: string) => path.basename(keyOut).replace(/\.(key|pem)$/i, '');
const sibling = (keyOut: string, ext: string) => path.join(path.dirname(keyOut), `${baseOf(keyOut)}${ext}`);

/** The command after the (optional) administrator sign-in; tests call it with a session made from a token. */
export async function certificateWith(session: AdminSession | undefined, file: string, o: Options, io: CliIo): Promise<number> {
  const { profile } = loadProfileFile(file);
  const certPemFile = sibling(o.keyOut, '.pem');
  const cerFile = sibling(o.keyOut, '.cer');
  let cert: GeneratedCertificate | undefined;
  const out = (doc: Record<string, unknown>, text: string) => io.stdout.write(redact(o.json ? `${JSON.stringify(doc, null, 2)}\n` : text, cert ? [cert.privateKeyPem, ...(o.passphrase ? [o.passphrase] : [])] : []));
  try {
    cert = await generateCertificate({ subject: `CN=${(profile.name || 'Mail OAuth Assistant').replace(/[,=+<>#;"\\]/g, ' ').trim().slice(0, 60)}`, days: o.days });
    // The key first, exclusively: nothing else is written if its file cannot be made.
    writeFileSync(o.keyOut, cert.privateKeyPem, { mode: 0o600, flag: 'wx' });
    // The public certificate as the portal step names it (.cer to upload, .pem for the system).
    const portal = portalUpload(cert, profile.clientId, baseOf(o.keyOut));
    for (const f of portal.files) writeFileSync(path.join(path.dirname(o.keyOut), f.name), f.content, { flag: 'wx' });
    if (o.pfxOut) writeFileSync(o.pfxOut, await exportPfx(cert, cert.privateKeyPem, o.passphrase!), { mode: 0o600, flag: 'wx' });

    let uploaded: UploadResult | undefined;
    if (session) {
      const app = await findApplication(session.graph, profile.clientId);
      if (!app) throw Object.assign(new Error(`no app registration with client id ${profile.clientId} in this tenant`), { hint: 'registration-app-missing' });
      uploaded = await uploadCertificate(session.graph, app.id, cert, `Mail OAuth Assistant ${cert.notBefore.slice(0, 10)}`);
    }
    const next: Profile = { ...profile, clientSecret: { source: 'none' }, clientCertificate: { certificatePem: cert.certPem, privateKey: { source: 'file', path: path.resolve(o.keyOut) } } };
    writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);

    const facts = { thumbprint: cert.thumbprint, subject: cert.subject, notAfter: cert.notAfter, keyFile: path.resolve(o.keyOut), certificateFile: certPemFile, cerFile, ...(o.pfxOut ? { pfxFile: o.pfxOut } : {}) };
    const made = `Certificate ${cert.thumbprint} (${cert.subject}), valid until ${cert.notAfter.slice(0, 10)}.\nPrivate key: ${path.resolve(o.keyOut)} (mode 0600). Certificate: ${certPemFile}, ${cerFile}${o.pfxOut ? `. PFX: ${o.pfxOut} (mode 0600, passphrase from ${PFX_PASSPHRASE_ENV})` : ''}.\nThe profile ${file} now signs in with the certificate.\n`;
    if (!uploaded) {
      out({ ...facts, uploaded: false, portalStep: portal.step }, `${made}Not uploaded yet: ${portal.step}\nThen prove it: mail-oauth check ${file}\n`);
      return 0;
    }
    const run = await runChecks(next, { vault: new MemoryVault(), clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, x5c: cert.certPem } }, { only: proveWith(next) });
    const proved = run.passed;
    const previous = profile.clientCertificate ? publicFacts(profile.clientCertificate.certificatePem).thumbprint : undefined;
    const rotation = previous && previous !== cert.thumbprint ? `The previous certificate ${previous} is still on the registration, so systems using it keep working. Once every system uses the new one: mail-oauth certificate ${file} --remove ${previous}\n` : '';
    out(
      { ...facts, uploaded: true, keyId: uploaded.keyId, alreadyThere: uploaded.alreadyThere, proved, run, ...(previous && previous !== cert.thumbprint ? { previousThumbprint: previous } : {}) },
      `${made}Uploaded to the app registration (key ID ${uploaded.keyId}; ${uploaded.keyCredentials.length} certificate${uploaded.keyCredentials.length === 1 ? '' : 's'} on it now, read back).\n${formatRun(run, io.stdout)}${proved ? `The certificate works.\n${rotation}` : 'The checks did not pass with the certificate: see above. The old credential (if any) is still on the registration.\n'}`,
    );
    return proved ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'EEXIST') throw new UsageError(`${(e as { path?: string }).path ?? 'an output file'} already exists; the CLI never overwrites a key or certificate file. Name a new --key-out.`);
    const d = diagnoseRegistrationError(e, profile, cert ? { secrets: [cert.privateKeyPem] } : {});
    out({ error: { diagnosis: d } }, `The certificate could not be set up.\n${formatDiagnosis(d, '  ')}`);
    return 1;
  }
}

/** Rotation's last step: an older certificate off the registration (read back); the profile's own is refused. */
export async function removeOldCertificate(session: AdminSession, file: string, thumbprint: string, json: boolean, io: CliIo): Promise<number> {
  const { profile } = loadProfileFile(file);
  const wanted = thumbprint.replace(/[^0-9a-f]/gi, '').toUpperCase();
  const mine = profile.clientCertificate ? publicFacts(profile.clientCertificate.certificatePem).thumbprint : undefined;
  if (wanted === mine) throw new UsageError(`${wanted} is the certificate this profile signs in with; remove an older one`);
  const out = (doc: Record<string, unknown>, text: string) => io.stdout.write(json ? `${JSON.stringify(doc, null, 2)}\n` : text);
  try {
    const app = await findApplication(session.graph, profile.clientId);
    if (!app) throw Object.assign(new Error(`no app registration with client id ${profile.clientId} in this tenant`), { hint: 'registration-app-missing' });
    const found = (app.keyCredentials ?? []).find((k) => thumbprintOf(k.customKeyIdentifier) === wanted);
    if (!found) {
      out({ removed: false, thumbprint: wanted }, `No certificate with thumbprint ${wanted} on the registration: nothing to remove.\n`);
      return 0;
    }
    await removeCertificate(session.graph, app.id, found.keyId);
    out({ removed: true, thumbprint: wanted, keyId: found.keyId }, `The certificate ${wanted} (key ID ${found.keyId}) was removed from the registration (read back). Systems still signing with it now fail with AADSTS700027.\n`);
    return 0;
  } catch (e) {
    const d = diagnoseRegistrationError(e, profile);
    out({ error: { diagnosis: d } }, `The certificate could not be removed.\n${formatDiagnosis(d, '  ')}`);
    return 1;
  }
}

export async function certificateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'key-out': { type: 'string' }, upload: { type: 'boolean' }, 'pfx-out': { type: 'string' }, days: { type: 'string' }, remove: { type: 'string' }, yes: { type: 'boolean' }, 'device-code': { type: 'boolean' }, 'admin-client-id': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  const file = profileArg(positionals);
  if (typeof values.remove === 'string') {
    const { profile } = loadProfileFile(file);
    if (!/^[0-9a-f]{40}$/i.test(values.remove.replace(/[^0-9a-f]/gi, ''))) throw new UsageError('--remove takes a certificate thumbprint (40 hex digits, as the portal\'s Thumbprint column shows it)');
    if (!values.yes) {
      if (!io.stdin.isTTY) throw new UsageError('--remove takes a certificate off the registration: confirm with --yes that no system signs with it any more');
      const rl = createInterface({ input: io.stdin, output: io.stderr });
      const yes = /^y(es)?$/i.test((await rl.question(`Remove the certificate ${values.remove} from the registration? Systems still signing with it stop working. [y/N] `)).trim());
      rl.close();
      if (!yes) throw new UsageError('not removed');
    }
    const session = await adminSessionOrExit(profile, values, io, 'write');
    if (typeof session === 'number') return session;
    return removeOldCertificate(session, file, values.remove, !!values.json, io);
  }
  const keyOut = values['key-out'];
  if (typeof keyOut !== 'string' || !keyOut) throw new UsageError('pass --key-out <file> for the private key (the CLI never prints a key)');
  const days = values.days === undefined ? 365 : Number(values.days);
  if (!Number.isInteger(days) || days < 1 || days > 730) throw new UsageError('--days takes a whole number from 1 to 730');
  const pfxOut = typeof values['pfx-out'] === 'string' ? values['pfx-out'] : undefined;
  const passphrase = io.env[PFX_PASSPHRASE_ENV];
  if (pfxOut && (!passphrase || passphrase.length < 8)) throw new UsageError(`--pfx-out needs a passphrase of at least 8 characters in ${PFX_PASSPHRASE_ENV} (never on the command line)`);
  for (const f of [keyOut, sibling(keyOut, '.pem'), sibling(keyOut, '.cer'), ...(pfxOut ? [pfxOut] : [])]) {
    if (existsSync(f)) throw new UsageError(`${f} already exists; the CLI never overwrites a key or certificate file. Name a new --key-out.`);
  }
  const { profile } = loadProfileFile(file);
  if (!profile.clientId) throw new UsageError('the profile has no clientId');
  if (readFileSync(file, 'utf8').includes('PRIVATE KEY')) throw new UsageError('the profile file holds a private key: remove it first (keys go in a 0600 file, never in a profile)');
  let session: AdminSession | undefined;
  if (values.upload) {
    const s = await adminSessionOrExit(profile, values, io, 'write');
    if (typeof s === 'number') return s;
    session = s;
  }
  return certificateWith(session, file, { keyOut, ...(pfxOut ? { pfxOut, passphrase: passphrase! } : {}), days, json: !!values.json }, io);
}
