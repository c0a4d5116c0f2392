export * from './validate';
export * from './clean';
export * from './targets';
