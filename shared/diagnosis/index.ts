export * from './types';
export * from './redact';
export * from './diagnose';
export { portal } from './links';
export { catalogueEntry } from './catalogue';
export { explain, fragments, EXPLAIN_MAX_CHARS, type Explanation, type ExplainOptions } from './explain';
