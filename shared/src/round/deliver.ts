/**
 * A packet reaches its receiver: Alice's browser (browser.ts), the bank (bank.ts), the CA
 * (certification.ts), or the attacker — the CA's answers to her requests, and what her proxy
 * takes in (proxy.ts).
 */
import { clientStep } from './browser.ts';
import { deliverToServer, replyAddress, serverStep } from './bank.ts';
import { deliverToCa } from './certification.ts';
import { inspect } from './inspected.ts';
import { sendProxied } from './network.ts';
import { proxyReceive, relayPlainRequest, resumeProxy } from './proxy.ts';
import { log, type Packet, type Round } from './state.ts';
import type { Message } from '../messages/types.ts';
import type { Role } from './types.ts';

function deliverToAttacker(round: Round, packet: Packet, message: Message): void {
  const a = round.attacker;
  if (message.type === 'CertificateIssued') {
    a.csrsAnswered++;
    a.certificates.push(message.certificate);
    a.caChain = message.chain;
    a.findings.push(`The CA issued you a certificate for ${message.certificate.subject}.`);
    log(round, 'attacker', `The CA signed your request: you hold a valid certificate for ${message.certificate.subject}.`, ['attacker'], 'success');
    sendProxied(round, resumeProxy(round));
    return;
  }
  if (message.type === 'CertificateRefused') {
    a.csrsAnswered++;
    a.csrsRefused++;
    a.findings.push(`The CA refused your request for ${message.subject}: ${message.reason}`);
    log(round, 'attacker', `The CA refused your request for ${message.subject}.`, ['attacker'], 'failure');
    return;
  }
  if (packet.from === 'client' && message.type === 'HttpRequest' && a.proxy?.mode === 'strip') return sendProxied(round, relayPlainRequest(round, packet, message));
  sendProxied(round, proxyReceive(round, packet));
}

/**
 * A packet reaches its receiver. Undecodable bytes fail the receiving handshake, as a real peer would.
 * The decoded message is the one every view of this packet shows (decoded once: inspected.ts); nothing changes it.
 */
export function deliver(round: Round, packet: Packet): void {
  packet.status = 'delivered';
  const inspection = inspect(packet.bytes);
  const message = inspection.message;
  const to: Role = packet.to;
  if (!message) {
    const detail = inspection.error ?? 'undecodable bytes';
    if (to === 'client') clientStep(round, { kind: 'malformed', detail });
    else if (to === 'server') {
      round.server.peer ??= replyAddress(packet);
      serverStep(round, { kind: 'malformed', detail });
    }
    return;
  }
  switch (to) {
    case 'client':
      return clientStep(round, { kind: 'receive', message }, packet);
    case 'server':
      return deliverToServer(round, packet, message);
    case 'ca':
      return deliverToCa(round, packet, message);
    case 'attacker':
      return deliverToAttacker(round, packet, message);
  }
}
