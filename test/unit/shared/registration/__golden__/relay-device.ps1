# Creates the Microsoft Entra app registration for relay-device, exactly as Mail OAuth Assistant would.
# Display name:      A device or program that cannot use OAuth (scanner, printer, older software) mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       none
# Mailboxes reached: Exchange role 'Application SMTP.SendAsApp': only info@fabrikam.com (its management scope)
# Client secret:     "mail relay", 12 months
# Run it as an administrator with the Entra role Application Administrator or Cloud Application Administrator.
# It stops if an app with this display name already exists (lint that one instead of making a second).

$ErrorActionPreference = 'Stop'

# Needs the Microsoft Graph PowerShell SDK: Install-Module Microsoft.Graph -Scope CurrentUser
Connect-MgGraph -TenantId '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01' -Scopes 'Application.ReadWrite.All' -NoWelcome
$tenantId = (Get-MgContext).TenantId

# Microsoft Entra needs a moment before a new app can be referenced: retry with back-off.
function Invoke-WithRetry([scriptblock]$Action) {
  for ($i = 1; ; $i++) {
    try { return & $Action } catch { if ($i -ge 12) { throw }; Start-Sleep -Seconds ([Math]::Min(30, 2 * $i)) }
  }
}
function Get-PermissionId($Resource, [string]$Name, [string]$Type) {
  if ($Type -eq 'Scope') { $id = ($Resource.Oauth2PermissionScopes | Where-Object { $_.Value -eq $Name }).Id }
  else { $id = ($Resource.AppRoles | Where-Object { $_.Value -eq $Name -and $_.AllowedMemberTypes -contains 'Application' }).Id }
  if (-not $id) { throw ('The tenant''s ' + $Resource.DisplayName + ' publishes no permission ' + $Name) }
  return $id
}

$existing = Get-MgApplication -Filter 'displayName eq ''A device or program that cannot use OAuth (scanner, printer, older software) mail'''
if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }

$body = @{
  displayName = 'A device or program that cannot use OAuth (scanner, printer, older software) mail'
  signInAudience = 'AzureADMyOrg'
  requiredResourceAccess = @()
}
$app = New-MgApplication -BodyParameter $body
Write-Host ('Created the app registration, client ID ' + $app.AppId)
$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }
Write-Host ('Created its enterprise application, object ID ' + $sp.Id)

$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = 'mail relay'; endDateTime = (Get-Date).ToUniversalTime().AddMonths(12) } }
Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)
Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)

Write-Host 'Nothing to consent in Entra; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.
# Connect to Exchange Online PowerShell: The Exchange steps below run in this session (Install-Module ExchangeOnlineManagement once).
Connect-ExchangeOnline -Organization $tenantId
# Register the app in Exchange Online: Application permissions alone do not open a mailbox over IMAP/POP/SMTP: Exchange must know the app. -ObjectId is the enterprise application's Object ID, not the app registration's.
New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName 'A device or program that cannot use OAuth (scanner, printer, older software) mail'
# Let the app send as info@fabrikam.com only (RBAC for Applications): Microsoft's route for app-only SMTP since October 2025: the Exchange role Application SMTP.SendAsApp, scoped to this mailbox, with no mailbox permission and no SMTP.SendAsApp in Entra (that claim would make Exchange check mailbox permissions instead). For many mailboxes, scope it to a group (MemberOfGroup) or an administrative unit (-RecipientAdministrativeUnitScope) instead of one address.
New-ManagementScope -Name 'A device or program that cannot use OAuth (scanner, printer, older software) mail SMTP' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''info@fabrikam.com'''
New-ManagementRoleAssignment -App $sp.Id -Role 'Application SMTP.SendAsApp' -CustomResourceScope 'A device or program that cannot use OAuth (scanner, printer, older software) mail SMTP'
Test-ServicePrincipalAuthorization -Identity $sp.Id -Resource 'info@fabrikam.com'
# Check for older Application Access Policies: Application Access Policies are being replaced by RBAC for Applications. If this lists a policy for this app, move its mailboxes to RBAC for Applications (New-ManagementScope and New-ManagementRoleAssignment), test with Test-ServicePrincipalAuthorization, then remove the policy with Remove-ApplicationAccessPolicy. It only reads.
Get-ApplicationAccessPolicy
Test-ApplicationAccessPolicy -Identity 'info@fabrikam.com' -AppId $app.AppId
# Allow SMTP AUTH for info@fabrikam.com (optional): New tenants and security defaults turn Authenticated SMTP off; OAuth does not bypass it. Only needed when it is off.
# Set-CASMailbox -Identity 'info@fabrikam.com' -SmtpClientAuthenticationDisabled $false
