# Creates the Microsoft Entra app registration for cxt, exactly as Mail OAuth Assistant would.
# Display name:      CXT Software mail
# Account types:     Accounts in any organizational directory (Any Microsoft Entra directory - Multitenant) and personal Microsoft accounts (such as Skype and Xbox) (AzureADandPersonalMicrosoftAccount)
# Permissions:       Mail.Read (Microsoft Graph, application), Mail.Send (Microsoft Graph, application)
# Mailboxes reached: Mail.Read (application): every mailbox in your organisation; Mail.Send (application): every mailbox in your organisation
# Client secret:     "Oauth", 12 months
# Run it as an administrator with the Entra role Privileged Role Administrator or Global Administrator (Microsoft Graph application permissions).
# It stops if an app with this display name already exists (lint that one instead of making a second).

$ErrorActionPreference = 'Stop'

# Needs the Microsoft Graph PowerShell SDK: Install-Module Microsoft.Graph -Scope CurrentUser
Connect-MgGraph -TenantId '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01' -Scopes 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All' -NoWelcome
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

$existing = Get-MgApplication -Filter 'displayName eq ''CXT Software mail'''
if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }

$graphSp = Get-MgServicePrincipal -Filter 'appId eq ''00000003-0000-0000-c000-000000000000'''

$body = @{
  displayName = 'CXT Software mail'
  signInAudience = 'AzureADandPersonalMicrosoftAccount'
  api = @{
    requestedAccessTokenVersion = 2
  }
  isFallbackPublicClient = $true
  web = @{
    redirectUris = @('https://localhost', 'http://localhost')
    implicitGrantSettings = @{
      enableAccessTokenIssuance = $true
      enableIdTokenIssuance = $true
    }
  }
  requiredResourceAccess = @(@{
    resourceAppId = '00000003-0000-0000-c000-000000000000'
    resourceAccess = @(@{
      id = (Get-PermissionId $graphSp 'Mail.Read' 'Role')
      type = 'Role'
    }, @{
      id = (Get-PermissionId $graphSp 'Mail.Send' 'Role')
      type = 'Role'
    })
  })
}
$app = New-MgApplication -BodyParameter $body
Write-Host ('Created the app registration, client ID ' + $app.AppId)
$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }
Write-Host ('Created its enterprise application, object ID ' + $sp.Id)

$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = 'Oauth'; endDateTime = (Get-Date).ToUniversalTime().AddMonths(12) } }
Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)
Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)

Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $graphSp.Id -AppRoleId (Get-PermissionId $graphSp 'Mail.Read' 'Role') } | Out-Null
Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $graphSp.Id -AppRoleId (Get-PermissionId $graphSp 'Mail.Send' 'Role') } | Out-Null
Write-Host 'Admin consent granted; the registration is ready in Entra.'

# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.
# Connect to Exchange Online PowerShell (optional): The RBAC for Applications commands below run in this session.
# Connect-ExchangeOnline -Organization $tenantId
# Limit the app to reception@fabrikam.com (Exchange RBAC for Applications) (optional): With admin consent, Mail.Read and Mail.Send reach every mailbox in the tenant. To limit the app to this mailbox, run these and then revoke the admin consent of Mail.Read and Mail.Send in Entra (API permissions): while consent is granted, the app still reaches every mailbox.
# New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName 'CXT Software mail'
# New-ManagementScope -Name 'CXT Software mail mailbox' -RecipientRestrictionFilter 'PrimarySmtpAddress -eq ''reception@fabrikam.com'''
# New-ManagementRoleAssignment -App $sp.Id -Role 'Application Mail.Read' -CustomResourceScope 'CXT Software mail mailbox'
# New-ManagementRoleAssignment -App $sp.Id -Role 'Application Mail.Send' -CustomResourceScope 'CXT Software mail mailbox'
# Test-ServicePrincipalAuthorization -Identity $sp.Id -Resource 'reception@fabrikam.com'
# Get-ApplicationAccessPolicy
