/**
 * Keeping a connection working (issue 12): certificates instead of secrets, rotation, expiry status
 * and notifications. Plain Node, no Electron.
 *   status.ts       readExpiry / judge / summarise: monitoring-plugin verdicts (`mail-oauth status`)
 *   certificate.ts  generate (@peculiar/x509), vault, upload (PATCH keyCredentials), portal files, PEM export
 *   rotate.ts       startRotation / finishRotation (addPassword, prove, confirm, removePassword)
 *   renew.ts        renewStart / renewFinish: the app's Renew secret, new value to the vault only
 *   notify.ts       one OS notification per expiring connection at app start (NotificationPort)
 */
export * from './status';
export * from './certificate';
export * from './rotate';
export * from './renew';
export * from './notify';
