/**
 * The contract's channel and event names as plain data, so the sandboxed preload can be bundled
 * without zod. contract.ts fails to compile if these lists and the contract ever differ.
 */
export const CHANNELS = ['app:getInfo', 'app:openExternal'] as const;
export const EVENT_NAMES = ['app:notice'] as const;
