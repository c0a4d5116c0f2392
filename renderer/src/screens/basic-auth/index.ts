export { BasicAuth } from './BasicAuth';
export { BasicAuthEntry, ExpiringSoon, expiringSoon, EXPIRY_WINDOW_DAYS } from './Entry';
export { movesFromCatalogue, sendOnceChecks, timelineNow, TIMELINE, BASIC_AUTH_REJECTION } from './facts';
