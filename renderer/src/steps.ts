/** The wizard's steps, in the order the user meets them (issue: the wizard, screens 1-8). */
export const WIZARD_STEPS = [
  { id: 'start', title: 'Start', hint: 'Saved connections' },
  { id: 'system', title: 'System', hint: 'What are you connecting?' },
  { id: 'details', title: 'Details', hint: 'Address and mailbox' },
  { id: 'register', title: 'Register in Microsoft Entra', hint: 'Step-by-step checklist' },
  { id: 'credentials', title: 'Credentials', hint: 'Client ID, tenant, secret' },
  { id: 'signin', title: 'Sign in', hint: 'Prove the registration' },
  { id: 'test', title: 'Test', hint: 'IMAP, SMTP, Graph' },
  { id: 'done', title: 'Done', hint: 'Export and hand over' },
] as const;

export type StepId = (typeof WIZARD_STEPS)[number]['id'];
