/** The registration's pure half (issue 9): desired state, lint (diff), plan and scripts. */
export * from './types';
export * from './desired';
export { diffRegistration, findingsOf, type DiffOptions } from './diff';
export { planRegistration, applicationBody, requiredResourceAccessFor, type PlanOptions } from './plan';
export { analyzeRegistration, redirectDifference, resolvePermissionId, permissionName, durationMonths, SECRET_WARNING_DAYS, type Analysis } from './analyze';
export { psQuote, shQuote, odataQuote, isGuid } from './quote';
export { registrationScript, scriptScopes, mgEnvironment, type ScriptKind, type ScriptOptions } from './scripts';
export { rolesNeeded, type RoleNeed } from './roles';
export { mailReach, mailReachLine, EVERY_MAILBOX, type MailReach } from './reach';
export { smtpSendRoute } from './derive';
