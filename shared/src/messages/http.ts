/**
 * HTTP/1.1 messages as text (RFC 9112), the bytes a browser and a server really exchange: on
 * port 80 in the clear (level 1, and the first http:// request before a redirect to https://),
 * and inside TLS records. Wireshark shows them as HTTP; a tshark that holds the key log finds the
 * request inside a decrypted capture.
 *
 * The game writes one canonical form (`encodeHttp`), and reads it back strictly on its own wire
 * (`readHttp` with `strict`: one encoding per message, as for every other message). What
 * arrives inside a TLS session from a real client (node:tls, curl, a browser) carries headers
 * of its own, so application data is read leniently (`parseHttp`): any headers, the
 * Host and Content-Length the game needs, nothing else kept. Chunked bodies are not spoken.
 *
 *   request:  METHOD SP path SP HTTP/1.1 CRLF Host: host CRLF
 *             [Content-Type: application/x-www-form-urlencoded CRLF Content-Length: n CRLF] CRLF body
 *   response: HTTP/1.1 SP status SP reason CRLF Content-Type: text/plain; charset=utf-8 CRLF
 *             Content-Length: n CRLF [Location: body CRLF] [Strict-Transport-Security: hsts CRLF] CRLF body
 */
import { fromUtf8, utf8 } from '../codec/bytes.ts';
import { CodecError, type Reader } from '../codec/reader.ts';
import type { MessageOf } from './types.ts';

type Request = MessageOf<'HttpRequest'>;
type Response = MessageOf<'HttpResponse'>;
export type HttpValue = Request | Response;

