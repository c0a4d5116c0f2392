/**
 * The engine's public API: plain Node, no Electron. Hosts (electron/main.ts, the CLI, tests) supply
 * the ports; everything else is here.
 */
export type { AuthWindow, SecretVault, ProfileStore, Clock, EngineDeps } from './ports';
export { MemoryVault, systemClock } from './ports';
export { resolveEndpoints, scopesFor, type ResolvedEndpoints } from '../../shared/endpoints';
export { signIn, signOut, acquireToken, createMsal, cacheKey, EngineError, ProfileNetworkClient, type SignInOptions, type SignInResult, type TokenResult } from './auth';
export { inspectToken, decodeJwt, judgeClaims, type TokenInfo, type ClaimProblem } from './token';
export { runChecks, applicableChecks, type RunOptions } from './run';
export { diagnose, redact } from '../../shared/diagnosis';
export { validateProfile } from '../../shared/validation';
export { loadCaCerts, httpsRequest, probe, type NetOptions } from './net';
export { loadProfileFile, ProfileFileError } from './profileFile';
