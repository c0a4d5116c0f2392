/**
 * The contract's channel and event names as plain data, so the sandboxed preload can be bundled
 * without zod. contract.ts fails to compile if these lists and the contract ever differ.
 */
export const CHANNELS = [
  'app:getInfo',
  'app:getStatus',
  'app:openExternal',
  'profiles:list',
  'profiles:save',
  'profiles:delete',
  'secrets:set',
  'secrets:status',
  'secrets:clear',
  'signin:start',
  'signin:cancel',
  'signin:signOut',
  'checks:run',
  'checks:cancel',
  'export:make',
  'export:save',
  'registration:adminSignIn',
  'registration:adminStatus',
  'registration:adminSignOut',
  'registration:lint',
  'registration:plan',
  'registration:apply',
  'registration:manualSteps',
  'registration:cancel',
  'registration:script',
  'clipboard:write',
  'export:copy',
  'settings:get',
  'settings:setCustomEndpoints',
  'settings:setCaCerts',
] as const;
export const EVENT_NAMES = ['app:notice', 'checks:progress', 'signin:progress', 'registration:progress'] as const;