/** RFC 9110 §15: the reason phrases the game's bank uses (any other status says "Status"). */
const REASONS: Readonly<Record<number, string>> = { 200: 'OK', 301: 'Moved Permanently', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/; // RFC 9110 §5.6.2
const FORM = 'application/x-www-form-urlencoded';
const TEXT = 'text/plain; charset=utf-8';

export const HTTP_EXPLAIN = {
  method: 'HTTP method: GET asks for a page, POST sends data such as a login or a transfer',
  path: 'Request target: which page on that site',
  host: 'Host header: the site this request is for (a server can host many)',
  body: 'Body: the data being sent; in plain HTTP anyone on the path can read and change it',
  status: 'Status code: 200 means OK; 301 sends the browser elsewhere (here: to https://); 4xx means the request was refused',
  hsts: 'Strict-Transport-Security (RFC 6797): "from now on, only https:// for this name" — for max-age seconds, and with includeSubDomains for every name under it too. A browser keeps it only from an answer over HTTPS (§8.1): over plain http:// anyone could have written it',
  responseBody: "Body: the server's answer; in plain HTTP anyone on the path can read and change it (a 301's body repeats its Location)",
} as const;

function bad(message: string, offset = 0): CodecError {
  return new CodecError('badValue', message, offset);
}

/**
 * The canonical text. Throws `CodecError` for a value no HTTP/1.1 message can carry, including
 * one that would read back as another (a host with spaces at its ends, which header parsing
 * trims; a path byte that reads as white space): bytes are never sent that do not decode to the value.
 */
export function encodeHttp(m: HttpValue): Uint8Array {
  const bytes = writeHttp(m);
  let back: HttpValue | undefined;
  try {
    back = parse(bytes).value;
  } catch {
    back = undefined;
  }
  const fields = (v: HttpValue) => (v.type === 'HttpRequest' ? [v.type, v.method, v.host, v.path, v.body] : [v.type, v.status, v.body, v.hsts]);
  if (!back || fields(back).some((f, i) => f !== fields(m)[i])) throw bad(`${m.type}: these values do not survive HTTP/1.1 framing (spaces at the ends of a header, or a byte that reads as white space)`);
  return bytes;
}

function writeHttp(m: HttpValue): Uint8Array {
  const body = utf8(m.body);
  if (m.type === 'HttpRequest') {
    if (!TOKEN.test(m.method)) throw bad(`method "${m.method}" is not an HTTP token`);
    // The first byte tells HTTP from a TLS record or a game frame (looksLikeHttp).
    if (!/^[A-Z]/.test(m.method)) throw bad(`method "${m.method}" must start with a capital letter (GET, POST, …)`);
    if (m.path === '' || /[\s\p{Cc}]/u.test(m.path)) throw bad('path must be non-empty, without spaces or control characters');
    if (/[\r\n\p{Cc}]/u.test(m.host)) throw bad('host must not contain line breaks or control characters');
    const length = body.length > 0 || m.method === 'POST' ? `Content-Type: ${FORM}\r\nContent-Length: ${body.length}\r\n` : '';
    return concatText(`${m.method} ${m.path} HTTP/1.1\r\nHost: ${m.host}\r\n${length}\r\n`, body);
  }
  if (!Number.isInteger(m.status) || m.status < 100 || m.status > 999) throw bad(`status must be a 3-digit number, got ${m.status}`);
  if (m.status === 301 && /[\r\n\p{Cc}]/u.test(m.body)) throw bad('a redirect’s Location must be one line');
  const location = m.status === 301 ? `Location: ${m.body}\r\n` : '';
  if (m.hsts !== undefined && (m.hsts === '' || /[\r\n\p{Cc}]/u.test(m.hsts) || m.hsts !== m.hsts.trim())) throw bad('Strict-Transport-Security must be one line, without spaces at its ends');
  const sts = m.hsts !== undefined ? `Strict-Transport-Security: ${m.hsts}\r\n` : '';
  return concatText(`HTTP/1.1 ${m.status} ${REASONS[m.status] ?? 'Status'}\r\nContent-Type: ${TEXT}\r\nContent-Length: ${body.length}\r\n${location}${sts}\r\n`, body);
}

function concatText(head: string, body: Uint8Array): Uint8Array {
  const h = utf8(head);
  const out = new Uint8Array(h.length + body.length);
  out.set(h, 0);
  out.set(body, h.length);
  return out;
}

/** Whether these bytes start like HTTP/1.1 text (a method token or "HTTP/"), not a TLS record or a game frame. */
export function looksLikeHttp(bytes: Uint8Array): boolean {
  const first = bytes[0] ?? 0;
  return first >= 0x41 && first <= 0x5a; // 'A'..'Z': GET, POST, HTTP/1.1 …
}

interface Parsed {
  value: HttpValue;
  /** Where each field's text starts and how long it is, relative to the start. */
  spans: Partial<Record<'method' | 'path' | 'host' | 'status' | 'hsts' | 'body', [number, number]>>;
}

/** Splits the head into lines and finds the body; lenient about headers, strict about framing. */
function parse(bytes: Uint8Array): Parsed {
  const text = latin1(bytes);
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new CodecError('truncated', 'truncated: the HTTP head does not end with an empty line', bytes.length);
  const lines = text.slice(0, end).split('\r\n');
  const start = lines[0]!;
  const headers = new Map<string, { value: string; at: number }>();
  let at = start.length + 2;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) throw bad(`not an HTTP header line at offset ${at}`, at);
    const name = line.slice(0, colon).toLowerCase();
    const raw = line.slice(colon + 1);
    const lead = raw.length - raw.trimStart().length;
    if (!headers.has(name)) headers.set(name, { value: raw.trim(), at: at + colon + 1 + lead });
    at += line.length + 2;
  }
  if (headers.has('transfer-encoding')) throw bad('chunked (Transfer-Encoding) bodies are not spoken here');
  const bodyAt = end + 4;
  const declared = headers.get('content-length');
  let bodyBytes: Uint8Array;
  if (declared) {
    if (!/^\d{1,9}$/.test(declared.value)) throw bad(`Content-Length "${declared.value}" is not a number`, declared.at);
    const n = Number(declared.value);
    if (bodyAt + n > bytes.length) throw new CodecError('truncated', `truncated: Content-Length says ${n} bytes, only ${bytes.length - bodyAt} follow`, declared.at);
    if (bodyAt + n < bytes.length) throw new CodecError('trailing', `${bytes.length - bodyAt - n} unexpected trailing byte(s) after the HTTP body`, bodyAt + n);
    bodyBytes = bytes.subarray(bodyAt, bodyAt + n);
  } else if (!/^HTTP\//.test(start)) {
    // RFC 9112 §6.3: a request without Content-Length has no body; what follows is not part of it.
    if (bodyAt < bytes.length) throw new CodecError('trailing', `${bytes.length - bodyAt} unexpected trailing byte(s) after a request with no Content-Length`, bodyAt);
    bodyBytes = bytes.subarray(bodyAt);
  } else {
    bodyBytes = bytes.subarray(bodyAt);
  }
  let body: string;
  try {
    body = fromUtf8(bodyBytes);
  } catch {
    throw bad(`the body at offset ${bodyAt} is not valid UTF-8`, bodyAt);
  }
  const bodySpan: [number, number] = [bodyAt, bodyBytes.length];
  const response = /^HTTP\/1\.1 (\d{3}) [^\r\n]*$/.exec(start);
  if (response) {
    const status = Number(response[1]);
    const sts = headers.get('strict-transport-security');
    if (!sts) return { value: { type: 'HttpResponse', status, body }, spans: { status: [9, 3], body: bodySpan } };
    return { value: { type: 'HttpResponse', status, body, hsts: sts.value }, spans: { status: [9, 3], hsts: [sts.at, sts.value.length], body: bodySpan } };
  }
  const request = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.1$/.exec(start);
  if (!request) throw bad('not an HTTP/1.1 request or status line', 0);
  const method = request[1]!;
  const path = request[2]!;
  const host = headers.get('host');
  return {
    value: { type: 'HttpRequest', method, host: decodeText(host?.value ?? ''), path: decodeText(path), body },
    // latin-1 text has one character per byte: its lengths are byte lengths.
    spans: { method: [0, method.length], path: [method.length + 1, path.length], ...(host ? { host: [host.at, host.value.length] } : {}), body: bodySpan },
  };
}

