import { pasteCard } from '../../../../shared/catalogue';
import { renderPasteCardText } from '../text';
import type { ExportFormat } from '../types';

export const pasteCardFormat: ExportFormat = {
  id: 'paste-card',
  label: 'Paste card',
  description: "Every value to type into the system, labelled as its own screens label it, in the order you meet them.",
  extension: 'txt',
  mediaType: 'text/plain; charset=utf-8',
  mayContainSecret: true,
  render: ({ profile, target, secret, options }) =>
    renderPasteCardText(pasteCard(target, profile, secret), [`Profile: ${profile.name}`, `Generated: ${options.now.toISOString()}`]),
};
