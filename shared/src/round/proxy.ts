/**
 * The attacker's man-in-the-middle proxy, as mitmproxy works: toward the client it plays the
 * bank with the attacker's own key or certificate (the "substitute" tool); toward the bank it
 * plays a client that trusts anything. It reuses the very state machines the parties run, so
 * whether the client notices depends only on the checks the client really makes.
 * Stripping (as sslstrip works) keeps only the bank side: the client talks plain HTTP to the
 * attacker, who relays each request over her own secure session to the bank.
 */
import { clientHandle, clientInitial, serverHandle, serverInitial, type ClientState, type ServerState } from '../handshake/machines.ts';
import type { ClientEvent, HttpMessage, Output, ServerEvent } from '../handshake/types.ts';
import type { Certificate, Message } from '../messages/types.ts';
import { signCertificate } from '../pki/certificate.ts';
import { safeDecode } from '../handshake/level4-tls12.ts';
import { sendPacket } from './network.ts';
import type { SubstituteMode } from './types.ts';
import { ATTACKER_CA_NAME, contextFor, gameTime, log, type Packet, type ProxyState, type Round } from './state.ts';

const DAY = 86_400;

/** The certificate the proxy shows the client, or undefined while it still needs the bank's. */
function personaCertificate(round: Round, mode: Exclude<SubstituteMode, 'off'>): Certificate | undefined {
  const level = round.config.level;
  const a = round.attacker;
  const keyType = level === 5 ? 'ed25519' : 'x25519';
  const ownPublic = level === 5 ? a.signingKey.publicKey : a.encryptionKey.publicKey;
  switch (mode) {
    case 'ownKey': {
      // The bank's certificate is public: she fetches it and swaps in her key (level 4), or
      // shows it unchanged and signs with her own key (level 5). The signature gives her away.
      const genuine = round.server.config.certificate;
      if (!genuine) return undefined;
      return level === 5 ? genuine : { ...genuine, publicKey: ownPublic };
    }
    case 'selfSignedCertificate': {
      const now = gameTime(round);
      return signCertificate(
        {
          serial: 1,
          subject: round.client.config.serverName,
          issuer: ATTACKER_CA_NAME,
          notBefore: now - DAY,
          notAfter: now + 365 * DAY,
          keyType,
          keyUsage: level === 5 ? 'digitalSignature' : 'keyEncipherment',
          publicKey: ownPublic,
        },
        a.rootKey.secretKey,
      );
    }
    case 'issuedCertificate':
      return a.certificates.find((c) => c.subject === round.client.config.serverName && c.keyType === keyType);
  }
}

export function canSubstitute(round: Round, mode: Exclude<SubstituteMode, 'off'>): string | null {
  if (round.config.level < 3) return 'nothing to substitute: at this level no key is exchanged';
  if (round.config.level === 3 || mode !== 'issuedCertificate') return null;
  return personaCertificate(round, mode) ? null : `you hold no certificate for ${round.client.config.serverName} from the CA: request one first`;
}

function upstreamFor(round: Round): ProxyState['upstream'] {
  return { config: { level: round.config.level, serverName: round.client.config.serverName, trustStore: [] }, state: clientInitial(), pendingRequests: [] };
}

export function startProxy(round: Round): void {
  const a = round.attacker;
  if (a.substitute === 'off') return;
  const level = round.config.level;
  const downstream = { level, serverName: round.client.config.serverName, encryptionKey: a.encryptionKey, signingKey: a.signingKey };
  a.proxy = { mode: a.substitute, downstream: { config: downstream, state: serverInitial(downstream), waiting: [] }, upstream: upstreamFor(round) };
  a.interfered.push('put her proxy between client and bank');
  log(round, 'attacker', 'Your proxy took the connection: the client now talks to you, and you talk to the bank.', ['attacker'], 'warning');
  upstreamStep(round, { kind: 'start' });
}

/** SSL stripping: her own secure session to the bank, to relay what the client sends in the clear. */
export function startRelay(round: Round): void {
  round.attacker.proxy = { mode: 'strip', upstream: upstreamFor(round) };
  upstreamStep(round, { kind: 'start' });
}

