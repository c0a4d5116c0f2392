import { createContext } from '../../../../shared/catalogue';
import { emailEngineOAuth2Body, TargetProfileError } from '../../../../shared/catalogue/targets/emailengine';
import { ExportError, type ExportFormat, type RenderInput } from '../types';
import { assertPrintable, assertSafeUrl, shQuote } from './shell';

function body(input: RenderInput): Record<string, unknown> {
  try {
    return emailEngineOAuth2Body(createContext(input.target, input.profile, input.secret));
  } catch (e) {
    // A profile EmailEngine cannot take (app-only with the delegated app type, ...): say so, print no body.
    if (e instanceof TargetProfileError) throw new ExportError('invalid-profile', e.message);
    throw e;
  }
}

export const emailEngineJsonFormat: ExportFormat = {
  id: 'emailengine-oauth2-json',
  label: 'EmailEngine POST /v1/oauth2 body',
  description: 'The JSON body that creates this Outlook OAuth2 app through the EmailEngine API.',
  extension: 'json',
  mediaType: 'application/json',
  mayContainSecret: true,
  render: (input) => `${JSON.stringify(body(input), null, 2)}\n`,
};

export const emailEngineCurlFormat: ExportFormat = {
  id: 'emailengine-curl',
  label: 'EmailEngine curl command',
  description: 'A curl command that posts the OAuth2 app to EmailEngine (set EMAILENGINE_TOKEN to an API access token first).',
  extension: 'sh',
  mediaType: 'text/x-shellscript; charset=utf-8',
  mayContainSecret: true,
  render: (input) => {
    const ctx = createContext(input.target, input.profile, input.secret);
    const api = assertSafeUrl('The EmailEngine address', ctx.value('baseUrl').replace(/\/+$/, ''));
    const appName = assertPrintable('The app name', ctx.appName);
    assertPrintable('The connection name', input.profile.name);
    // JSON escapes every control character, and no line of it can be the bare heredoc delimiter.
    const json = JSON.stringify(body(input), null, 2);
    return [
      '#!/bin/sh',
      `# Creates the Outlook OAuth2 app "${appName}" in EmailEngine at ${api}.`,
      '# EMAILENGINE_TOKEN: an access token from EmailEngine (Access Tokens page).',
      input.secretIncluded ? '# WARNING: this script contains the client secret. Delete it once run.' : '# Replace the clientSecret placeholder with the secret\'s Value before running.',
      `curl -sS -X POST ${shQuote(`${api}/v1/oauth2`)} \\`,
      '  -H "Authorization: Bearer $EMAILENGINE_TOKEN" \\',
      "  -H 'Content-Type: application/json' \\",
      "  --data-binary @- <<'JSON'",
      json,
      'JSON',
      '',
    ].join('\n');
  },
};
