import type { CheckResult } from '../../shared.ts';

const NAMES: Partial<Record<CheckResult['check'], string>> = {
  issuer: 'Issuer is a CA you trust',
  signature: 'CA signature verifies',
  name: 'Name matches bank.example',
  notExpired: 'Not expired',
  notYetValid: 'Already valid',
  keyUsage: 'Key usage fits',
  certificateVerify: 'Server proved it holds the key (CertificateVerify)',
  finished: 'Finished MAC matches the transcript',
  record: 'Record tag (AES-GCM) is valid',
  downgrade: 'No downgrade to plain HTTP',
};

export function checkName(check: CheckResult['check'] | string): string {
  return NAMES[check as CheckResult['check']] ?? check;
}
