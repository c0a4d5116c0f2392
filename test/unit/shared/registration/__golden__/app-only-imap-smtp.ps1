# Creates the Microsoft Entra app registration for app-only-imap-smtp, exactly as Mail OAuth Assistant would.
# Display name:      Shared mailbox or service (app-only IMAP/SMTP) mail
# Account types:     Accounts in this organizational directory only (<Org> only - Single tenant) (AzureADMyOrg)
# Permissions:       IMAP.AccessAsApp (Office 365 Exchange Online, application), SMTP.SendAsApp (Office 365 Exchange Online, application)
# Mailboxes reached: IMAP.AccessAsApp (application): only mailboxes given Full Access in Exchange (here: info@fabrikam.com); SMTP.SendAsApp (application): only mailboxes given Full Access in Exchange (here: info@fabrikam.com)
# Client secret:     "shared mailbox", 12 months
# Run it as an administrator with the Entra role Application Administrator or Cloud Application Administrator.
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

$existing = Get-MgApplication -Filter 'displayName eq ''Shared mailbox or service (app-only IMAP/SMTP) mail'''
if ($existing) { throw ('An app registration with this display name already exists, client ID ' + $existing[0].AppId) }

$exchangeSp = Get-MgServicePrincipal -Filter 'appId eq ''00000002-0000-0ff1-ce00-000000000000'''

$body = @{
  displayName = 'Shared mailbox or service (app-only IMAP/SMTP) mail'
  signInAudience = 'AzureADMyOrg'
  requiredResourceAccess = @(@{
    resourceAppId = '00000002-0000-0ff1-ce00-000000000000'
    resourceAccess = @(@{
      id = (Get-PermissionId $exchangeSp 'IMAP.AccessAsApp' 'Role')
      type = 'Role'
    }, @{
      id = (Get-PermissionId $exchangeSp 'SMTP.SendAsApp' 'Role')
      type = 'Role'
    })
  })
}
$app = New-MgApplication -BodyParameter $body
Write-Host ('Created the app registration, client ID ' + $app.AppId)
$sp = Invoke-WithRetry { New-MgServicePrincipal -AppId $app.AppId }
Write-Host ('Created its enterprise application, object ID ' + $sp.Id)

$secret = Invoke-WithRetry { Add-MgApplicationPassword -ApplicationId $app.Id -PasswordCredential @{ displayName = 'shared mailbox'; endDateTime = (Get-Date).ToUniversalTime().AddMonths(12) } }
Write-Host ('Client secret Value (shown once: copy it now into the system): ' + $secret.SecretText)
Write-Host ('Secret ID: ' + $secret.KeyId + ', expires ' + $secret.EndDateTime)

Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exchangeSp.Id -AppRoleId (Get-PermissionId $exchangeSp 'IMAP.AccessAsApp' 'Role') } | Out-Null
Invoke-WithRetry { New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId $sp.Id -PrincipalId $sp.Id -ResourceId $exchangeSp.Id -AppRoleId (Get-PermissionId $exchangeSp 'SMTP.SendAsApp' 'Role') } | Out-Null
Write-Host 'Admin consent granted; the registration is ready in Entra. The Exchange steps below give the app its mailbox.'

# ---- Exchange Online (Graph cannot do these). Needs: Install-Module ExchangeOnlineManagement, an Exchange administrator.
# Connect to Exchange Online PowerShell: The Exchange steps below run in this session (Install-Module ExchangeOnlineManagement once).
Connect-ExchangeOnline -Organization $tenantId
# Register the app in Exchange Online: Application permissions alone do not open a mailbox over IMAP/POP/SMTP: Exchange must know the app. -ObjectId is the enterprise application's Object ID, not the app registration's.
New-ServicePrincipal -AppId $app.AppId -ObjectId $sp.Id -DisplayName 'Shared mailbox or service (app-only IMAP/SMTP) mail'
# Let the app open info@fabrikam.com: Reading over IMAP/POP without a signed-in user reaches only the mailboxes the app is given Full Access to; Full Access also lets it send over SMTP as this mailbox. Send As is needed only if the system sends with a different From address (then on that address).
Add-MailboxPermission -Identity 'info@fabrikam.com' -User $sp.Id -AccessRights FullAccess
# Check for older Application Access Policies: Application Access Policies are being replaced by RBAC for Applications. If this lists a policy for this app, move its mailboxes to RBAC for Applications (New-ManagementScope and New-ManagementRoleAssignment), test with Test-ServicePrincipalAuthorization, then remove the policy with Remove-ApplicationAccessPolicy. It only reads.
Get-ApplicationAccessPolicy
Test-ApplicationAccessPolicy -Identity 'info@fabrikam.com' -AppId $app.AppId
# Allow SMTP AUTH for info@fabrikam.com (optional): New tenants and security defaults turn Authenticated SMTP off; OAuth does not bypass it. Only needed when it is off.
# Set-CASMailbox -Identity 'info@fabrikam.com' -SmtpClientAuthenticationDisabled $false
