#!/bin/sh
# Creates the Microsoft Entra app registration for cxt, exactly as Mail OAuth Assistant would.
# Display name:      CXT Software mail
# Account types:     Accounts in any organizational directory (Any Microsoft Entra directory - Multitenant) and personal Microsoft accounts (such as Skype and Xbox) (AzureADandPersonalMicrosoftAccount)
# Permissions:       none
# Mailboxes reached: Exchange role 'Application Mail.Read': only reception@fabrikam.com (its management scope); Exchange role 'Application Mail.Send': only reception@fabrikam.com (its management scope)
# Client secret:     "Oauth", 12 months
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

EXISTING=$(az ad app list --filter 'displayName eq '\''CXT Software mail'\''' --query '[0].appId' -o tsv)
if [ -n "$EXISTING" ]; then echo "An app registration with this display name already exists, client ID $EXISTING" >&2; exit 1; fi

APP_OBJECT_ID=$(az ad app create --display-name 'CXT Software mail' \
  --sign-in-audience AzureADMyOrg \
  --web-redirect-uris 'https://localhost' 'http://localhost' \
  --enable-access-token-issuance true \
  --enable-id-token-issuance true \
  --is-fallback-public-client true \
  --query id -o tsv)
APP_ID=$(az ad app show --id "$APP_OBJECT_ID" --query appId -o tsv)
echo "Created the app registration, client ID $APP_ID"
retry az rest --method PATCH --uri "$GRAPH/v1.0/applications/$APP_OBJECT_ID" --headers Content-Type=application/json --body '{"api":{"requestedAccessTokenVersion":2},"signInAudience":"AzureADandPersonalMicrosoftAccount"}'
SP_ID=$(retry az ad sp create --id "$APP_ID" --query id -o tsv)
echo "Created its enterprise application, object ID $SP_ID"

END_DATE=$(date -u -d '+12 months' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+12m +%Y-%m-%dT%H:%M:%SZ)
SECRET=$(retry az ad app credential reset --id "$APP_ID" --append --display-name 'Oauth' --end-date "$END_DATE" --query password -o tsv)
printf 'Client secret Value (shown once: copy it now into the system): %s\n' "$SECRET"
unset SECRET

echo 'Nothing to consent in Entra; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

echo 'Now in Exchange Online PowerShell (an Exchange administrator; Graph cannot do these):'
echo '# Connect to Exchange Online PowerShell'
printf 'Connect-ExchangeOnline -Organization %s\n' "'$TENANT_ID'"
echo '# Limit the app to reception@fabrikam.com (Exchange RBAC for Applications)'
printf 'New-ServicePrincipal -AppId %s -ObjectId %s -DisplayName '\''CXT Software mail'\''\n' "'$APP_ID'" "'$SP_ID'"
printf 'New-ManagementScope -Name '\''CXT Software mail mailbox'\'' -RecipientRestrictionFilter '\''PrimarySmtpAddress -eq '\'''\''reception@fabrikam.com'\'''\'''\''\n'
printf 'New-ManagementRoleAssignment -App %s -Role '\''Application Mail.Read'\'' -CustomResourceScope '\''CXT Software mail mailbox'\''\n' "'$SP_ID'"
printf 'New-ManagementRoleAssignment -App %s -Role '\''Application Mail.Send'\'' -CustomResourceScope '\''CXT Software mail mailbox'\''\n' "'$SP_ID'"
printf 'Test-ServicePrincipalAuthorization -Identity %s -Resource '\''reception@fabrikam.com'\''\n' "'$SP_ID'"
printf 'Get-ApplicationAccessPolicy\n'
