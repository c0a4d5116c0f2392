import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { hasPlaceholder } from '../../../shared/catalogue/context';
import { CopyButton } from './Copy';
import { unknownHint } from './ValueBox';

/**
 * The small Markdown the catalogue writes: paragraphs, "- " and "1. " lists, **bold** (portal labels),
 * `code` (values) and indented command lines. Rendered as React nodes, never as HTML.
 */
const useStyles = makeStyles({
  code: { fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: '0 3px', borderRadius: tokens.borderRadiusSmall, overflowWrap: 'anywhere' },
  para: { margin: `0 0 ${tokens.spacingVerticalS} 0` },
  list: { margin: `0 0 ${tokens.spacingVerticalS} 0`, paddingLeft: tokens.spacingHorizontalXL },
  command: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', margin: `0 0 ${tokens.spacingVerticalXS} 0` },
  pre: { flex: 1, minWidth: 0, margin: 0, fontFamily: tokens.fontFamilyMonospace, backgroundColor: tokens.colorNeutralBackground3, padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, whiteSpace: 'pre', overflowX: 'auto' },
  hint: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground2, maxWidth: '220px' },
});

function inline(text: string, codeClass: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /\*\*([^*]+)\*\*|`([^`]+)`/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1] !== undefined) out.push(<strong key={m.index}>{m[1]}</strong>);
    else out.push(<code key={m.index} className={codeClass}>{m[2]}</code>);
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block = { kind: 'p'; text: string } | { kind: 'ul' | 'ol'; items: string[] } | { kind: 'cmd'; text: string };

function blocks(source: string): Block[] {
  const out: Block[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trimEnd();
    if (!line.trim()) continue;
    const prev = out[out.length - 1];
    let m: RegExpExecArray | null;
    if (/^ {4}\S/.test(line)) out.push({ kind: 'cmd', text: line.trim() });
    else if ((m = /^\s*[-*] (.*)$/.exec(line))) {
      if (prev?.kind === 'ul') prev.items.push(m[1]!);
      else out.push({ kind: 'ul', items: [m[1]!] });
    } else if ((m = /^\s*\d+\. (.*)$/.exec(line))) {
      if (prev?.kind === 'ol') prev.items.push(m[1]!);
      else out.push({ kind: 'ol', items: [m[1]!] });
    } else out.push({ kind: 'p', text: line });
  }
  return out;
}

export function Markdown(props: { source: string }) {
  const styles = useStyles();
  return (
    <>
      {blocks(props.source).map((b, i) => {
        if (b.kind === 'p') return <p key={i} className={styles.para}>{inline(b.text, styles.code)}</p>;
        if (b.kind === 'cmd')
          return (
            <div key={i} className={styles.command} data-value-box={hasPlaceholder(b.text) ? 'unknown' : 'known'}>
              <pre className={styles.pre} tabIndex={0}>
                {b.text}
              </pre>
              {hasPlaceholder(b.text) ? <span className={styles.hint}>{unknownHint(b.text)}</span> : <CopyButton value={b.text} what="command" />}
            </div>
          );
        const List = b.kind;
        return (
          <List key={i} className={styles.list}>
            {b.items.map((item, j) => (
              <li key={j}>{inline(item, styles.code)}</li>
            ))}
          </List>
        );
      })}
    </>
  );
}
