#!/bin/sh
# Creates the Microsoft Entra app registration for generic-graph, exactly as Mail OAuth Assistant would.
# Display name:      My own application (Graph) mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       none
# Mailboxes reached: Exchange role 'Application Mail.Read': only reception@fabrikam.com (its management scope); Exchange role 'Application Mail.Send': only reception@fabrikam.com (its management scope)
# Client secret:     "app-only mail", 12 months
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

EXISTING=$(az ad app list --filter 'displayName eq '\''My own application (Graph) mail'\''' --query '[0].appId' -o tsv)
if [ -n "$EXISTING" ]; then echo "An app registration with this display name already exists, client ID $EXISTING" >&2; exit 1; fi

APP_OBJECT_ID=$(az ad app create --display-name 'My own application (Graph) mail' \
  --sign-in-audience AzureADMyOrg \
  --query id -o tsv)
APP_ID=$(az ad app show --id "$APP_OBJECT_ID" --query appId -o tsv)
echo "Created the app registration, client ID $APP_ID"
SP_ID=$(retry az ad sp create --id "$APP_ID" --query id -o tsv)
echo "Created its enterprise application, object ID $SP_ID"

END_DATE=$(date -u -d '+12 months' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+12m +%Y-%m-%dT%H:%M:%SZ)
SECRET=$(retry az ad app credential reset --id "$APP_ID" --append --display-name 'app-only mail' --end-date "$END_DATE" --query password -o tsv)
printf 'Client secret Value (shown once: copy it now into the system): %s\n' "$SECRET"
unset SECRET

echo 'Nothing to consent in Entra; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

echo 'Now in Exchange Online PowerShell (an Exchange administrator; Graph cannot do these):'
echo '# Connect to Exchange Online PowerShell'
printf 'Connect-ExchangeOnline -Organization %s\n' "'$TENANT_ID'"
echo '# Limit the app to reception@fabrikam.com (Exchange RBAC for Applications)'
printf 'New-ServicePrincipal -AppId %s -ObjectId %s -DisplayName '\''My own application (Graph) mail'\''\n' "'$APP_ID'" "'$SP_ID'"
printf 'New-ManagementScope -Name '\''My own application (Graph) mail mailbox'\'' -RecipientRestrictionFilter '\''PrimarySmtpAddress -eq '\'''\''reception@fabrikam.com'\'''\'''\''\n'
printf 'New-ManagementRoleAssignment -App %s -Role '\''Application Mail.Read'\'' -CustomResourceScope '\''My own application (Graph) mail mailbox'\''\n' "'$SP_ID'"
printf 'New-ManagementRoleAssignment -App %s -Role '\''Application Mail.Send'\'' -CustomResourceScope '\''My own application (Graph) mail mailbox'\''\n' "'$SP_ID'"
printf 'Test-ServicePrincipalAuthorization -Identity %s -Resource '\''reception@fabrikam.com'\''\n' "'$SP_ID'"
printf 'Get-ApplicationAccessPolicy\n'
