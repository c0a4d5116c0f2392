import { nonMicrosoftEndpoints, type EndpointFields } from '../../shared/endpoint-policy';
import type { SecretRef } from '../../shared/profile';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The names a profile may give for its secret's environment variable without the operator naming it. */
export const SECRET_ENV_PREFIX = 'MAIL_OAUTH_';
/** Set to 1 (or pass --custom-endpoints) to let a profile send its secret to servers other than Microsoft's. */
export const ALLOW_CUSTOM_ENDPOINTS_ENV = 'MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS';

export interface SecretIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  interactive: boolean;
  /** --secret-env NAME: the operator names a variable outside MAIL_OAUTH_* the profile may read. */
  allowEnvName?: string;
  /** --custom-endpoints: the operator allows hosts other than Microsoft's for this run. */
  customEndpoints?: boolean;
}

/** Whether a profile may read this environment variable: MAIL_OAUTH_* or the one the operator named. */
export function envNameAllowed(name: string, allowEnvName?: string): boolean {
  return (name.startsWith(SECRET_ENV_PREFIX) && name.length > SECRET_ENV_PREFIX.length) || (allowEnvName !== undefined && name === allowEnvName);
}

/**
 * The client secret for a CLI run: from the environment variable the profile names (MAIL_OAUTH_*
 * only, or the one named with --secret-env), or asked on the terminal without echo. Never from argv,
 * never written anywhere. A profile that points at servers other than Microsoft's for its cloud gets
 * no secret unless the operator allows it (--custom-endpoints or MAIL_OAUTH_ALLOW_CUSTOM_ENDPOINTS=1):
 * a profile file from someone else must not be able to post the secret to their server.
 */
export async function resolveSecret(ref: SecretRef, io: SecretIo, destination?: EndpointFields): Promise<string | undefined> {
  if (ref.source === 'none') return undefined;
  if (destination && ref.source !== 'vault') {
    const outside = nonMicrosoftEndpoints(destination);
    if (outside.length && !io.customEndpoints && io.env[ALLOW_CUSTOM_ENDPOINTS_ENV] !== '1')
      throw new UsageError(`The profile sends the client secret to ${outside.join(', ')}, not Microsoft's servers for its cloud. If that is intended (a test system, a TLS-inspecting proxy), run again with --custom-endpoints or ${ALLOW_CUSTOM_ENDPOINTS_ENV}=1.`);
  }
  switch (ref.source) {
    case 'env': {
      if (!envNameAllowed(ref.name, io.allowEnvName))
        throw new UsageError(`The profile reads the client secret from ${ref.name}; a profile may only name variables starting with ${SECRET_ENV_PREFIX}. To use ${ref.name}, run again with --secret-env ${ref.name}.`);
      const v = io.env[ref.name];
      if (v === undefined || v === '') throw new UsageError(`The profile reads the client secret from the environment variable ${ref.name}, which is not set.`);
      return v.trim();
    }
    case 'vault':
      throw new UsageError('The profile keeps its secret in the desktop app\'s vault, which the CLI cannot open. Use {"source":"env","name":"MAIL_OAUTH_SECRET"} or {"source":"ask"}.');
    case 'ask':
      if (!io.interactive || !io.stdin.isTTY) throw new UsageError('The profile asks for the client secret, but there is no terminal to ask on. Use {"source":"env","name":"MAIL_OAUTH_SECRET"} for scripts.');
      return askHidden('Client secret (Value, input hidden): ', io.stdin, io.stderr);
  }
}

function askHidden(prompt: string, stdin: NodeJS.ReadStream, out: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    out.write(prompt);
    let value = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      out.write('\n');
      if (err) reject(err);
      else resolve(value.trim());
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
