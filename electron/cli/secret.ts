import type { SecretRef } from '../../shared/profile';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The client secret for a CLI run: from the environment variable the profile names, or asked on the
 * terminal without echo. Never from argv, never written anywhere.
 */
export async function resolveSecret(ref: SecretRef, io: { env: NodeJS.ProcessEnv; stdin: NodeJS.ReadStream; stderr: NodeJS.WriteStream; interactive: boolean }): Promise<string | undefined> {
  switch (ref.source) {
    case 'none':
      return undefined;
    case 'env': {
      const v = io.env[ref.name];
      if (v === undefined || v === '') throw new UsageError(`The profile reads the client secret from the environment variable ${ref.name}, which is not set.`);
      return v.trim();
    }
    case 'vault':
      throw new UsageError('The profile keeps its secret in the desktop app\'s vault, which the CLI cannot open. Use {"source":"env","name":"VAR"} or {"source":"ask"}.');
    case 'ask':
      if (!io.interactive || !io.stdin.isTTY) throw new UsageError('The profile asks for the client secret, but there is no terminal to ask on. Use {"source":"env","name":"VAR"} for scripts.');
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
