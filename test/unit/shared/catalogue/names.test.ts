import { describe, expect, it } from 'vitest';
import { targets } from '../../../../shared/catalogue';
import { TARGET_NAMES, targetName } from '../../../../shared/catalogue/names';

describe('TARGET_NAMES (the first screen names systems without the catalogue)', () => {
  it('lists exactly the catalogue targets, with their display names, in catalogue order', () => {
    expect(Object.entries(TARGET_NAMES)).toEqual(targets.map((t) => [t.id, t.displayName]));
  });

  it('answers undefined for unknown ids, including Object prototype keys', () => {
    expect(targetName(undefined)).toBeUndefined();
    expect(targetName('nope')).toBeUndefined();
    expect(targetName('constructor')).toBeUndefined();
    for (const t of targets) expect(targetName(t.id)).toBe(t.displayName);
  });
});
