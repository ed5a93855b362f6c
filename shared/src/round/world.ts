/**
 * Who is who in the round's small internet: the names the bank, the CAs and the attacker go by,
 * who really answers for each name (the ground truth a CA's domain-control check asks), the
 * owner records a CA can look up, and the addresses it sees requesters by.
 */
import { LOGIN_NAME, LOOKALIKE_NAME } from './events.ts';
import type { Endpoint, Role } from './types.ts';

export const SERVER_NAME = 'bank.example';
export const CA_NAME = 'Heist Root CA';
/** The intermediate CA the root certified, which the CA seat runs where the level's PKI says so. */
export const INTERMEDIATE_CA_NAME = 'Heist Issuing CA';
export const ATTACKER_CA_NAME = 'Mallory Root CA';
/** The attacker's own name: she really controls it, so any CA will certify it for her. */
export const ATTACKER_NAME = 'mallory.example';
export { LOGIN_NAME, LOOKALIKE_NAME, ROGUE_ROOT_NAME } from './events.ts';
/** Who really answers for which name: the CA's domain-control check asks this ground truth. */
export const DOMAIN_OWNERS: Readonly<Record<string, Role>> = { 'bank.example': 'server', 'www.bank.example': 'server', [LOGIN_NAME]: 'server', [ATTACKER_NAME]: 'attacker', [LOOKALIKE_NAME]: 'attacker' };
/** The names the bank may ask to have certified: its own two (only one is the name Alice asks for). */
export const BANK_NAMES: readonly string[] = ['bank.example', 'www.bank.example'];
/**
 * The owner records a CA can look up (WHOIS-like), by registered domain. They tell who holds a
 * name and since when — evidence, not proof: only the http-01 fetch proves control.
 */
export const OWNER_RECORDS: Readonly<Record<string, string>> = {
  'bank.example': 'registrant: Bank of Example plc; registered 14 years ago; name servers ns1.bank.example, ns2.bank.example',
  [ATTACKER_NAME]: 'registrant: M. Allory (private registration); registered 3 days ago; name server ns.cheap-hosting.example',
  [LOOKALIKE_NAME]: 'registrant: private registration; registered 2 days ago; name server ns.cheap-hosting.example',
};
/** Network addresses as the CA sees requesters: it never learns roles. */
export const ADDRESSES: Readonly<Record<Endpoint, string>> = {
  client: '198.51.100.23 (café Wi-Fi)',
  server: '203.0.113.10 (bank.example)',
  ca: '192.0.2.1 (CA)',
  attacker: '198.51.100.66 (café Wi-Fi)',
};
