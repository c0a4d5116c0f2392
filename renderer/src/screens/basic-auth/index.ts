export { BasicAuth } from './BasicAuth';
export { BasicAuthEntry } from './Entry';
export { ExpiringSoon, expiringSoon, EXPIRY_WINDOW_DAYS } from './ExpiringSoon';
export { movesFromCatalogue, sendOnceChecks, timelineNow, TIMELINE, BASIC_AUTH_REJECTION } from './facts';
