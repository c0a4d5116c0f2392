#!/bin/sh
# Creates the Outlook OAuth2 app "EmailEngine mail" in EmailEngine at https://ee.fabrikam.com.
# EMAILENGINE_TOKEN: an access token from EmailEngine (Access Tokens page).
# Replace the clientSecret placeholder with the secret's Value before running.
curl -sS -X POST 'https://ee.fabrikam.com/v1/oauth2' \
  -H "Authorization: Bearer $EMAILENGINE_TOKEN" \
  -H 'Content-Type: application/json' \
  --data-binary @- <<'JSON'
{
  "name": "EmailEngine mail",
  "provider": "outlook",
  "enabled": true,
  "clientId": "11111111-2222-4333-8444-000000000001",
  "clientSecret": "<paste the client secret Value here>",
  "authority": "4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01",
  "cloud": "global",
  "redirectUrl": "https://ee.fabrikam.com/oauth",
  "baseScopes": "imap"
}
JSON
