/**
 * `mail-oauth rotate <profile.json> --secret-out FILE [--finish [--yes]] [--device-code] [--months N] [--json]`:
 * renews the client secret without a moment where the system has none (engine: electron/engine/keepalive/rotate.ts).
 *   1st run   : administrator sign-in, addPassword, the new Value written to FILE (mode 0600, never
 *               overwritten, never printed), the profile file updated with `rotation` (old = current),
 *               then the checks prove the new secret (app-only profiles: token, IMAP/SMTP or Graph).
 *   --finish  : after you gave the new Value to the system and confirm it (--yes, or "y" on a terminal):
 *               removePassword of the old one, read back, profile secretId/secretExpires = the new one.
 * Interrupted after the add: both secrets work and the profile says the old one is current; run the
 * same command again (FILE is read back to prove the recorded secret; no third secret is added).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { redact } from '../../../shared/diagnosis';
import { checksFor, findTarget } from '../../../shared/catalogue';
import type { CheckId } from '../../../shared/checks';
import type { Profile } from '../../../shared/profile';
import { MemoryVault, runChecks } from '../../engine';
import { finishRotation, RotationError, startRotation } from '../../engine/keepalive/rotate';
import { loadProfileFile } from '../../engine/profileFile';
import { diagnoseRegistrationError, type AdminSession } from '../../engine/registration';
import { formatDiagnosis, formatRun } from '../output';
import { UsageError } from '../secret';
import type { CliIo } from '../main';
import { adminSessionOrExit, parseOptions, profileArg } from './register';

export const ROTATE_HELP = `mail-oauth rotate <profile.json> --secret-out <file> [options]

Renews the profile's client secret in two steps, so the system is never without a working secret:
  1. adds a new secret (the old one stays valid), writes its Value to <file> (mode 0600; never printed,
     never overwritten), records the rotation in the profile file, and proves the new secret with the checks;
  2. with --finish, after you gave the new Value to the system: removes the old secret and makes the new
     one current in the profile. It asks first (or pass --yes).
Interrupted after step 1's add: both secrets work and the profile says which is current; run it again.
  --secret-out <file>       where the new secret's Value goes (step 1; read back when resuming)
  --finish                  step 2: remove the old secret (after confirmation)
  --yes                     confirm that the system already has the new secret (for --finish)
  --months <N>              lifetime of the new secret (default 12, at most 24)
  --device-code             sign the administrator in with a device code
  --admin-client-id <id>    the client the administrator signs in to
  --custom-endpoints        allow a sign-in host / Graph URL other than Microsoft's
  --json                    one JSON document on stdout
Exit 0 done (step 1: new secret proved; step 2: old one removed), 1 not proved / refused, 2 usage.
`;

export function proveWith(profile: Profile): CheckId[] {
  // The CLI proves what it can without a user sign-in: app-only profiles fully; delegated ones only reach the hosts.
  if (profile.flow !== 'app-only') return ['network'];
  const fallback: CheckId[] = profile.api === 'graph' ? ['network', 'token', 'graph'] : ['network', 'token', 'imap', 'smtp'];
  if (!findTarget(profile.target)) return fallback;
  return checksFor(profile.target, profile).filter((c) => c !== 'roundtrip');
}

/** The command after the administrator's sign-in (tests call it with a session made from a token). */
export async function rotateWith(session: AdminSession, file: string, o: { secretOut?: string; finish: boolean; confirmed: boolean; months?: number; json: boolean }, io: CliIo): Promise<number> {
  const { profile } = loadProfileFile(file);
  const save = (p: Profile) => writeFileSync(file, `${JSON.stringify(p, null, 2)}\n`);
  const secrets: string[] = [];
  const out = (doc: Record<string, unknown>, text: string) => io.stdout.write(redact(o.json ? `${JSON.stringify(doc, null, 2)}\n` : text, secrets));
  try {
    if (o.finish) {
      const r = await finishRotation(session.graph, profile, { confirmed: o.confirmed });
      save(r.profile);
      out({ finished: true, removedKeyId: r.removedKeyId ?? null, current: r.profile.secretId, secretExpires: r.profile.secretExpires }, `${r.summary}\n`);
      return 0;
    }
    let resumeSecret: string | undefined;
    if (profile.rotation) {
      if (!o.secretOut || !existsSync(o.secretOut)) throw new UsageError('a rotation is recorded in the profile: pass the same --secret-out file as the first run to prove it, or --finish');
      resumeSecret = readFileSync(o.secretOut, 'utf8').trim();
      secrets.push(resumeSecret);
    } else {
      if (!o.secretOut) throw new UsageError('pass --secret-out <file> to receive the new secret\'s Value (the CLI never prints a secret)');
      if (existsSync(o.secretOut)) throw new UsageError(`--secret-out ${o.secretOut} already exists; the CLI never overwrites a file with a secret. Name a new file.`);
    }
    const only = proveWith(profile);
    const r = await startRotation(session.graph, profile, {
      ...(resumeSecret ? { resumeSecret } : {}),
      ...(o.months ? { months: o.months } : {}),
      onAdded: async (p, secret) => {
        secrets.push(secret);
        // Both at once, before anything else can fail: the value in its 0600 file, the state in the profile.
        writeFileSync(o.secretOut!, `${secret}\n`, { mode: 0o600, flag: 'wx' });
        save(p);
      },
      prove: (p, secret) => runChecks(p, { vault: new MemoryVault(), clientSecret: secret }, { only }),
    });
    save(r.profile);
    const limited = profile.flow !== 'app-only' ? 'A delegated profile signs in as a user: the CLI only checked the network; prove the new secret with a sign-in in the desktop app (Test) before --finish.\n' : '';
    out(
      { proved: r.proved, rotation: r.profile.rotation, secretOut: o.secretOut, run: r.run },
      `${r.run ? formatRun(r.run, io.stdout) : ''}${r.summary}\n${limited}${r.proved ? `The new Value is in ${o.secretOut}. Once the system uses it, run: mail-oauth rotate ${file} --finish\n` : ''}`,
    );
    return r.proved ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof RotationError) {
      out({ error: { code: e.code, message: e.message } }, `Rotation stopped: ${e.message}\n`);
      return 1;
    }
    const d = diagnoseRegistrationError(e, profile, { secrets });
    out({ error: { diagnosis: d } }, `Rotation failed.\n${formatDiagnosis(d, '  ')}`);
    return 1;
  }
}