/** A plain-HTTP request the stripped client sent her: read, then relayed to the bank. */
export function relayPlainRequest(round: Round, packet: Packet, request: HttpMessage): void {
  const a = round.attacker;
  a.opened.set(packet.id, { message: request });
  if (request.type === 'HttpRequest') a.findings.push(`Stripped request read in the clear: ${request.body}`);
  log(round, 'attacker', `The client sent its request to you in plain HTTP; you relay it to the bank over your own secure session.`, ['attacker'], 'success');
  forwardUpstream(round, request);
}

function absorb(round: Round, out: Output, prefix: string): void {
  for (const [name, key] of Object.entries(out.learned)) round.attacker.learned[`${prefix}: ${name}`] = key;
}

/** The records she seals or opens on her own sessions are hers to read in the inspector. */
function readsOwn(round: Round, packet: Packet, event: ClientEvent | ServerEvent, m: Message): void {
  if (event.kind === 'send' && m.type === 'EncryptedRecord') round.attacker.opened.set(packet.id, { message: event.message });
}

function upstreamStep(round: Round, event: ClientEvent, packet?: Packet): void {
  const proxy = round.attacker.proxy!;
  const step = clientHandle(proxy.upstream.state, event, contextFor(round, 'attacker'), proxy.upstream.config);
  proxy.upstream.state = step.state as ClientState;
  absorb(round, step.out, 'proxy ↔ bank');
  for (const m of step.out.send) readsOwn(round, sendPacket(round, 'attacker', 'server', m, { origin: 'proxied', apparentFrom: 'client' }), event, m);
  for (const m of step.out.delivered) {
    if (packet) round.attacker.opened.set(packet.id, { message: m });
    if (m.type !== 'HttpResponse') continue;
    if (proxy.downstream) downstreamStep(round, { kind: 'send', message: m });
    else sendPacket(round, 'attacker', 'client', m, { origin: 'proxied', apparentFrom: 'server' }); // stripped: in the clear
  }
  if (step.out.decision) upstreamStep(round, { kind: 'decide', trust: true }); // she accepts whatever the bank shows
  if (step.state.kind === 'Traffic') {
    const pending = proxy.upstream.pendingRequests.splice(0);
    for (const request of pending) upstreamStep(round, { kind: 'send', message: request });
  }
}

function downstreamStep(round: Round, event: ServerEvent, packet?: Packet): void {
  const proxy = round.attacker.proxy!;
  const down = proxy.downstream;
  if (!down) return;
  if (!down.config.certificate && round.config.level >= 4) {
    const persona = personaCertificate(round, proxy.mode as Exclude<SubstituteMode, 'off'>);
    if (!persona) {
      if (packet) down.waiting.push(packet.id);
      return;
    }
    down.config = { ...down.config, certificate: persona };
  }
  const step = serverHandle(down.state, event, contextFor(round, 'attacker'), down.config);
  down.state = step.state as ServerState;
  absorb(round, step.out, 'proxy ↔ client');
  for (const m of step.out.send) readsOwn(round, sendPacket(round, 'attacker', 'client', m, { origin: 'proxied', apparentFrom: 'server' }), event, m);
  for (const m of step.out.delivered) {
    if (m.type !== 'HttpRequest') continue;
    if (packet) round.attacker.opened.set(packet.id, { message: m });
    round.attacker.findings.push(`Read through your proxy: ${m.method} ${m.path} "${m.body}"`);
    log(round, 'attacker', `Your proxy decrypted the client's request: "${m.body}"`, ['attacker'], 'success');
    forwardUpstream(round, m);
  }
}

function forwardUpstream(round: Round, request: HttpMessage): void {
  const proxy = round.attacker.proxy!;
  if (proxy.upstream.state.kind === 'Traffic') upstreamStep(round, { kind: 'send', message: request });
  else proxy.upstream.pendingRequests.push(request);
}

/** A packet addressed to the attacker: from the client (downstream) or the bank (upstream). */
export function proxyReceive(round: Round, packet: Packet): void {
  const message = safeDecode(packet.bytes);
  if (!message || !round.attacker.proxy) return;
  if (packet.from === 'client') downstreamStep(round, { kind: 'receive', message }, packet);
  else if (packet.from === 'server') upstreamStep(round, { kind: 'receive', message }, packet);
}

/** Once the bank has its certificate, the proxy can answer the client messages it parked. */
export function resumeProxy(round: Round): void {
  const down = round.attacker.proxy?.downstream;
  if (!down || down.waiting.length === 0) return;
  const waiting = down.waiting.splice(0);
  for (const id of waiting) proxyReceive(round, round.packets[id - 1]!);
}
