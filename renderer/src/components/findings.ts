import type { FieldProps } from '@fluentui/react-components';
import type { Finding } from '../../../shared/validation/validate';

/** The Field props that show validation's findings for one profile field, errors first. */
export function fieldFindings(findings: readonly Finding[], field: string, show: boolean, extra?: string): Pick<FieldProps, 'validationState' | 'validationMessage'> {
  const mine = findings.filter((f) => f.field === field);
  const error = extra ?? mine.find((f) => f.severity === 'error')?.message;
  if (error && show) return { validationState: 'error', validationMessage: error };
  const warning = mine.find((f) => f.severity === 'warning');
  if (warning) return { validationState: 'warning', validationMessage: warning.message };
  return {};
}

export function hasError(findings: readonly Finding[], fields: readonly string[]): boolean {
  return findings.some((f) => f.severity === 'error' && fields.includes(f.field));
}
