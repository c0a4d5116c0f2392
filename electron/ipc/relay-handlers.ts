import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { RELAY_CARD_NOTES, RELAY_DEVICE_TARGET, RELAY_PORTS, relayDeviceFields, relayReadsPop, type RelayReach } from '../../shared/catalogue';
import type { RelaySetupView } from '../../shared/ipc/relay';
import type { SavedProfile } from '../../shared/saved-profile';
import { deviceMailbox, deviceUser, generatePassword, hashPassword, loadRelayConfig, openRelayRefusal, parseRelayConfig, verifyPassword, writeJsonAtomic, type RelayConfigInput } from '../engine/relay/config';
import { AppError, type Handler } from './dispatch';

/** The environment variable the relay's profile names for the client secret (the relay's service sets it). */
export const RELAY_SECRET_ENV = 'MAIL_OAUTH_RELAY_SECRET';

export interface RelayHandlerDeps {
  load(id: string): SavedProfile;
  /** Where relay folders go (one per connection); undefined = this build cannot write them. */
  relayDir: string | undefined;
  /** The connection's profile as the CLI reads it (the profile-json export: no secret in it). */
  profileJson(saved: SavedProfile): Promise<string>;
  hostname?: () => string;
}

/**
 * `relay:setup` (issue 22, item 5): writes the relay's profile and relay.json for the connection's
 * device (a new password each time, kept only as an scrypt hash), reads them back, and answers the
 * device's settings card. Idempotent on the file layout: the same device name is replaced, others stay.
 */
export function createRelayHandlers(deps: RelayHandlerDeps): { 'relay:setup': Handler<'relay:setup'> } {
  return {
    'relay:setup': async ({ profileId }): Promise<RelaySetupView> => {
      const saved = deps.load(profileId);
      const p = saved.profile;
      if (p.target !== RELAY_DEVICE_TARGET) throw new AppError('relay-wrong-target', 'Relay settings are only for "A device or program that cannot use OAuth".');
      if (!p.clientId || !p.tenant || !p.mailbox) throw new AppError('relay-not-registered', 'The app registration is not complete yet: create it (or enter its IDs) first, then write the relay settings.');
      if (!deps.relayDir) throw new AppError('relay-no-folder', 'This build of the app has no folder for relay settings.');
      const inputs = p.targetInputs ?? {};
      const device = inputs.deviceName || 'scanner';
      const reach: RelayReach = inputs.reach === 'this-computer' ? 'this-computer' : 'network';
      const mailbox = p.mailbox.toLowerCase();

      const folder = path.join(deps.relayDir, profileId);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      // The profile the relay runs with: the export's (no secret), the secret named as an environment variable.
      const profile = { ...(JSON.parse(await deps.profileJson(saved)) as Record<string, unknown>), clientSecret: { source: 'env', name: RELAY_SECRET_ENV } };
      const profileFile = path.join(folder, 'profile.json');
      const tmp = `${profileFile}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(profile, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, profileFile);

      const configFile = path.join(folder, 'profile.relay.json');
      const before: RelayConfigInput | undefined = existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as RelayConfigInput) : undefined;
      const others = (before?.devices ?? []).filter((d) => d.name !== device);
      // written again: the device keeps what an administrator turned on in relay.json (reading over IMAP/POP)
      const previous = (before?.devices ?? []).find((d) => d.name === device);
      // chosen in the app ("Does it also read mail?"): POP through the relay's POP proxy, for this mailbox
      const pop = relayReadsPop(inputs);
      const keep = { ...(previous?.imap ? { imap: true } : {}), ...(previous?.pop || pop ? { pop: true } : {}), ...(previous?.mailbox ? { mailbox: previous.mailbox } : {}) };
      const replaced = (before?.devices ?? []).length !== others.length;
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      const network = reach === 'network';
      const next: RelayConfigInput = {
        ...(before ?? {}),
        listen: { host: network ? '0.0.0.0' : '127.0.0.1', port: RELAY_PORTS.submission, implicitTlsPort: RELAY_PORTS.implicitTls },
        tls: { ...(before?.tls ?? {}), required: network },
        ...(pop && !before?.pop ? { pop: { port: RELAY_PORTS.pop, implicitTlsPort: RELAY_PORTS.popImplicitTls } } : {}),
        spool: before?.spool ?? 'spool',
        devices: [...others, { name: device, passwordHash, ips: [], senders: [mailbox], ...keep }],
      };
      const refusal = openRelayRefusal(parseRelayConfig(next, folder));
      if (refusal) throw new AppError('relay-config-refused', `The relay would not start with these settings: ${refusal}`);
      writeJsonAtomic(configFile, next);

      // Read back what the relay will read.
      const back = loadRelayConfig(configFile);
      const stored = back.devices.find((d) => d.name === device);
      const readBack = !!stored?.passwordHash && deviceUser(stored) === device && stored.senders.includes(mailbox) && (await verifyPassword(password, stored.passwordHash)) && openRelayRefusal(back) === null;
      if (!readBack) throw new AppError('relay-read-back-failed', `The relay settings in ${configFile} did not read back as written; nothing was given to the device.`);

      const server = network ? (deps.hostname ?? hostname)() : '127.0.0.1';
      return {
        card: { title: `Settings to type into ${device}`, fields: relayDeviceFields({ device, mailbox, reach, server, password, ...(back.pop && stored?.pop ? { pop: { port: back.pop.port, ...(back.pop.implicitTlsPort !== undefined ? { implicitTlsPort: back.pop.implicitTlsPort } : {}), mailbox: deviceMailbox(stored) } } : {}) }), notes: RELAY_CARD_NOTES },
        folder,
        profileFile,
        configFile,
        command: `mail-oauth relay "${profileFile}" --config "${configFile}"`,
        secretEnv: RELAY_SECRET_ENV,
        replaced,
        readBack,
      };
    },
  };
}
