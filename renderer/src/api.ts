import { API_KEY, type MailOAuthApi } from '../../shared/ipc/api';

declare global {
  interface Window {
    [API_KEY]: MailOAuthApi;
  }
}

/** The contract's API, exposed by the preload (or by the e2e test host). The renderer talks only to this. */
export function getApi(): MailOAuthApi {
  const api = (window as unknown as Record<string, MailOAuthApi | undefined>)[API_KEY];
  if (!api) throw new Error('The app bridge is missing: the window was opened outside Mail OAuth Assistant.');
  return api;
}