export async function rotateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, { 'secret-out': { type: 'string' }, finish: { type: 'boolean' }, yes: { type: 'boolean' }, months: { type: 'string' }, 'device-code': { type: 'boolean' }, 'admin-client-id': { type: 'string' }, 'custom-endpoints': { type: 'boolean' } });
  const file = profileArg(positionals);
  const months = values.months === undefined ? undefined : Number(values.months);
  if (months !== undefined && (!Number.isInteger(months) || months < 1 || months > 24)) throw new UsageError('--months takes a whole number from 1 to 24');
  const { profile } = loadProfileFile(file);
  if (!profile.clientId) throw new UsageError('the profile has no clientId');
  let confirmed = !!values.yes;
  if (values.finish && !confirmed) {
    if (!profile.rotation) throw new UsageError('no rotation is recorded in this profile; run without --finish first');
    if (!io.stdin.isTTY) throw new UsageError('--finish removes the old secret: confirm with --yes that the system already uses the new one');
    const rl = createInterface({ input: io.stdin, output: io.stderr });
    confirmed = /^y(es)?$/i.test((await rl.question(`Does the system already use the new secret (ID ${profile.rotation.new.keyId})? The old one stops working. [y/N] `)).trim());
    rl.close();
  }
  const session = await adminSessionOrExit(profile, values, io, 'write');
  if (typeof session === 'number') return session;
  return rotateWith(session, file, { ...(typeof values['secret-out'] === 'string' ? { secretOut: values['secret-out'] } : {}), finish: !!values.finish, confirmed, ...(months ? { months } : {}), json: !!values.json }, io);
}
