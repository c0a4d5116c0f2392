/**
 * One table of national-cloud hosts (shared/endpoints.ts): no other source file may spell one out,
 * so a correction to the table reaches every consumer (engine, catalogue, exports, renderer).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TABLE = path.join('shared', 'endpoints.ts');
const NATIONAL_HOSTS = /outlook\.office365\.us|outlook-dod\.office365\.us|partner\.outlook\.cn|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn|login\.microsoftonline\.us|login\.chinacloudapi\.cn|login\.partner\.microsoftonline\.cn|smtp\.office365\.us|webmail\.apps\.mil/i;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sources(full));
    else if (/\.(ts|tsx|js|mjs|cjs)$/.test(name)) out.push(full);
  }
  return out;
}

describe('national-cloud hosts live in shared/endpoints.ts only', () => {
  const files = ['shared', 'electron', 'renderer/src'].flatMap((d) => sources(path.join(ROOT, d)));

  it('scans the product source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(readFileSync(path.join(ROOT, TABLE), 'utf8')).toMatch(NATIONAL_HOSTS);
  });

  it('no other file hard-codes one', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const rel = path.relative(ROOT, file);
      if (rel === TABLE) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (NATIONAL_HOSTS.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
