/** docs/rules.md shows the points table to teachers: it must say what the code scores. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CA_DECISION_POINTS, OUTCOME_POINTS, OUTCOME_TITLES, OUTCOMES } from '@heist/shared';

const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');

function row(title: string): number[] {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${title} |`));
  expect(line, `row for ${title}`).toBeDefined();
  return line!.split('|').slice(2, -1).map((c) => Number(c.trim()));
}

describe('docs/rules.md', () => {
  it('has the points of every outcome exactly as scored', () => {
    for (const outcome of OUTCOMES) {
      const p = OUTCOME_POINTS[outcome];
      expect(row(OUTCOME_TITLES[outcome])).toEqual([p.client, p.server, p.ca, p.attacker]);
    }
  });

  it('has the CA decision points exactly as scored', () => {
    expect(row('signed a genuine request')).toEqual([CA_DECISION_POINTS.signedGenuine]);
    expect(row('refused a fraudulent request')).toEqual([CA_DECISION_POINTS.refusedFraud]);
    expect(row('signed a fraudulent request (mis-issued)')).toEqual([CA_DECISION_POINTS.misIssued]);
    expect(row('refused a genuine request')).toEqual([CA_DECISION_POINTS.refusedGenuine]);
  });
});