/** Bytes as latin-1 text: one character per byte, so string offsets are byte offsets. */
function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

/** Latin-1 text (bytes) read as the UTF-8 it holds. */
function decodeText(latin1Text: string): string {
  try {
    return fromUtf8(Uint8Array.from(latin1Text, (c) => c.charCodeAt(0)));
  } catch {
    throw bad('a request line or header is not valid UTF-8');
  }
}

/**
 * Application data as a server or browser reads it: any headers, Host and Content-Length
 * kept. Throws `CodecError` for what is not an HTTP/1.1 message.
 */
export function parseHttp(bytes: Uint8Array): HttpValue {
  return parse(bytes).value;
}

/** Strict: only the canonical text decodes (what `encodeHttp` writes), recording the field tree. */
export function readHttp(r: Reader): HttpValue {
  const base = r.offset;
  const bytes = r.rest();
  const { value, spans } = parse(bytes);
  let again: Uint8Array;
  try {
    again = encodeHttp(value);
  } catch (e) {
    throw e instanceof CodecError ? e : bad(String(e));
  }
  if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) {
    throw bad("HTTP text not in the game's own form (other headers, another order or spacing): the game's wire carries one form per message", base);
  }
  if (r.recording) {
    const node = (key: 'method' | 'path' | 'host' | 'status' | 'hsts' | 'body', explain: string, show: string) => {
      const span = spans[key];
      return span ? [{ path: r.pathOf(key)!, name: key, offset: base + span[0], length: span[1], value: show, explain }] : [];
    };
    if (value.type === 'HttpRequest') {
      r.note(
        ...node('method', HTTP_EXPLAIN.method, value.method),
        ...node('path', HTTP_EXPLAIN.path, value.path),
        ...node('host', HTTP_EXPLAIN.host, value.host),
        ...node('body', HTTP_EXPLAIN.body, value.body),
      );
    } else {
      r.note(...node('status', HTTP_EXPLAIN.status, String(value.status)), ...node('hsts', HTTP_EXPLAIN.hsts, value.hsts ?? ''), ...node('body', HTTP_EXPLAIN.responseBody, value.body));
    }
  }
  return value;
}
