import type { DiagnosisCode } from '../../../shared/diagnosis';
import type { TargetsCode } from '../../../shared/diagnosis/domains/targets.codes';

/**
 * A failure on the target side, already understood: the diagnosis code, the target's own words
 * (`targetText`, shown as evidence after redaction) and where it happened. Never carries a secret:
 * callers pass the target's message, not the request.
 */
export class TargetError extends Error {
  constructor(
    readonly hint: TargetsCode | DiagnosisCode,
    readonly targetText: string,
    readonly host?: string,
    readonly status?: number,
  ) {
    super(targetText);
    this.name = 'TargetError';
  }
}
