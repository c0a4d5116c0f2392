#!/bin/sh
# Creates the Microsoft Entra app registration for odoo, exactly as Mail OAuth Assistant would.
# Display name:      Odoo mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       IMAP.AccessAsUser.All (Microsoft Graph, delegated), SMTP.Send (Microsoft Graph, delegated), offline_access (Microsoft Graph, delegated), User.Read (Microsoft Graph, delegated)
# Mailboxes reached: IMAP.AccessAsUser.All (delegated): only the mailbox of the person who signs in; SMTP.Send (delegated): only the mailbox of the person who signs in
# Client secret:     "Odoo Fetchmail", 12 months
# Run it as an administrator with the Entra role Application Administrator or Cloud Application Administrator.
# It stops if an app with this display name already exists (lint that one instead of making a second).

# Needs Azure CLI 2.37 or later, signed in as that administrator:
#   az login --tenant '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01' --allow-no-subscriptions
set -eu

GRAPH='https://graph.microsoft.com'
TENANT_ID=$(az account show --query tenantId -o tsv)
# Microsoft Entra needs a moment before a new app can be referenced: retry with back-off.
retry() { n=0; until "$@"; do n=$((n + 1)); [ "$n" -ge 12 ] && return 1; sleep $((n * 2)); done; }
need_guid() { case "$2" in ????????-????-????-????-????????????) ;; *) echo "Could not resolve $1" >&2; exit 1 ;; esac; }

EXISTING=$(az ad app list --filter 'displayName eq '\''Odoo mail'\''' --query '[0].appId' -o tsv)
if [ -n "$EXISTING" ]; then echo "An app registration with this display name already exists, client ID $EXISTING" >&2; exit 1; fi

GRAPH_SP_ID=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query id -o tsv)
need_guid 'the tenant'\''s service principal of 00000003-0000-0000-c000-000000000000' "$GRAPH_SP_ID"
PERM_1=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query 'oauth2PermissionScopes[?value=='\''IMAP.AccessAsUser.All'\''].id | [0]' -o tsv) # IMAP.AccessAsUser.All (delegated)
need_guid 'IMAP.AccessAsUser.All (delegated)' "$PERM_1"
PERM_2=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query 'oauth2PermissionScopes[?value=='\''SMTP.Send'\''].id | [0]' -o tsv) # SMTP.Send (delegated)
need_guid 'SMTP.Send (delegated)' "$PERM_2"
PERM_3=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query 'oauth2PermissionScopes[?value=='\''offline_access'\''].id | [0]' -o tsv) # offline_access (delegated)
need_guid 'offline_access (delegated)' "$PERM_3"
PERM_4=$(az ad sp show --id 00000003-0000-0000-c000-000000000000 --query 'oauth2PermissionScopes[?value=='\''User.Read'\''].id | [0]' -o tsv) # User.Read (delegated)
need_guid 'User.Read (delegated)' "$PERM_4"

APP_OBJECT_ID=$(az ad app create --display-name 'Odoo mail' \
  --sign-in-audience AzureADMyOrg \
  --web-redirect-uris 'https://odoo.fabrikam.com/microsoft_outlook/confirm' \
  --required-resource-accesses "$(printf '[{"resourceAppId":"00000003-0000-0000-c000-000000000000","resourceAccess":[{"id":"%s","type":"Scope"},{"id":"%s","type":"Scope"},{"id":"%s","type":"Scope"},{"id":"%s","type":"Scope"}]}]' "$PERM_1" "$PERM_2" "$PERM_3" "$PERM_4")" \
  --query id -o tsv)
APP_ID=$(az ad app show --id "$APP_OBJECT_ID" --query appId -o tsv)
echo "Created the app registration, client ID $APP_ID"
SP_ID=$(retry az ad sp create --id "$APP_ID" --query id -o tsv)
echo "Created its enterprise application, object ID $SP_ID"

END_DATE=$(date -u -d '+12 months' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+12m +%Y-%m-%dT%H:%M:%SZ)
SECRET=$(retry az ad app credential reset --id "$APP_ID" --append --display-name 'Odoo Fetchmail' --end-date "$END_DATE" --query password -o tsv)
printf 'Client secret Value (shown once: copy it now into the system): %s\n' "$SECRET"
unset SECRET

retry az rest --method POST --uri "$GRAPH/v1.0/oauth2PermissionGrants" --headers Content-Type=application/json --body "$(printf '{"clientId":"%s","consentType":"AllPrincipals","resourceId":"%s","scope":"IMAP.AccessAsUser.All SMTP.Send offline_access User.Read"}' "$SP_ID" "$GRAPH_SP_ID")" >/dev/null
retry az ad sp update --id "$SP_ID" --set appRoleAssignmentRequired=true
USER_ID=$(az ad user show --id 'reception@fabrikam.com' --query id -o tsv)
retry az rest --method POST --uri "$GRAPH/v1.0/servicePrincipals/$SP_ID/appRoleAssignedTo" --headers Content-Type=application/json --body "$(printf '{"principalId":"%s","resourceId":"%s","appRoleId":"00000000-0000-0000-0000-000000000000"}' "$USER_ID" "$SP_ID")" >/dev/null
echo 'Admin consent granted; the registration is ready in Entra.'

echo 'Now in Exchange Online PowerShell (an Exchange administrator; Graph cannot do these):'
echo '# Allow SMTP AUTH for reception@fabrikam.com (optional)'
printf '# Set-CASMailbox -Identity '\''reception@fabrikam.com'\'' -SmtpClientAuthenticationDisabled $false\n'
