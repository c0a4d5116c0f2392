/**
 * Texts from the field (issue 20): error texts as people met them, each from the public thread beside
 * it (the text quoted as posted; host names, ids and times as in the thread), mapped to the diagnosis
 * the assistant gives first. The same texts wrapped the way the target systems show them (Odoo's
 * "Connection Test Failed! Here is what we got instead:", Frappe's Python exceptions, EmailEngine's
 * account lastError JSON) map to the same code.
 */
import { describe, expect, it } from 'vitest';
import { DIAGNOSIS_CODES, explain, type DiagnosisCode } from '../../../../shared/diagnosis';

type Row = [text: string, code: DiagnosisCode, link: string, flow?: 'app-only'];

const ROWS: Row[] = [
  // --- SMTP ---
  ['430 4.2.0 STOREDRV; mailbox logon failure; STOREDRV.Submission.Exception:ConnectionFailedTransientException.MapiExceptionLogonFailed; Failed to process message due to a transient exception with message [BeginDiagnosticData]Cannot open mailbox. Server = XXXX281MB3300.DEUP281.PROD.OUTLOOK.COM', 'smtp-app-only-mailbox-logon-failed', 'https://github.com/simonrob/email-oauth2-proxy/issues/271', 'app-only'],
  ['Expected response code 250 but got code "550", with message "550 5.7.60 SMTP; Client does not have permissions to send as this sender [MW2PR1901MB2155.namprd19.prod.outlook.com]', 'smtp-send-as-denied', 'https://github.com/swiftmailer/swiftmailer/issues/1030'],
  ["smtplib.SMTPDataError: (550, b'5.7.60 SMTP; Client does not have permissions to send as this sender')", 'smtp-send-as-denied', 'https://github.com/frappe/bench/issues/1457'],
  ['Your message could not be sent! Message could not be sent SMTP Error: data not accepted.SMTP server error: DATA END command failed Detail: 5.7.60 SMTP; Client does not have permissions to send as this sender [CY4PR1701MB1800.namprd17.prod.outlook.com]\nSMTP code: 550', 'smtp-send-as-denied', 'https://github.com/WWBN/AVideo/issues/1017'],
  ['554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message Cannot submit message.', 'smtp-send-as-denied', 'https://github.com/MicrosoftDocs/OfficeDocs-Support/issues/1187'],
  ['554 5.2.252 SendAsDenied; delightgx46@outlook.com not allowed to send as security@sfb.com; STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. 0.35250:1F009983, 1.36674:0A000000', 'smtp-send-as-denied', 'https://github.com/gophish/gophish/issues/2900'],
  ["smtplib.SMTPDataError: (554, b'5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied;\nFailed to process message due to a permanent exception with message Cannot submit message. 0.35250:7D060000,')", 'smtp-send-as-denied', 'https://github.com/rss2email/rss2email/issues/147'],
  ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [MN2PR05CA0004.namprd05.prod.outlook.com 2023-09-12T20:59:57.214Z 08DBB276B7E699C4]', 'smtp-auth-disabled-tenant', 'https://github.com/simonrob/email-oauth2-proxy/issues/193'],
  ['[2022-11-16 11:57:26] ERROR Send Error: Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [TY1PR01CA0183.jpnprd01.prod.outlook.com]', 'smtp-auth-disabled-tenant', 'https://github.com/nodemailer/nodemailer/issues/1484'],
  ['Accessing Office365 Account Error: "SMTPClientAuthentication is disabled for the tenant"', 'smtp-auth-disabled-tenant', 'https://github.com/thunderbird/thunderbird-android/issues/7597'],
  ["response: '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [PN0PR01CA0024.INDPRD01.PROD.OUTLOOK.COM 2025-01-26T18:54:30.055Z 08DD3DD7D75D7743]',", 'smtp-basic-auth-disabled', 'https://github.com/nodemailer/nodemailer/issues/1715'],
  ['"5.7.139 Authentication unsuccessful, basic authentication is disabled."', 'smtp-basic-auth-disabled', 'https://github.com/odysseus-dev/odysseus/issues/197'],
  ["The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.", 'smtp-security-defaults', 'https://github.com/oqtane/oqtane.framework/issues/5372'],
  ['S: 535 5.7.3 Authentication unsuccessful [AM0PR02CA0134.eurprd02.prod.outlook.com 2024-07-11T11:46:49.042Z 08DCA18218166FB4]', 'smtp-auth-unsuccessful', 'https://github.com/jstedfast/MailKit/issues/1770'],
  ['Cannot send email: Error: 535 5.7.3 Authentication unsuccessful [FR3P281CA0016.DEUP281.PROD.OUTLOOK.COM 2025-03-21T09:21:36.258Z 08DD68127F3E70D9]', 'smtp-auth-unsuccessful', 'https://github.com/iobroker-community-adapters/ioBroker.email/issues/332'],
  ['Error: Invalid login: 535 5.7.3 Authentication unsuccessful [SN4PR0601CA0002.namprd06.prod.outlook.com]', 'smtp-auth-unsuccessful', 'https://github.com/nodemailer/nodemailer/issues/1071'],
  ['Sep 28 13:03:50 relay postfix/smtp[17059]: 9BDCBA19EA: SASL authentication failed; server smtp.office365.com[40.99.150.50] said: 535 5.7.3 Authentication unsuccessful [FR3P281CA0094.DEUP281.PROD.OUTLOOK.COM]', 'smtp-auth-unsuccessful', 'https://github.com/tarickb/sasl-xoauth2/issues/43'],
  ["smtplib.SMTPSenderRefused: (530, b'5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM [CY4PR19CA0041.namprd19.prod.outlook.com]', 'bounce+5-res.users-6@mvpsys.com')", 'smtp-client-not-authenticated', 'https://github.com/odoo/odoo/issues/8021'],
  // --- IMAP / POP ---
  ["<-- b'00000003 BAD User is authenticated but not connected.\\r\\n'", 'imap-wrong-account', 'https://github.com/simonrob/email-oauth2-proxy/issues/74'],
  ['Read:   4 BAD User is authenticated but not connected.', 'imap-wrong-account', 'https://github.com/imapsync/imapsync/issues/411'],
  ["getmailrc: operation error (IMAP error (EXAMINE command error: BAD [b'User is authenticated but not connected.']))", 'imap-wrong-account', 'https://github.com/getmail6/getmail6/issues/214'],
  ['S: C00000003 BAD User is authenticated but not connected.\nS: * BYE Connection closed. 14', 'imap-wrong-account', 'https://github.com/jstedfast/MailKit/issues/1496'],
  ['C: B00000001 AUTHENTICATE XOAUTH2  <there is base64string>\nS: B00000001 NO AUTHENTICATE failed.\n[0:] Error:MailKit.Security.AuthenticationException: Authentication failed.', 'imap-auth-failed', 'https://github.com/jstedfast/MailKit/issues/690'],
  ['Failed to authenticate IMAP session: Generic { message: "No(\\n    \\"code: None, info: Some(\\\\\\"AUTHENTICATE failed.\\\\\\")\\",\\n)", code: ImapAuthenticationFailed }', 'imap-auth-failed', 'https://github.com/rustmailer/bichon/issues/53'],
  ["frappe.exceptions.ValidationError: Please check your email login credentials. imaplib.IMAP4.error: b'LOGIN failed.'", 'imap-basic-auth-rejected', 'https://github.com/frappe/helpdesk/issues/3172'],
  ["Import failed with unexpected Error: LOGIN failed.", 'imap-basic-auth-rejected', 'https://github.com/ax-meyer/SimpleMailArchive/issues/89'],
  // --- Sign-in (AADSTS) ---
  ['AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired. The user must first sign in and grant the client application access to the requested scope.', 'aadsts-70000-grant-invalid', 'https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/3303'],
  ['ERROR: AADSTS530084: Access has been blocked by conditional access token protection policy configured by this organization. To learn more, see https://aka.ms/TBCADocs. Trace ID: <redacted> Correlation ID: <redacted> Timestamp: 2026-04-13 19:04:12Z', 'aadsts-530084-token-protection', 'https://github.com/Azure/azure-dev/issues/7704'],
  ["Message: AADSTS7000112: Application 'f8119f58-4523-44c1-ab72-b2e0c815bd6a'(Presence Light) is disabled.", 'aadsts-7000112-app-disabled', 'https://github.com/isaacrlevin/presencelight/issues/935'],
  ['{\n  "error": "unauthorized_client",\n  "error_description": "AADSTS7000112: Application \'8b0c024c-7823-3774-2da8-a8d8b7ed331a\'(worklytics-azuread-connector) is disabled."\n}', 'aadsts-7000112-app-disabled', 'https://github.com/Worklytics/psoxy/pull/74'],
  ['{"error":"invalid_grant","error_description":"AADSTS9002313: Invalid request. Request is malformed or invalid.\\r\\nTrace ID: f351e59c-dc4f-4b10-8293-4e6fe8c8c600\\r\\nCorrelation ID: 196c96ec-1310-4afb-8d4b-ab70d77bb816\\r\\nTimestamp: 2021-02-22 00:34:40Z","error_codes":[9002313],"timestamp":"2021-02-22 00:34:40Z","trace_id":"f351e59c-dc4f-4b10-8293-4e6fe8c8c600","correlation_id":"196c96ec-1310-4afb-8d4b-ab70d77bb816","error_uri":"https://login.microsoftonline.com/error?code=9002313"}', 'aadsts-9002313-request-malformed', 'https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/3088'],
  ['[onTurnError] unhandled error: Error: Get Token request returned http error: 401 and server response: {"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app \'a8fdfbd0-da97-42d9-8f1a-fd6a7cb650b4\'.\\r\\nTrace ID: 6f6c4645-0202-4486-b625-fa957dfc4700\\r\\nCorrelation ID: 5fc87507-4086-4e77-b415-cee677eb232e\\r\\nTimestamp: 2023-05-06 06:03:00Z","error_codes":[7000215]}', 'aadsts-7000215-invalid-secret', 'https://github.com/OfficeDev/microsoft-365-agents-toolkit/issues/8621'],
  ["Message: AADSTS700016: Application with identifier 'g.schiavo' was not found in the directory 'xxxx'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", 'aadsts-700016-app-not-found', 'https://github.com/simonrob/email-oauth2-proxy/issues/221'],
  ["AADSTS50011: The redirect URI 'http://erpnext-138805-0.cloudclusters.net/api/method/frappe.integrations.doctype.connected_app.connected_app.callback/ef8fae62a1' specified in the request does not match the redirect URIs configured for the application '3d52677d-a705-471e-8265-915c78ad871e'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.", 'aadsts-50011-redirect-mismatch', 'https://github.com/frappe/frappe/issues/22618'],
  ["An error occurred when fetching the access token. AADSTS500112: The reply address 'http://xxxxx.local/microsoft_outlook/confirm' does not match the reply address 'https://xxxxx.local:8071/microsoft_outlook/confirm' provided when requesting Authorization code. Trace ID: f38af6aa-82cd-440b-a6ca-cbc0290add00 Correlation ID: 91f2d0b4-2c7a-430a-b6c6-d50144e3d84b", 'aadsts-500112-reply-address-scheme-port', 'https://github.com/odoo/odoo/issues/44943'],
  ['com.microsoft.aad.msal4j.MsalInteractionRequiredException: AADSTS65001 when calling acquireTokenSilently with IMAP/SMTP scopes', 'aadsts-65001-consent-required', 'https://github.com/Azure-Samples/ms-identity-java-webapp/issues/82'],
  ['"AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.\\r\\nTrace ID: 64908389-2527-4188-8ba4-29b9e76e3c00\\r\\nCorrelation ID: a400dd29-ad31-4de1-933e-3e3995a7c6cc\\r\\nTimestamp: 2023-08-03 18:11:29Z"', 'aadsts-53003-conditional-access', 'https://github.com/AzureAD/microsoft-identity-web/issues/2419'],
  ["AADSTS50105: The signed in user 'sathish.rs@HCL.COM' is not assigned to a role for the application 'de8bc8b5-d9f9-48b1-a8ad-b748da725064'(Graph Explorer).", 'aadsts-50105-user-not-assigned', 'https://github.com/microsoftgraph/microsoft-graph-explorer-v4/issues/1333'],
  // The same refusal on the administrators' bootstrap client (o365soa/soa#90 describes it for Graph PowerShell).
  ["AADSTS50105: The signed in user 'admin@fabrikam.com' is not assigned to a role for the application '14d82eec-204b-4c2f-b7e8-296a70dab67e'(Microsoft Graph Command Line Tools).", 'aadsts-50105-admin-tool-not-assigned', 'https://github.com/o365soa/soa/issues/90'],
  ["Original exception: AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.", 'aadsts-700025-public-client-secret', 'https://github.com/dnnsoftware/Dnn.Platform/issues/5139'],
  ["获取令牌失败: AADSTS70011: The provided value for the input parameter 'scope' is not valid. One or more scopes in 'offline_access https://graph.microsoft.com/Mail.Read https://outlook.office.com/IMAP.AccessAsUser.All' are not compatible with each other. Trace ID: 758eb861-1234-4db2-9b2d-686729e3f500", 'aadsts-70011-invalid-scope', 'https://github.com/assast/outlookEmail/issues/58'],
  ["AADSTS50020: User account 'XXX@outlook.com' from identity provider 'live.com' does not exist in tenant '' and cannot access the application 'XXX' in that tenant. The account needs to be added as an external user in the tenant first.", 'aadsts-50020-user-not-in-tenant', 'https://github.com/pdobsan/oama/issues/33'],
  ['TokenStore::Refresh: code=400, response={"error":"invalid_request","error_description":"AADSTS900144: The request body must contain the following parameter: \'scope\'. Trace ID: 02cde8c3-be9e-45c0-b767-e4c211760100 Correlation ID: 271fa28c-34ce-473f-aaab-e84bfd32c2e8 Timestamp: 2024-08-01 17:44:37Z","error_codes":[900144]}', 'aadsts-900144-parameter-missing', 'https://github.com/AzureAD/azure-activedirectory-identitymodel-extensions-for-dotnet/issues/3428'],
  ["invalid_client: AADSTS70002: The provided request must include a 'client_secret' input parameter. Trace ID: 65082cf1-1cdf-4a36-8531-5c6bea3a0b00 Correlation ID: 2387ed47-8a10-43cd-81ec-8c2b6251b8bd Timestamp: 2026-05-18 03:52:35Z", 'aadsts-7000218-secret-required', 'https://github.com/ZeroPointSix/outlookEmailPlus/issues/61'],
  // --- Microsoft Graph ---
  ['错误: {"code":"MailboxNotEnabledForRESTAPI","message":"The mailbox is either inactive, soft-deleted, or is hosted on-premise.","innerError":{"date":"2023-01-05T03:01:23","request-id":"xxx","client-request-id":"xxx"}}', 'graph-mailbox-not-rest-enabled', 'https://github.com/iyear/E5SubBot/issues/39'],
  ['Client Error: Not Found for url: https://graph.microsoft.com/v1.0/me/calendar/events | Error Message: REST API is not yet supported for this mailbox.', 'graph-mailbox-not-rest-enabled', 'https://github.com/O365/python-o365/issues/438'],
  ['{\n    "error": {\n        "code": "ErrorInvalidUser",\n        "message": "The requested user \'4679dbfa-d1b9-45ad-87b5-0eb9e6b80123@b39138ca-3cee-4b4a-a4d6-cd83d9dd62f0\' is invalid.",\n        "innerError": {\n            "request-id": "f8d30a89-55af-4700-b7ae-514cb5d98ce4",\n            "date": "2019-03-05T12:36:46"\n        }\n    }\n}', 'graph-mailbox-not-found', 'https://github.com/microsoftgraph/microsoft-graph-docs/issues/4097'],
  ["code: ErrorInvalidUser\nmessage: The requested user 'example@domain.tld' is invalid.", 'graph-mailbox-not-found', 'https://github.com/InnoGE/laravel-msgraph-mail/issues/16'],
  ['HTTP/1.1 403 Forbidden\n\n{"error":{"code":"ErrorAccessDenied","message":"Access to OData is disabled."}}', 'graph-app-access-policy-blocked', 'https://github.com/OfficeDev/office-js-docs-pr/issues/2808'],
];

