import { z } from 'zod';
import type { PasteField } from '../catalogue/types';

/**
 * The relay channel of the IPC contract (issue 22, item 5): "Write the relay settings" for the
 * catalogue entry "A device or program that cannot use OAuth". Main writes the relay's files (the
 * profile naming the environment variable for the client secret, and relay.json with the device's
 * password as an scrypt hash) and answers the settings to type into the device. The device's password
 * crosses to the renderer this once, to be shown on the card; the Microsoft secret never does.
 */
const profileId = z.string().regex(/^[a-z0-9-]{6,64}$/);

export interface RelaySetupView {
  /** The settings to type into the device (catalogue relayDeviceFields, with the generated password). */
  card: { title: string; fields: PasteField[]; notes: string[] };
  folder: string;
  profileFile: string;
  configFile: string;
  /** The command that runs the relay; the client secret goes in `secretEnv`. */
  command: string;
  secretEnv: string;
  /** A device of the same name was there: its old password no longer works. */
  replaced: boolean;
  /** Read back: the file parses, the relay would start, the password matches the stored hash. */
  readBack: boolean;
}

const returns = <T>() => undefined as unknown as T;

export const relayContract = {
  'relay:setup': { request: z.object({ profileId }).strict(), response: returns<RelaySetupView>() },
} as const;
