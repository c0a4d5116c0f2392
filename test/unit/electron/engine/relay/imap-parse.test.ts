/* The IMAP proxy's pre-authentication parser (RFC 9051 syntax for tag, atoms, quoted strings and
 * literals; RFC 7888 LITERAL+): what an old device may send before it has signed in. */
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../../../electron/engine/relay/imapProxy';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('IMAP proxy: parseCommand', () => {
  it('reads atoms and quoted strings with escapes', () => {
    const line = b('a1 LOGIN "scan\\"ner" "p\\\\w d"\r\nNEXT');
    const p = parseCommand(line, new Set());
    expect(p).toEqual({ kind: 'command', tag: 'a1', name: 'LOGIN', args: ['scan"ner', 'p\\w d'], consumed: line.length - 4 });
  });

  it('waits for the rest of a line, and for a synchronising literal asks once for it', () => {
    expect(parseCommand(b('a1 LOGIN scan'), new Set()).kind).toBe('more');
    const seen = new Set<number>();
    expect(parseCommand(b('a1 LOGIN {7}\r\n'), seen)).toEqual({ kind: 'literal', need: 7 });
    expect(parseCommand(b('a1 LOGIN {7}\r\nscan'), seen)).toEqual({ kind: 'more' });
    const p = parseCommand(b('a1 LOGIN {7}\r\nscanner {3+}\r\npwd\r\n'), seen);
    expect(p).toMatchObject({ kind: 'command', name: 'LOGIN', args: ['scanner', 'pwd'] });
  });

  it('refuses a literal larger than a login needs, a bad tag and an over-long line', () => {
    expect(parseCommand(b('a1 LOGIN {99999}\r\n'), new Set())).toMatchObject({ kind: 'bad', tag: 'a1', text: 'Literal too big before authentication' });
    expect(parseCommand(b('a+1 CAPABILITY\r\n'), new Set())).toMatchObject({ kind: 'bad', tag: '*' });
    expect(parseCommand(b(`a1 LOGIN ${'x'.repeat(9000)}`), new Set())).toMatchObject({ kind: 'bad', text: 'Line too long' });
  });

  it('upper-cases the command name and keeps UTF-8 in quoted strings', () => {
    expect(parseCommand(b('x capability\r\n'), new Set())).toMatchObject({ name: 'CAPABILITY', args: [] });
    expect(parseCommand(Buffer.from('x LOGIN "gerät" pw\r\n', 'utf8'), new Set())).toMatchObject({ args: ['gerät', 'pw'] });
  });
});
