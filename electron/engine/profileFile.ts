import { readFileSync } from 'node:fs';
import { ProfileSchema, type Profile } from '../../shared/profile';

export class ProfileFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileFileError';
  }
}

/** Reads a profile JSON file: unusable input (missing file, bad JSON, schema) is a ProfileFileError. */
export function loadProfileFile(path: string): { profile: Profile; raw: Record<string, unknown> } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileFileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ProfileFileError(`${path} is not valid JSON: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ProfileFileError(`${path} must hold one JSON object (a profile)`);
  const parsed = ProfileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProfileFileError(`${path} is not a valid profile:\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  }
  return { profile: parsed.data, raw: raw as Record<string, unknown> };
}
