/**
 * The attacker's man-in-the-middle proxy, as mitmproxy works: toward the client it plays the
 * bank with the attacker's own key or certificate (the "substitute" tool); toward the bank it
 * plays a client that trusts anything. It reuses the very machines the parties run, so
 * whether the client notices depends only on the checks the client really makes.
 * Stripping (as sslstrip works) keeps only the bank side: the client talks plain HTTP to the
 * attacker, who relays each request over her own HTTPS session to the bank.
 *
 * Like a level's `Connection.handle`, the proxy sends nothing itself: each entry point returns
 * the packets it wants sent, in order, and the network (or the party that handed it a packet)
 * sends them. So the proxy sits below the network and never imports it.
 */
import type { ClientEvent, ClientConfig, HttpMessage, Output, ServerEvent } from '../handshake/types.ts';
import type { Certificate, Message, MessageOf } from '../messages/types.ts';
import { signCertificate } from '../pki/certificate.ts';
import { SUBSTITUTE_WORDS } from '../basics/actions.ts';
import type { Persona } from '../levels/index.ts';
import type { LevelPki } from '../levels/types.ts';
import { contextFor, gameTime, log, recordKeyLog, type Packet, type ProxyState, type Round } from './state.ts';
import { ATTACKER_CA_NAME, ATTACKER_NAME } from './world.ts';
import { inspect } from './inspected.ts';
import { gatewayStaple } from './revocation.ts';

const DAY = 86_400;

/** A packet the proxy sends: to the bank as if from the client, or to the client as if from the bank. `reads`: the plaintext of a record it sealed itself, hers to read in the inspector. */
export interface ProxySend {
  readonly to: 'server' | 'client';
  readonly message: Message;
  readonly reads?: Message;
}

const APPARENT_FROM = { server: 'client', client: 'server' } as const;

/** The packet options a proxied send travels with. */
export function proxySendOptions(send: ProxySend) {
  return { origin: 'proxied', apparentFrom: APPARENT_FROM[send.to] } as const;
}

/** What the proxy shows the client: a certificate and the CA certificates it sends after it. */
interface Shown {
  certificate: Certificate;
  chain: Certificate[];
}

/** Her certificate for `name` from the CA, with the chain the CA sent her (the bank's CA's: an intermediate's, or none). */
function fromCa(round: Round, name: string, keyType: Certificate['keyType']): Shown | undefined {
  const a = round.attacker;
  const certificate = a.certificates.find((c) => c.subject === name && c.keyType === keyType);
  return certificate && { certificate, chain: [...a.caChain] };
}

/** A certificate for the name Alice asked for, with her own key of the kind the level certifies, signed as `issuer` with `signingKey`. */
function forBank(round: Round, spec: LevelPki['certificateKey'], issuer: string, signingKey: Uint8Array): Certificate {
  const now = gameTime(round);
  const name = round.client.config.serverName;
  return signCertificate(
    { serial: 1n, subject: name, issuer, notBefore: now - DAY, notAfter: now + 365 * DAY, keyType: spec.keyType, keyUsage: [spec.keyUsage], publicKey: round.attacker[spec.of].publicKey, names: [name], ca: false },
    signingKey,
  );
}

/** The certificate the proxy shows the client (and its chain), or undefined while it still needs one (the bank's, or the CA's answer). */
function personaCertificate(round: Round, persona: Persona | 'lookalike'): Shown | undefined {
  const spec = round.module.pki?.certificateKey;
  if (!spec) return undefined;
  const a = round.attacker;
  const own = a[spec.of].publicKey;
  switch (persona) {
    case 'lookalike':
      // Valid, for the very name Alice asked for: the CA issued it honestly, the name is hers.
      return fromCa(round, round.client.config.serverName, spec.keyType);
    case 'ownKey': {
      // The bank's certificate and chain are public: she fetches them, and either writes her key
      // into the certificate (its signature then breaks) or shows it unchanged (she cannot prove she holds its key).
      const genuine = round.server.config.certificate;
      if (!genuine) return undefined;
      const chain = [...(round.server.config.chain ?? [])];
      return { certificate: round.module.ownKeyShows === 'certificateWithHerKey' ? { ...genuine, publicKey: own } : genuine, chain };
    }
    case 'selfSignedCertificate':
      // Signed by her own "root", which is in nobody's trust store — unless her captive portal
      // talked Alice into installing it (the rogue-root event, which made this certificate before play).
      if (a.rogueRoot) return { certificate: a.rogueRoot.forged, chain: [] };
      return { certificate: forBank(round, spec, ATTACKER_CA_NAME, a.rootKey.secretKey), chain: [] };
    case 'issuedCertificate':
      return fromCa(round, round.client.config.serverName, spec.keyType);
    case 'ownNameCertificate':
      // Valid, signed by a CA Alice trusts, for a name Mallory really controls — not bank.example.
      return fromCa(round, ATTACKER_NAME, spec.keyType);
    case 'signedWithOwnCertificate': {
      // Her genuine mallory.example certificate is a site's (cA FALSE, no keyCertSign), yet its
      // private key can sign anything: she signs a bank.example certificate for her key with it,
      // and sends hers and its chain after it. Every signature on that path verifies; only
      // path validation's rules for issuers (RFC 5280 §6.1.4 (k), (n)) refuse it.
      const mine = fromCa(round, ATTACKER_NAME, spec.keyType);
      if (!mine) return undefined;
      const certificate = forBank(round, spec, ATTACKER_NAME, a[spec.of].secretKey);
      return { certificate, chain: [mine.certificate, ...mine.chain] };
    }
  }
}

