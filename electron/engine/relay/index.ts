/** The relay for devices and programs that cannot do OAuth (issue 22): plain Node, no Electron. */
export { Relay, RelayStartError, type RelayOptions, type RelayLogRecord, type RelayCounters } from './relay';
export { RelayConfigSchema, RelayConfigError, loadRelayConfig, parseRelayConfig, openRelayRefusal, hashPassword, verifyPassword, generatePassword, writeJsonAtomic, ipAllowed, isLoopback, deviceUser, deviceMailbox, type RelayConfig, type RelayConfigInput, type Device } from './config';
export { Spool, type SpoolEntry } from './spool';
export { relayStatus, type RelayStatus } from './status';
export { systemdUnit, windowsServiceText } from './service';
export { ImapProxy, parseCommand, type ImapCounters } from './imapProxy';
