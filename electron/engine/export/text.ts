/** Small text helpers shared by the formats. */
import type { PasteCard } from '../../../shared/catalogue';

export function slug(value: string): string {
  return (
    value
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'profile'
  );
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Plain-text rendering of a paste card: sections in screen order, labels aligned. */
export function renderPasteCardText(card: PasteCard, header: string[]): string {
  const out: string[] = [card.title, '='.repeat(card.title.length), ...header, ''];
  for (const section of card.sections) {
    out.push(section.title, '-'.repeat(section.title.length), `Where: ${section.where}`, '');
    const width = Math.max(...section.fields.map((f) => f.label.length));
    for (const f of section.fields) {
      out.push(`  ${f.label.padEnd(width)} : ${f.value}${f.note ? `    (${f.note})` : ''}`);
    }
    for (const n of section.notes ?? []) out.push('', `  Note: ${n}`);
    out.push('');
  }
  for (const n of card.notes ?? []) out.push(`Note: ${n}`);
  return `${out.join('\n').trimEnd()}\n`;
}