/** The personas she builds from a certificate the CA gave her, and the name it must be for. */
function neededCertificate(round: Round, persona: Persona): string | undefined {
  switch (persona) {
    case 'issuedCertificate':
      return round.client.config.serverName;
    case 'ownNameCertificate':
    case 'signedWithOwnCertificate':
      return ATTACKER_NAME;
    case 'ownKey':
    case 'selfSignedCertificate':
      return undefined;
  }
}

/** Why she cannot take this persona now, or null. */
export function cannotSubstitute(round: Round, persona: Persona): string | null {
  if (!round.module.personas.includes(persona)) {
    if (round.module.personas.length === 0) return 'nothing to substitute: at this level no key is exchanged';
    return round.module.pki ? `not at this level: ${SUBSTITUTE_WORDS[persona]} is the chain-of-trust level’s attack` : 'there are no certificates at this level: present your own key';
  }
  const name = neededCertificate(round, persona);
  if (name === undefined || personaCertificate(round, persona)) return null;
  return `you hold no certificate for ${name} from the CA: ask the CA for one first`;
}

/** Her own client connection to the bank: she knows it speaks HTTPS, trusts whatever it shows, and goes straight to https://. */
function openUpstream(round: Round): { upstream: ProxyState['upstream']; started: Output } {
  const bank = round.server.config.serverName;
  const config: ClientConfig = { serverName: bank, trustStore: [], hsts: [bank] };
  const { connection, out } = round.module.client.start(contextFor(round, 'attacker'), config);
  return { upstream: { config, connection, pendingRequests: [] }, started: out };
}

function isPersona(mode: string): mode is Persona {
  return mode !== 'off';
}

export function startProxy(round: Round): ProxySend[] {
  const persona = round.attacker.substitute;
  if (!isPersona(persona)) return [];
  round.attacker.interfered.push('put her proxy between client and bank');
  log(round, 'attacker', 'Your proxy took the connection: the client now talks to you, and you talk to the bank.', ['attacker'], 'warning');
  return openProxy(round, persona);
}

/**
 * The look-alike event: Alice's browser asked for the name Mallory registered, so it reached
 * her own site, which answers as any HTTPS site does (port 80 redirects to https://, then her
 * valid certificate for that name) and relays Alice's requests to the real bank.
 */
export function startLookalikeSite(round: Round): ProxySend[] {
  const name = round.client.config.serverName;
  round.attacker.interfered.push(`lured Alice to ${name}, her look-alike site, which relayed to the bank`);
  log(round, 'attacker', `Alice followed your link to ${name}: your site answers her with its own certificate and relays to ${round.server.config.serverName}.`, ['attacker'], 'warning');
  return openProxy(round, 'lookalike');
}

function openProxy(round: Round, mode: Persona | 'lookalike'): ProxySend[] {
  const a = round.attacker;
  const downstreamConfig = { serverName: round.client.config.serverName, encryptionKey: a.encryptionKey, signingKey: a.signingKey };
  const { upstream, started } = openUpstream(round);
  a.proxy = { mode, downstream: { config: downstreamConfig, connection: round.module.server.initial(downstreamConfig), waiting: [] }, upstream };
  const sends: ProxySend[] = [];
  upstreamOutput(round, sends, started);
  return sends;
}

/** SSL stripping: her own HTTPS session to the bank, to relay what the client sends in the clear. */
export function startRelay(round: Round): ProxySend[] {
  const { upstream, started } = openUpstream(round);
  round.attacker.proxy = { mode: 'strip', upstream };
  const sends: ProxySend[] = [];
  upstreamOutput(round, sends, started);
  return sends;
}

/** A plain-HTTP request the stripped client sent her: read, then relayed to the bank. */
export function relayPlainRequest(round: Round, packet: Packet, request: HttpMessage): ProxySend[] {
  const a = round.attacker;
  a.opened.set(packet.id, { message: request });
  if (request.type === 'HttpRequest') a.findings.push(`Read in plain HTTP: ${request.method} ${request.path} "${request.body}"`);
  log(round, 'attacker', 'The client sent its request to you in plain HTTP; you relay it to the bank over your own HTTPS session.', ['attacker'], 'success');
  const sends: ProxySend[] = [];
  forwardUpstream(round, sends, request);
  return sends;
}

function absorb(round: Round, learned: Record<string, Uint8Array>, prefix: string): void {
  for (const [name, key] of Object.entries(learned)) round.attacker.learned[`${prefix}: ${name}`] = key;
}

