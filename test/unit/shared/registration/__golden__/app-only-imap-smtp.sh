#!/bin/sh
# Creates the Microsoft Entra app registration for app-only-imap-smtp, exactly as Mail OAuth Assistant would.
# Display name:      Shared mailbox or service (app-only IMAP/SMTP) mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       IMAP.AccessAsApp (Office 365 Exchange Online, application), SMTP.SendAsApp (Office 365 Exchange Online, application)
# Mailboxes reached: IMAP.AccessAsApp (application): only mailboxes given Full Access in Exchange (here: info@fabrikam.com); SMTP.SendAsApp (application): only mailboxes given Full Access in Exchange (here: info@fabrikam.com)
# Client secret:     "shared mailbox", 12 months
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

EXISTING=$(az ad app list --filter 'displayName eq '\''Shared mailbox or service (app-only IMAP/SMTP) mail'\''' --query '[0].appId' -o tsv)
if [ -n "$EXISTING" ]; then echo "An app registration with this display name already exists, client ID $EXISTING" >&2; exit 1; fi

EXCHANGE_SP_ID=$(az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query id -o tsv)
need_guid 'the tenant'\''s service principal of 00000002-0000-0ff1-ce00-000000000000' "$EXCHANGE_SP_ID"
PERM_1=$(az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query 'appRoles[?value=='\''IMAP.AccessAsApp'\''].id | [0]' -o tsv) # IMAP.AccessAsApp (application)
need_guid 'IMAP.AccessAsApp (application)' "$PERM_1"
PERM_2=$(az ad sp show --id 00000002-0000-0ff1-ce00-000000000000 --query 'appRoles[?value=='\''SMTP.SendAsApp'\''].id | [0]' -o tsv) # SMTP.SendAsApp (application)
need_guid 'SMTP.SendAsApp (application)' "$PERM_2"

APP_OBJECT_ID=$(az ad app create --display-name 'Shared mailbox or service (app-only IMAP/SMTP) mail' \
  --sign-in-audience AzureADMyOrg \
  --required-resource-accesses "$(printf '[{"resourceAppId":"00000002-0000-0ff1-ce00-000000000000","resourceAccess":[{"id":"%s","type":"Role"},{"id":"%s","type":"Role"}]}]' "$PERM_1" "$PERM_2")" \
  --query id -o tsv)
APP_ID=$(az ad app show --id "$APP_OBJECT_ID" --query appId -o tsv)
echo "Created the app registration, client ID $APP_ID"
SP_ID=$(retry az ad sp create --id "$APP_ID" --query id -o tsv)
echo "Created its enterprise application, object ID $SP_ID"

END_DATE=$(date -u -d '+12 months' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+12m +%Y-%m-%dT%H:%M:%SZ)
SECRET=$(retry az ad app credential reset --id "$APP_ID" --append --display-name 'shared mailbox' --end-date "$END_DATE" --query password -o tsv)
printf 'Client secret Value (shown once: copy it now into the system): %s\n' "$SECRET"
unset SECRET

retry az rest --method POST --uri "$GRAPH/v1.0/servicePrincipals/$EXCHANGE_SP_ID/appRoleAssignedTo" --headers Content-Type=application/json --body "$(printf '{"principalId":"%s","resourceId":"%s","appRoleId":"%s"}' "$SP_ID" "$EXCHANGE_SP_ID" "$PERM_1")" >/dev/null # IMAP.AccessAsApp
retry az rest --method POST --uri "$GRAPH/v1.0/servicePrincipals/$EXCHANGE_SP_ID/appRoleAssignedTo" --headers Content-Type=application/json --body "$(printf '{"principalId":"%s","resourceId":"%s","appRoleId":"%s"}' "$SP_ID" "$EXCHANGE_SP_ID" "$PERM_2")" >/dev/null # SMTP.SendAsApp
echo 'Admin consent granted; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

echo 'Now in Exchange Online PowerShell (an Exchange administrator; Graph cannot do these):'
echo '# Connect to Exchange Online PowerShell'
printf 'Connect-ExchangeOnline -Organization %s\n' "'$TENANT_ID'"
echo '# Register the app in Exchange Online'
printf 'New-ServicePrincipal -AppId %s -ObjectId %s -DisplayName '\''Shared mailbox or service (app-only IMAP/SMTP) mail'\''\n' "'$APP_ID'" "'$SP_ID'"
echo '# Let the app open info@fabrikam.com'
printf 'Add-MailboxPermission -Identity '\''info@fabrikam.com'\'' -User %s -AccessRights FullAccess\n' "'$SP_ID'"
echo '# Check for older Application Access Policies'
printf 'Get-ApplicationAccessPolicy\n'
printf 'Test-ApplicationAccessPolicy -Identity '\''info@fabrikam.com'\'' -AppId %s\n' "'$APP_ID'"
echo '# Allow SMTP AUTH for info@fabrikam.com (optional)'
printf '# Set-CASMailbox -Identity '\''info@fabrikam.com'\'' -SmtpClientAuthenticationDisabled $false\n'
