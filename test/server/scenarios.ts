/**
 * One round per level, as the brief tells each level's story: which attack the level is about
 * and how it must end. People (scripted) sit in `people`; bots play the other seats.
 */
import type { BotBehaviours, Level, Outcome, Role } from '@heist/shared';

export interface Scenario {
  level: Level;
  bots: BotBehaviours;
  people: Role[];
  expected: Outcome;
  why: string;
}

export const SCENARIOS: Scenario[] = [
  { level: 1, people: ['client'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, expected: 'eavesdropped', why: 'plain HTTP: the attacker reads the PIN' },
  { level: 2, people: ['attacker'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, expected: 'eavesdropped', why: 'the AES key crosses the wire in the clear' },
  { level: 3, people: ['server', 'client'], bots: { client: 'careless', server: 'standard', ca: 'strict', attacker: 'keySubstitution' }, expected: 'impersonated', why: 'no CA: a substituted key goes unnoticed' },
  { level: 4, people: ['client', 'ca'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' }, expected: 'attackDetected', why: 'a careful client rejects a certificate the CA did not sign' },
  { level: 5, people: ['client', 'server'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, expected: 'secure', why: 'TLS 1.3: recording the traffic gains nothing' },
];
