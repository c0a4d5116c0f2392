import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, ipAllowed, openRelayRefusal, parseRelayConfig, verifyPassword } from '../../../electron/engine/relay/config';
import { newSpoolId, Spool, type SpoolEntry } from '../../../electron/engine/relay/spool';
import { relayStatus } from '../../../electron/engine/relay/status';
import { tempDir } from './harness';

function entry(id: string): SpoolEntry {
  return { id, messageId: `<${id}@x>`, from: 'info@fabrikam.com', to: ['a@fabrikam.com'], device: 'copier', mailbox: 'info@fabrikam.com', size: 10, acceptedAt: new Date().toISOString(), attempts: 0, nextAttemptAt: new Date().toISOString() };
}

describe('relay spool: the state a crash leaves behind', () => {
  it('spool ids sort in the order they were made, also within one millisecond (the queue is worked oldest first by name)', () => {
    const ids = Array.from({ length: 500 }, () => newSpoolId());
    expect([...ids].sort()).toEqual(ids);
  });

  it('resumes queued messages, holds one whose end may have reached Microsoft, drops what was never acknowledged', () => {
    const dir = tempDir();
    const spool = new Spool(dir);
    const [a, b, c, d] = [newSpoolId(), newSpoolId(), newSpoolId(), newSpoolId()];
    spool.accept(entry(a!), Buffer.from('Subject: a\r\n\r\na'));
    spool.accept(entry(b!), Buffer.from('Subject: b\r\n\r\nb'));
    spool.markBodySent(b!); // killed after the end of DATA went out, before the answer was recorded
    spool.accept(entry(c!), Buffer.from('Subject: c\r\n\r\nc'));
    spool.delivered({ ...entry(c!), deliveredAt: new Date().toISOString() });
    writeFileSync(path.join(dir, 'queue', `${d}.eml`), 'Subject: d\r\n\r\nnever acknowledged'); // no .json: no 250 was given
    writeFileSync(path.join(dir, 'tmp', `${d}.json`), '{}');
    const r = new Spool(dir).recover();
    expect(r.queued.map((e) => e.id)).toEqual([a]);
    expect(r.held).toEqual([b]);
    expect(existsSync(path.join(dir, 'queue', `${d}.eml`))).toBe(false);
    expect(readdirSync(path.join(dir, 'tmp'))).toEqual([]);
    expect(readdirSync(path.join(dir, 'held')).sort()).toEqual([`${b}.eml`, `${b}.json`, `${b}.sent-body`]);
    const s = relayStatus(parseRelayConfig({ spool: dir, devices: [{ name: 'copier', ips: ['127.0.0.1'], senders: ['info@fabrikam.com'] }] }, dir));
    expect(s.counts).toMatchObject({ queued: 1, held: 1, delivered: 1, bounced: 0, accepted: 3 });
    expect(s.state).toBe('CRITICAL'); // not running with mail waiting
    expect(s.text).toMatch(/1 message\(s\) held after a crash/);
    // an operator releases the held message: it is queued again
    spool.release(b!);
    expect(new Spool(dir).recover().queued.map((e) => e.id)).toEqual([a, b]);
    expect(() => spool.release('../../etc/passwd')).toThrow(/no held message/);
  });
});

describe('relay configuration: never an open relay', () => {
  const dev = { name: 'copier', senders: ['info@fabrikam.com'] };
  it('a loopback listener may know a device by its address; any other listener needs TLS required and passwords', async () => {
    const hash = await hashPassword('correct horse');
    expect(openRelayRefusal(parseRelayConfig({ spool: 's', devices: [{ ...dev, ips: ['127.0.0.1'] }] }, '/tmp'))).toBeNull();
    expect(openRelayRefusal(parseRelayConfig({ spool: 's', devices: [] }, '/tmp'))).toMatch(/no device/);
    expect(openRelayRefusal(parseRelayConfig({ spool: 's', listen: { host: '0.0.0.0' }, tls: { required: true }, devices: [{ ...dev, ips: ['10.0.0.0/24'] }] }, '/tmp'))).toMatch(/every device needs a password/);
    expect(openRelayRefusal(parseRelayConfig({ spool: 's', listen: { host: '192.168.1.5' }, devices: [{ ...dev, passwordHash: hash }] }, '/tmp'))).toMatch(/TLS must be required/);
    expect(openRelayRefusal(parseRelayConfig({ spool: 's', listen: { host: '0.0.0.0' }, tls: { required: true }, devices: [{ ...dev, passwordHash: hash }] }, '/tmp'))).toBeNull();
    expect(() => parseRelayConfig({ spool: 's', devices: [dev] }, '/tmp')).toThrow(/neither a password nor an IP allow-list/);
  });

  it('passwords are scrypt hashes; IP rules take addresses and CIDR ranges', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsf', hash)).toBe(false);
    expect(ipAllowed(['10.0.0.0/24'], '10.0.0.77')).toBe(true);
    expect(ipAllowed(['10.0.0.0/24'], '::ffff:10.0.0.77')).toBe(true);
    expect(ipAllowed(['10.0.0.0/24'], '10.0.1.1')).toBe(false);
    expect(ipAllowed([], '127.0.0.1')).toBe(false);
  });
});
