import type { CheckRun, ProgressEvent } from '../../shared/checks';
import type { Diagnosis } from '../../shared/diagnosis';
import type { Finding } from '../../shared/validation';

const useColour = (s: NodeJS.WriteStream) => !!s.isTTY && !process.env.NO_COLOR;
const paint = (on: boolean, code: string, text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function formatFindings(findings: Finding[], out: NodeJS.WriteStream): string {
  if (!findings.length) return 'No problems found.\n';
  const c = useColour(out);
  return findings.map((f) => `${paint(c, f.severity === 'error' ? '31' : '33', f.severity === 'error' ? 'error  ' : 'warning')} ${f.field}: ${f.message} (${f.code})`).join('\n') + '\n';
}

export function formatProgress(e: ProgressEvent): string {
  const mark = { started: '…', step: '  ·', passed: '✓', failed: '✗', skipped: '-' }[e.phase];
  return `${mark} [${e.checkId}] ${e.message}${e.durationMs !== undefined && e.phase !== 'started' ? ` (${e.durationMs} ms)` : ''}\n`;
}

export function formatDiagnosis(d: Diagnosis, indent = '    '): string {
  const lines = [`${indent}${d.title}`, `${indent}Why: ${d.cause}`, `${indent}Fix:`];
  d.fix.forEach((s, i) => {
    lines.push(`${indent}  ${i + 1}. ${s.text.replace(/\*\*/g, '')}${s.link ? ` ${s.link.url}` : ''}`);
    if (s.command) for (const l of s.command.split('\n')) lines.push(`${indent}       ${l}`);
  });
  const ev = d.evidence;
  const bits = [ev.aadsts ? `AADSTS${ev.aadsts}` : '', ev.traceId ? `trace ${ev.traceId}` : '', ev.correlationId ? `correlation ${ev.correlationId}` : ''].filter(Boolean).join(', ');
  lines.push(`${indent}Details (${d.code}${bits ? `; ${bits}` : ''}): ${ev.text.slice(0, 600)}`);
  return lines.join('\n') + '\n';
}

export function formatRun(run: CheckRun, out: NodeJS.WriteStream): string {
  const c = useColour(out);
  const rows = run.results.map((r) => {
    const status = r.status === 'passed' ? paint(c, '32', 'passed ') : r.status === 'failed' ? paint(c, '31', 'FAILED ') : paint(c, '90', 'skipped');
    const head = `${status} ${r.id.padEnd(9)} ${String(r.durationMs).padStart(6)} ms${r.skippedReason ? `  (${r.skippedReason})` : ''}`;
    return r.diagnosis ? `${head}\n${formatDiagnosis(r.diagnosis)}` : `${head}\n`;
  });
  return `${rows.join('')}${run.passed ? 'All checks passed.' : 'Some checks failed.'} (${run.durationMs} ms)\n`;
}
