/**
 * The hello extensions the game speaks, byte for byte (RFC 8446 §4.2, RFC 6066, RFC 5746, RFC 7627,
 * RFC 8422): written in the order given, read strictly where the game sent them and leniently
 * from other implementations, each field into the inspector's tree. The records and handshake
 * messages around them: tls.ts.
 */
import { concat } from '../codec/bytes.ts';
import { CodecError, type Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { hexCode, writeCode } from './codes.ts';
import { EXTENSION_TYPES, GROUP, NAMED_GROUPS, PROTOCOL_VERSIONS, SIGNATURE_SCHEMES, showCode } from './tls-codes.ts';
import type { Extension, KeyShareEntry, PskIdentity } from './types.ts';
import { TLS_EXPLAIN } from './tls-explain.ts';

export type Where = 'ClientHello' | 'ServerHello' | 'HelloRetryRequest' | 'EncryptedExtensions';

function writeExtension(w: Writer, e: Extension, where: Where): void {
  if (e.type === 'unknown') {
    if (EXTENSION_TYPES.name(e.code)) throw new CodecError('badValue', `extension ${hexCode(e.code)} has a typed form: use it`, w.length);
    w.u16(e.code, 'extension type').vector(2, e.data, 'extension data');
    return;
  }
  writeCode(w, EXTENSION_TYPES, e.type, 2);
  w.sub(
    2,
    (d) => {
      switch (e.type) {
        case 'server_name':
          if (where !== 'ClientHello') {
            if (e.hostName !== '') throw new CodecError('badValue', 'a server acknowledges server_name with an empty extension', d.length);
            return;
          }
          if (e.hostName === '') throw new CodecError('badValue', 'server_name needs a host name', d.length);
          d.sub(2, (list) => list.u8(0).text(2, e.hostName, 'hostName'), 'server_name_list');
          return;
        case 'status_request':
          // RFC 6066 §8: a TLS 1.2 ServerHello acknowledges it empty (its CertificateStatus follows the Certificate).
          if (where === 'ServerHello') return;
          if (where !== 'ClientHello') throw new CodecError('badValue', 'status_request belongs in a ClientHello, or empty in a TLS 1.2 ServerHello', d.length);
          // CertificateStatusRequest: status_type ocsp (1), no responder_id_list, no request_extensions.
          d.u8(1, 'status_type').u16(0, 'responder_id_list').u16(0, 'request_extensions');
          return;
        case 'supported_groups':
          d.sub(2, (l) => e.groups.forEach((g) => l.u16(g, 'group')), 'named_group_list');
          return;
        case 'ec_point_formats':
          d.sub(1, (l) => e.formats.forEach((f) => l.u8(f, 'format')), 'ec_point_format_list');
          return;
        case 'signature_algorithms':
          d.sub(2, (l) => e.schemes.forEach((s) => l.u16(s, 'scheme')), 'supported_signature_algorithms');
          return;
        case 'supported_versions':
          if (where === 'ClientHello') d.sub(1, (l) => e.versions.forEach((v) => l.u16(v, 'version')), 'versions');
          else if (e.versions.length === 1) d.u16(e.versions[0]!, 'selected_version');
          else throw new CodecError('badValue', 'a ServerHello names exactly one version', d.length);
          return;
        case 'key_share':
          if (where === 'ClientHello') d.sub(2, (l) => e.shares.forEach((s) => writeShare(l, s)), 'client_shares');
          else if (where === 'HelloRetryRequest') {
            // §4.2.8: KeyShareHelloRetryRequest, the selected group alone.
            if (e.shares.length !== 1 || e.shares[0]!.key.length !== 0) throw new CodecError('badValue', 'a HelloRetryRequest names one group and no key', d.length);
            d.u16(e.shares[0]!.group, 'selected_group');
          } else if (e.shares.length === 1) writeShare(d, e.shares[0]!);
          else throw new CodecError('badValue', 'a ServerHello answers with exactly one key share', d.length);
          return;
        case 'cookie':
          if (e.cookie.length === 0) throw new CodecError('badValue', 'a cookie is at least one byte', d.length);
          d.vector(2, e.cookie, 'cookie');
          return;
        case 'renegotiation_info':
          d.vector(1, e.renegotiatedConnection, 'renegotiated_connection');
          return;
        case 'extended_master_secret':
          return; // empty: its presence says it all
        case 'pre_shared_key':
          if (where === 'ClientHello') {
            const offer = e.offer;
            if (!offer || offer.identities.length === 0 || offer.identities.length !== offer.binders.length) throw new CodecError('badValue', 'a ClientHello’s pre_shared_key offers at least one identity, with one binder each', d.length);
            d.sub(2, (l) => offer.identities.forEach((i) => l.vector(2, i.identity, 'identity').u32(i.obfuscatedTicketAge, 'obfuscated_ticket_age')), 'identities');
            d.sub(2, (l) => offer.binders.forEach((b) => l.vector(1, b, 'binder')), 'binders');
          } else if (where === 'ServerHello' && e.selected !== undefined) d.u16(e.selected, 'selected_identity');
          else throw new CodecError('badValue', 'a ServerHello’s pre_shared_key names the identity it selected', d.length);
          return;
        case 'early_data':
          if (e.maxEarlyDataSize !== undefined) d.u32(e.maxEarlyDataSize, 'max_early_data_size');
          return;
        case 'psk_key_exchange_modes':
          d.sub(1, (l) => e.modes.forEach((m) => l.u8(m, 'mode')), 'ke_modes');
          return;
      }
    },
    e.type,
  );
}

function writeShare(w: Writer, s: KeyShareEntry): void {
  if (s.key.length === 0) throw new CodecError('badValue', 'a key share cannot be empty', w.length);
  w.u16(s.group, 'group').vector(2, s.key, 'key_exchange');
}

function extensionCode(e: Extension): number {
  return e.type === 'unknown' ? e.code : EXTENSION_TYPES.code(e.type);
}

export function writeExtensions(w: Writer, list: readonly Extension[], where: Where): void {
  // RFC 8446 §4.2: a reader refuses an extension that appears twice, so it is never written.
  const codes = list.map(extensionCode);
  const twice = codes.find((c, i) => codes.indexOf(c) !== i);
  if (twice !== undefined) throw new CodecError('badValue', `extension ${hexCode(twice)} appears twice (RFC 8446 §4.2)`, w.length);
  w.sub(2, (l) => list.forEach((e) => writeExtension(l, e, where)), 'extensions');
}

const showList = (table: Parameters<typeof showCode>[0]) => (codes: number[]) => codes.map((c) => showCode(table, c)).join(', ');

function u16List(r: Reader, key: string, explain: string, lenBytes: 1 | 2, table: Parameters<typeof showCode>[0]): number[] {
  return r.field(
    key,
    explain,
    () => {
      const at = r.offset;
      const list = r.sub(lenBytes);
      if (list.remaining % 2 !== 0) throw r.bad(`list at offset ${at} has an odd length`, at);
      const out: number[] = [];
      while (list.remaining > 0) out.push(list.u16());
      return out;
    },
    { show: showList(table) },
  );
}

/**
 * An X25519MLKEM768 share (draft-ietf-tls-ecdhe-mlkem §3), its two parts named: the client's is
 * an ML-KEM-768 encapsulation key (1184) ‖ an X25519 key (32); the server's an ML-KEM-768
 * ciphertext (1088) ‖ an X25519 key (32). Another length is read whole (the machines refuse it).
 */
function readHybridShare(r: Reader): Uint8Array {
  const share = r.sub(2);
  const mlkem = share.remaining === 1184 + 32 ? 1184 : share.remaining === 1088 + 32 ? 1088 : undefined;
  if (mlkem === undefined) return share.rest();
  const first =
    mlkem === 1184
      ? share.field('mlkem', 'ML-KEM-768 encapsulation key (FIPS 203, 1184 bytes): the bank encapsulates a secret to it, which only Alice’s decapsulation key recovers — built to resist quantum computers', () => share.bytes(mlkem))
      : share.field('mlkem', 'ML-KEM-768 ciphertext (FIPS 203, 1088 bytes): the secret the bank encapsulated to Alice’s key; only her decapsulation key opens it', () => share.bytes(mlkem));
  const x25519 = share.field('x25519', 'X25519 public key (32 bytes, RFC 7748): the classic half; the session keys need this secret and the ML-KEM one together', () => share.bytes(32));
  share.expectEnd();
  return concat(first, x25519);
}

function readShare(r: Reader, key: string): KeyShareEntry {
  return r.field(
    key,
    'KeyShareEntry: a group and a one-time public key',
    () => {
      const group = r.field('group', 'Named group', () => r.u16(), { show: (g) => showCode(NAMED_GROUPS, g) });
      const keyAt = r.offset;
      const k = r.field('key', 'key_exchange: the one-time public key; public on purpose', () => (group === GROUP.x25519MlKem768 ? readHybridShare(r) : r.vector(2)));
      if (k.length === 0) throw r.bad('a key share cannot be empty', keyAt);
      return { group, key: k };
    },
    { show: (s) => showCode(NAMED_GROUPS, s.group) },
  );
}

function readExtensionBody(d: Reader, code: number, where: Where): Extension {
  const name = EXTENSION_TYPES.name(code);
  switch (name) {
    case 'server_name': {
      if (where !== 'ClientHello' || d.remaining === 0) {
        if (where === 'ClientHello') throw d.bad('server_name needs a host name');
        return { type: 'server_name', hostName: '' };
      }
      const list = d.sub(2);
      const kindAt = list.offset;
      if (list.u8() !== 0) throw list.bad('server_name: only host_name (0) is defined', kindAt);
      const hostName = list.field('hostName', 'host_name: the site the client wants, in the clear', () => list.text(2));
      if (hostName === '') throw list.bad('server_name needs a host name');
      list.expectEnd();
      return { type: 'server_name', hostName };
    }
    case 'status_request': {
      if (where === 'ServerHello' && d.remaining === 0) return { type: 'status_request' };
      if (where !== 'ClientHello') throw d.bad('status_request belongs in a ClientHello, or empty in a TLS 1.2 ServerHello');
      const at = d.offset;
      if (d.field('statusType', 'status_type: 1, ocsp', () => d.u8()) !== 1) throw d.bad('status_request: only ocsp (1) is defined', at);
      d.field('responderIds', 'responder_id_list: the OCSP responders the client trusts (empty: the CA’s own)', () => d.vector(2));
      d.field('requestExtensions', 'request_extensions: extensions for the OCSP request (empty)', () => d.vector(2));
      return { type: 'status_request' };
    }
    case 'supported_groups':
      return { type: 'supported_groups', groups: u16List(d, 'groups', 'The groups the client can do key exchange with', 2, NAMED_GROUPS) };
    case 'ec_point_formats': {
      const formats = d.field('formats', 'Point formats: 0 = uncompressed', () => [...d.vector(1)]);
      return { type: 'ec_point_formats', formats };
    }
    case 'signature_algorithms':
      return { type: 'signature_algorithms', schemes: u16List(d, 'schemes', 'The signature schemes the client can check', 2, SIGNATURE_SCHEMES) };
    case 'supported_versions':
      if (where === 'ClientHello') return { type: 'supported_versions', versions: u16List(d, 'versions', 'The versions the client speaks', 1, PROTOCOL_VERSIONS) };
      return { type: 'supported_versions', versions: [d.field('versions', 'The version the server chose', () => d.u16(), { show: (v) => showCode(PROTOCOL_VERSIONS, v) })] };
    case 'key_share':
      if (where === 'ClientHello') {
        const shares = d.field('shares', "The client's one-time key shares, one per group it guesses the server will pick", () => {
          const list = d.sub(2);
          const out: KeyShareEntry[] = [];
          for (let i = 0; list.remaining > 0; i++) out.push(readShare(list, String(i)));
          return out;
        }, { show: (s) => s.map((e) => showCode(NAMED_GROUPS, e.group)).join(', ') });
        return { type: 'key_share', shares };
      }
      if (where === 'HelloRetryRequest') {
        const shares = d.field(
          'shares',
          TLS_EXPLAIN.selectedGroup,
          () => [d.field('0', TLS_EXPLAIN.selectedGroup, () => ({ group: d.field('group', TLS_EXPLAIN.selectedGroup, () => d.u16(), { show: (g) => showCode(NAMED_GROUPS, g) }), key: new Uint8Array(0) }), { show: (s) => showCode(NAMED_GROUPS, s.group) })],
          { show: (s) => showCode(NAMED_GROUPS, s[0]!.group) },
        );
        return { type: 'key_share', shares };
      }
      return { type: 'key_share', shares: d.field('shares', "The server's one-time key share", () => [readShare(d, '0')], { show: (s) => showCode(NAMED_GROUPS, s[0]!.group) }) };
    case 'cookie': {
      const at = d.offset;
      const cookie = d.field('cookie', TLS_EXPLAIN.cookie, () => d.vector(2));
      if (cookie.length === 0) throw d.bad('a cookie is at least one byte', at);
      return { type: 'cookie', cookie };
    }
    case 'renegotiation_info':
      return { type: 'renegotiation_info', renegotiatedConnection: d.field('renegotiatedConnection', 'Empty on a first handshake', () => d.vector(1)) };
    case 'extended_master_secret':
      return { type: 'extended_master_secret' }; // empty (the caller checks that nothing follows)
    case 'pre_shared_key': {
      if (where === 'ServerHello') return { type: 'pre_shared_key', selected: d.field('selected', 'selected_identity: the ticket the server accepts (0: the first offered)', () => d.u16()) };
      const identities = d.field('identities', 'The tickets offered, each with its obfuscated age', () => {
        const list = d.sub(2);
        const out: PskIdentity[] = [];
        for (let i = 0; list.remaining > 0; i++) {
          out.push(
            list.field(String(i), 'PskIdentity', () => ({
              identity: list.field('identity', 'identity: the ticket, as the server sealed it — opaque to the client, and to anyone on the path', () => list.vector(2)),
              obfuscatedTicketAge: list.field('obfuscatedTicketAge', 'obfuscated_ticket_age: “the age in milliseconds” since the ticket arrived, plus its ticket_age_add, “modulo 2^32” (RFC 8446 §4.2.11.1), so an onlooker cannot link visits. The bank subtracts age_add and checks the hello arrives when that age says it should (§8.3: a window of seconds); the binder covers it, so nobody can change it on the way', () => list.u32()),
            })),
          );
        }
        return out;
      });
      const binders = d.field('binders', 'PskBinderEntry: one per identity, an HMAC over this ClientHello up to the binders, keyed from the ticket’s secret — proof the client holds it', () => {
        const list = d.sub(2);
        const out: Uint8Array[] = [];
        for (let i = 0; list.remaining > 0; i++) out.push(list.field(String(i), 'binder', () => list.vector(1)));
        return out;
      });
      if (identities.length === 0 || identities.length !== binders.length) throw d.bad('pre_shared_key offers at least one identity, with one binder each');
      return { type: 'pre_shared_key', offer: { identities, binders } };
    }
    case 'early_data':
      if (d.remaining === 0) return { type: 'early_data' };
      return { type: 'early_data', maxEarlyDataSize: d.field('maxEarlyDataSize', 'max_early_data_size: how many bytes of early data a client may send with this ticket', () => d.u32()) };
    case 'psk_key_exchange_modes': {
      const modes = d.field('modes', 'ke_modes: 0 psk_ke (the ticket alone), 1 psk_dhe_ke (the ticket with a fresh key exchange)', () => [...d.vector(1)], { show: (m) => m.map((x) => (x === 0 ? '0 (psk_ke)' : x === 1 ? '1 (psk_dhe_ke)' : String(x))).join(', ') });
      return { type: 'psk_key_exchange_modes', modes };
    }
    default:
      return { type: 'unknown', code, data: d.field('data', `Extension ${hexCode(code)}: one the game does not use; kept as bytes`, () => d.rest()) };
  }
}

export function readExtensions(r: Reader, where: Where): Extension[] {
  return r.field(
    'extensions',
    TLS_EXPLAIN.extensions,
    () => {
      const list = r.sub(2);
      const out: Extension[] = [];
      const seen = new Set<number>();
      for (let i = 0; list.remaining > 0; i++) {
        const ext = list.field(
          String(i),
          'An extension',
          () => {
            const at = list.offset;
            const code = list.field('extensionType', 'Extension type (2 bytes)', () => list.u16(), { show: (c) => showCode(EXTENSION_TYPES, c) });
            if (seen.has(code)) throw list.bad(`extension ${hexCode(code)} appears twice (RFC 8446 §4.2)`, at);
            seen.add(code);
            const data = list.sub(2);
            const e = readExtensionBody(data, code, where);
            data.expectEnd();
            return e;
          },
          { show: (e) => (e.type === 'unknown' ? hexCode(e.code) : e.type), explainValue: (e) => (e.type === 'unknown' ? `Extension ${hexCode(e.code)}: one the game does not use; kept as bytes` : EXTENSION_TYPES.explain(e.type)) },
        );
        out.push(ext);
      }
      return out;
    },
    { show: (l) => l.map((e) => (e.type === 'unknown' ? hexCode(e.code) : e.type)).join(', ') },
  );
}
