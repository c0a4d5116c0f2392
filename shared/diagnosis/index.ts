export * from './types';
export * from './redact';
export * from './diagnose';
export { portal } from './links';
export { catalogueEntry } from './catalogue';
