import { RESOURCES } from '../catalogue/permissions';

/**
 * Application ids that belong to Microsoft, never to a customer's app registration. People paste them
 * as the client id because guides, scripts and the API permissions page show them
 * (REGISTRATION-FACTS.md 1.2 and 2.0; the resource ids come from the catalogue's RESOURCES).
 */
export interface MicrosoftApp {
  name: string;
  /** Why it turns up where a client id belongs, in plain words. */
  what: string;
}

export const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export const MICROSOFT_APPS: Readonly<Record<string, MicrosoftApp>> = {
  [RESOURCES['Microsoft Graph']]: { name: 'Microsoft Graph', what: 'the API your app asks permissions of (API permissions lists it)' },
  [RESOURCES['Office 365 Exchange Online']]: { name: 'Office 365 Exchange Online', what: 'the API that IMAP, POP and SMTP permissions belong to' },
  '00000003-0000-0ff1-ce00-000000000000': { name: 'Office 365 SharePoint Online', what: 'a Microsoft API' },
  '00000002-0000-0000-c000-000000000000': { name: 'Windows Azure Active Directory', what: 'the retired Azure AD Graph API' },
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': { name: 'Microsoft Graph Command Line Tools', what: 'the app that Connect-MgGraph in Microsoft Graph PowerShell signs in with' },
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': { name: 'Microsoft Azure CLI', what: 'the app the az command signs in with' },
  '1950a258-227b-4e31-a9cf-717495945fc2': { name: 'Microsoft Azure PowerShell', what: 'the app Azure PowerShell and some PnP scripts sign in with' },
  'de8bc8b5-d9f9-48b1-a8ad-b748da725064': { name: 'Graph Explorer', what: "Microsoft's web tool for trying Graph requests" },
  '31359c7f-bd7e-475c-86db-fdb8c937548e': { name: 'PnP Management Shell', what: 'a community app Microsoft deleted on 9 September 2024' },
};

/** The Microsoft application a GUID (any case) belongs to, if any. */
export function microsoftApp(guid: string): MicrosoftApp | undefined {
  return MICROSOFT_APPS[guid.trim().toLowerCase()];
}
