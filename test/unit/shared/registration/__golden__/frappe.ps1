# Creates the Microsoft Entra app registration for frappe, exactly as Mail OAuth Assistant would.
# Display name:      Frappe / ERPNext mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       IMAP.AccessAsUser.All (Microsoft Graph, delegated), SMTP.Send (Microsoft Graph, delegated), offline_access (Microsoft Graph, delegated), User.Read (Microsoft Graph, delegated)
# Mailboxes reached: IMAP.AccessAsUser.All (delegated): only the mailbox of the person who signs in; SMTP.Send (delegated): only the mailbox of the person who signs in
# Client secret:     "Frappe", 12 months
# Run it as an administrator with the Entra role Application Administrator or Cloud Application Administrator.
# It stops if an app with this display name already exists (lint that one instead of making a second).

$ErrorActionPreference = 'Stop'

# Needs the Microsoft Graph PowerShell SDK: Install-Module Microsoft.Graph -Scope CurrentUser
Connect-MgGraph -TenantId '4f1c2a7e-8d3b-4e59-9a61-2b7c5d8e9f01' -Scopes 'Application.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All' -NoWelcome
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

$existing = Get-MgApplication -Filter 'displayName eq ''Frappe / ERPNext mail'''
if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }

$graphSp = Get-MgServicePrincipal -Filter 'appId eq ''00000003-0000-0000-c000-000000000000'''

$body = @{
  displayName = 'Frappe / ERPNext mail'
  signInAudience = 'AzureADMyOrg'
  web = @{
    redirectUris = @('https://erp.fabrikam.com/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/8f3c1b2a9d')
    implicitGrantSettings = @{
      enableAccessTokenIssuance = $false
      enableIdTokenIssuance = $false
    }
  }
  requiredResourceAccess = @(@{
    resourceAppId = '00000003-0000-0000-c000-000000000000'
    resourceAccess = @(@{
      id = (Get-PermissionId $graphSp 'IMAP.AccessAsUser.All' 'Scope')
      type = 'Scope'
    }, @{
      id = (Get-PermissionId $graphSp 'SMTP.Send' 'Scope')
      type = 'Scope'
    }, @{
      id = (Get-PermissionId $graphSp 'offline_access' 'Scope')
      type = 'Scope'
    }, @{
      id = (Get-PermissionId $graphSp 'User.Read' 'Scope')
      type = 'Scope'
    })
  })
}
$app = New-MgApplication -BodyParameter $body
Write-Host ('Created the app registration, client ID ' + $app.AppId)
$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }
Write-Host ('Created its enterprise application, object ID ' + $sp.Id)

$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = 'Frappe'; endDateTime = (Get-Date).ToUniversalTime().AddMonths(12) } }
Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)
Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)

Invoke-WithRetry { New-MgOauth2PermissionGrant -BodyParameter @{ clientId = $sp.Id; consentType = 'AllPrincipals'; resourceId = $graphSp.Id; scope = 'IMAP.AccessAsUser.All SMTP.Send offline_access User.Read' } } | Out-Null
Write-Host 'Admin consent granted; the registration is ready in Entra.'

# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.
# Allow SMTP AUTH for reception@fabrikam.com (optional): New tenants and security defaults turn Authenticated SMTP off; OAuth does not bypass it. Only needed when it is off.
# Set-CASMailbox -Identity 'reception@fabrikam.com' -SmtpClientAuthenticationDisabled $false