// How the targets wrap what Microsoft said (the wrappers' words from the systems' own source, see
// ../shared/docs/TARGETS.md and test/standins): the inner texts are rows above.
const ODOO = (inner: string) => `Connection Test Failed! Here is what we got instead:\n ${inner}`;
const FRAPPE = (inner: string) => `Traceback (most recent call last):\n  File "apps/frappe/frappe/email/smtp.py", line 109, in session\nfrappe.exceptions.ValidationError: Invalid Outgoing Mail Server or Port: ${inner}`;
const EMAILENGINE = (inner: string) => JSON.stringify({ account: 'sales', state: 'authenticationError', lastError: { response: inner, serverResponseCode: 'AUTHENTICATIONFAILED' } });
const WRAPPED: Array<[wrapper: string, wrap: (s: string) => string, row: number]> = [
  ['Odoo', ODOO, 7], ['Odoo', ODOO, 10], ['Odoo', ODOO, 0], ['Odoo', ODOO, 1], ['Odoo', ODOO, 32],
  ['Frappe', FRAPPE, 7], ['Frappe', FRAPPE, 12], ['Frappe', FRAPPE, 2],
  ['EmailEngine', EMAILENGINE, 18], ['EmailEngine', EMAILENGINE, 22], ['EmailEngine', EMAILENGINE, 30],
];

describe('texts from the field map to their diagnosis (issue 20)', () => {
  it('at least 40 texts, each with its public thread', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    for (const [, code, link] of ROWS) {
      expect(DIAGNOSIS_CODES).toContain(code);
      expect(link).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:issues|pull)\/\d+$/);
    }
  });

  it.each(ROWS.map((r, i) => [i, ...r] as const))('#%i → %s', (_i, text, code, _link, flow) => {
    const r = explain(text, { profile: { mailbox: 'info@fabrikam.com', flow: flow ?? 'delegated' } });
    expect(r.recognised).toBe(true);
    expect(r.diagnoses[0]!.code).toBe(code);
    for (const d of r.diagnoses) {
      expect(d.cause.length).toBeGreaterThan(20);
      expect(d.fix.length).toBeGreaterThan(0);
    }
  });

  it.each(WRAPPED.map(([w, f, row]) => [w, ROWS[row]![1], f, row] as const))('%s wraps it: still %s', (_w, code, wrap, row) => {
    expect(explain(wrap(ROWS[row]![0]), { profile: { flow: ROWS[row]![3] ?? 'delegated' } }).diagnoses[0]!.code).toBe(code);
  });
});
