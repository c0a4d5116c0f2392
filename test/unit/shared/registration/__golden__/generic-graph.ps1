# Creates the Microsoft Entra app registration for generic-graph, exactly as Mail OAuth Assistant would.
# Display name:      My own application (Graph) mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       none
# Mailboxes reached: Exchange role 'Application Mail.Read': only reception@fabrikam.com (its management scope); Exchange role 'Application Mail.Send': only reception@fabrikam.com (its management scope)
# Client secret:     "app-only mail", 12 months
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

$existing = Get-MgApplication -Filter 'displayName eq ''My own application (Graph) mail'''
if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }

$body = @{
  displayName = 'My own application (Graph) mail'
  signInAudience = 'AzureADMyOrg'
  requiredResourceAccess = @()
}
$app = New-MgApplication -BodyParameter $body
Write-Host ('Created the app registration, client ID ' + $app.AppId)
$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }
Write-Host ('Created its enterprise application, object ID ' + $sp.Id)

$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = 'app-only mail'; endDateTime = (Get-Date).ToUniversalTime().AddMonths(12) } }
Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)
Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)

Write-Host 'Nothing to consent in Entra; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.
# Connect to Exchange Online PowerShell: The RBAC for Applications commands below run in this session.
Connect-ExchangeOnline -Organization $tenantId
# Limit the app to reception@fabrikam.com (Exchange RBAC for Applications): The app's Mail.Read and Mail.Send reach only this mailbox because they are granted by Exchange, not as tenant-wide admin consent in Entra.
New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName 'My own application (Graph) mail'
New-ManagementScope -Name 'My own application (Graph) mail mailbox' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''reception@fabrikam.com'''
New-ManagementRoleAssignment -App $sp.Id -Role 'Application Mail.Read' -CustomResourceScope 'My own application (Graph) mail mailbox'
New-ManagementRoleAssignment -App $sp.Id -Role 'Application Mail.Send' -CustomResourceScope 'My own application (Graph) mail mailbox'
Test-ServicePrincipalAuthorization -Identity $sp.Id -Resource 'reception@fabrikam.com'
Get-ApplicationAccessPolicy
