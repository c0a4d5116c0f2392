import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeChains, type ChainCert, type Chains } from './certs.fixture';

// Finding 1 (issue 13): the sign-in window's certificate override. Electron is replaced by a
// recording stand-in so the verify procedure the adapter installs can be called with forged chains.
type VerifyProc = (request: { hostname: string; certificate: ChainCert; verificationResult: string; errorCode: number }, callback: (verdict: number) => void) => void;
const recorded: { verifyProc?: VerifyProc } = {};

vi.mock('electron', () => {
  class FakeWebContents {
    on() {}
    setWindowOpenHandler() {}
    setDevToolsWebContents() {}
  }
  class FakeBrowserWindow {
    webContents = new FakeWebContents();
    on() {}
    once() {}
    isDestroyed() {
      return false;
    }
    destroy() {}
    setTitle() {}
    loadURL() {
      return new Promise(() => {});
    }
  }
  const fromPartition = () => ({
    setPermissionRequestHandler() {},
    setPermissionCheckHandler() {},
    setCertificateVerifyProc(proc: VerifyProc) {
      recorded.verifyProc = proc;
    },
    webRequest: { onBeforeRequest() {} },
    clearStorageData: () => Promise.resolve(),
  });
  return { BrowserWindow: FakeBrowserWindow, session: { fromPartition }, default: {} };
});

let chains: Chains;
beforeAll(async () => {
  chains = await makeChains();
  const { createElectronAuthWindow } = await import('../../../../electron/adapters/auth-window');
  void createElectronAuthWindow(() => undefined, [chains.trustedCaPem]).open('https://login.microsoftonline.com/common/oauth2/v2.0/authorize', 'https://erp.example.com/cb', { timeoutMs: 60_000 });
});

const verdict = (certificate: ChainCert, verificationResult = 'net::ERR_CERT_AUTHORITY_INVALID', hostname = chains.host) =>
  new Promise<number>((resolve) => recorded.verifyProc!({ hostname, certificate, verificationResult, errorCode: -202 }, resolve));

describe('sign-in window certificate override (extra CA configured)', () => {
  it('installs a verify procedure when extra CAs are configured', () => {
    expect(recorded.verifyProc).toBeTypeOf('function');
  });
  it('accepts a genuine chain of the configured CA for the host being visited', async () => {
    expect(await verdict(chains.good)).toBe(0);
  });
  it('keeps Chromium verdict when Chromium already trusts the chain', async () => {
    expect(await verdict(chains.good, 'net::OK')).toBe(-3);
  });
  it('refuses a forged chain: a leaf not signed by the CA, sent with a copy of the CA', async () => {
    expect(await verdict(chains.forged)).not.toBe(0);
  });
  it('refuses a genuine leaf of the CA issued for another host', async () => {
    expect(await verdict(chains.wrongHost)).not.toBe(0);
  });
  it('refuses an expired leaf and one not valid yet', async () => {
    expect(await verdict(chains.expired)).not.toBe(0);
    expect(await verdict(chains.notYetValid)).not.toBe(0);
  });
  it('never overrides a verdict other than "unknown issuer" (revoked, name mismatch, weak key)', async () => {
    for (const result of ['net::ERR_CERT_REVOKED', 'net::ERR_CERT_COMMON_NAME_INVALID', 'net::ERR_CERT_WEAK_KEY', 'net::ERR_CERT_DATE_INVALID']) {
      expect(await verdict(chains.good, result), result).not.toBe(0);
    }
  });
});