/** The records she seals on her own sessions are hers to read in the inspector. */
function send(to: ProxySend['to'], event: ClientEvent | ServerEvent | undefined, m: Message): ProxySend {
  return event?.kind === 'send' && m.type === 'EncryptedRecord' ? { to, message: m, reads: event.message } : { to, message: m };
}

function upstreamStep(round: Round, sends: ProxySend[], event: ClientEvent, packet?: Packet): void {
  const proxy = round.attacker.proxy;
  if (!proxy) return;
  const step = proxy.upstream.connection.handle(event, contextFor(round, 'attacker'), proxy.upstream.config);
  proxy.upstream.connection = step.next;
  upstreamOutput(round, sends, step.out, event, packet);
}

function upstreamOutput(round: Round, sends: ProxySend[], out: Output, event?: ClientEvent, packet?: Packet): void {
  const proxy = round.attacker.proxy;
  if (!proxy) return;
  absorb(round, out.learned, 'proxy ↔ bank');
  recordKeyLog(round, out.keyLog);
  for (const m of out.send) sends.push(send('server', event, m));
  for (const m of out.delivered) {
    if (packet) round.attacker.opened.set(packet.id, { message: m });
    if (m.type !== 'HttpResponse') continue;
    if (proxy.downstream) downstreamStep(round, sends, { kind: 'send', message: m });
    else sends.push({ to: 'client', message: withoutStsHeader(round, m) }); // stripped: in the clear
  }
  if (out.decision) upstreamStep(round, sends, { kind: 'decide', trust: true }); // she accepts whatever the bank shows
  if (proxy.upstream.connection.stage === 'traffic') {
    const pending = proxy.upstream.pendingRequests.splice(0);
    for (const request of pending) upstreamStep(round, sends, { kind: 'send', message: request });
  }
}

/** As sslstrip does: the bank's Strict-Transport-Security header comes off the answer she passes on in the clear (over http:// Alice's browser would ignore it anyway, RFC 6797 §8.1). */
function withoutStsHeader(round: Round, m: MessageOf<'HttpResponse'>): MessageOf<'HttpResponse'> {
  if (m.hsts === undefined) return m;
  const { hsts, ...plain } = m;
  log(round, 'attacker', `The bank's answer carried Strict-Transport-Security: ${hsts}. You pass the answer on in plain HTTP without it.`, ['attacker']);
  return plain;
}

function downstreamStep(round: Round, sends: ProxySend[], event: ServerEvent, packet?: Packet): void {
  const proxy = round.attacker.proxy;
  const down = proxy?.downstream;
  if (!proxy || !down || proxy.mode === 'strip') return;
  if (!down.config.certificate && round.module.pki) {
    const persona = personaCertificate(round, proxy.mode);
    if (!persona) {
      if (packet) down.waiting.push(packet.id);
      return;
    }
    down.config = { ...down.config, certificate: persona.certificate, ...(persona.chain.length > 0 ? { chain: persona.chain } : {}), ...gatewayStaple(round, persona.certificate) };
  }
  const step = down.connection.handle(event, contextFor(round, 'attacker'), down.config);
  down.connection = step.next;
  absorb(round, step.out.learned, 'proxy ↔ client');
  recordKeyLog(round, step.out.keyLog);
  for (const m of step.out.send) sends.push(send('client', event, m));
  for (const m of step.out.delivered) {
    if (m.type !== 'HttpRequest') continue;
    if (packet) round.attacker.opened.set(packet.id, { message: m });
    round.attacker.findings.push(`Read through your proxy: ${m.method} ${m.path} "${m.body}"`);
    log(round, 'attacker', `Your proxy decrypted the client's request: "${m.body}"`, ['attacker'], 'success');
    forwardUpstream(round, sends, m);
  }
}

function forwardUpstream(round: Round, sends: ProxySend[], request: HttpMessage): void {
  const proxy = round.attacker.proxy;
  if (!proxy) return;
  if (proxy.upstream.connection.stage === 'traffic') upstreamStep(round, sends, { kind: 'send', message: request });
  else proxy.upstream.pendingRequests.push(request);
}

function receive(round: Round, sends: ProxySend[], packet: Packet): void {
  const message = inspect(packet.bytes).message;
  if (!message || !round.attacker.proxy) return;
  if (packet.from === 'client') downstreamStep(round, sends, { kind: 'receive', message }, packet);
  else if (packet.from === 'server') upstreamStep(round, sends, { kind: 'receive', message }, packet);
}

/** A packet addressed to the attacker: from the client (downstream) or the bank (upstream). */
export function proxyReceive(round: Round, packet: Packet): ProxySend[] {
  const sends: ProxySend[] = [];
  receive(round, sends, packet);
  return sends;
}

/** Once the certificate she waited for exists (the bank's, or the CA's answer), the proxy answers the client messages it parked. */
export function resumeProxy(round: Round): ProxySend[] {
  const down = round.attacker.proxy?.downstream;
  const sends: ProxySend[] = [];
  if (!down || down.waiting.length === 0) return sends;
  const waiting = down.waiting.splice(0);
  for (const id of waiting) receive(round, sends, round.packets[id - 1]!);
  return sends;
}
