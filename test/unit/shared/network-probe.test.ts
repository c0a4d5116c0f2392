import { describe, expect, it } from 'vitest';
import { NETWORK_SERVICES, networkProbeName, parseNetworkProbe } from '../../../shared/checks';

// The network check writes one step per service and the Test screen reads them back into its
// per-service rows: one format, written and read by the same two functions.
describe('network probe step names', () => {
  it.each(NETWORK_SERVICES)('%s: the name the engine writes is the one the Test screen reads', (service) => {
    expect(parseNetworkProbe(networkProbeName(service, 'outlook.office365.com', 993))).toEqual({ service, target: 'outlook.office365.com:993' });
  });

  it('any other step is not a probe (no row for it)', () => {
    for (const name of ['XOAUTH2 login to outlook.office365.com:993', 'POP3: DNS, TCP and TLS to x:995', 'IMAP DNS, TCP and TLS to x:993', '']) expect(parseNetworkProbe(name)).toBeUndefined();
  });
});
