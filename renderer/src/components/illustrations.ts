/** The portal illustrations (assets/portal/<id>.svg), bundled by Vite as URLs when they exist. */
const files = import.meta.glob('../../../assets/portal/*.svg', { eager: true, query: '?url', import: 'default' }) as Record<string, string>;

export function illustrationUrl(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const entry = Object.entries(files).find(([path]) => path.endsWith(`/${id}.svg`));
  return entry?.[1];
}
