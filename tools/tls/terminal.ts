/**
 * Text a peer chose, made safe to print on a terminal. A TLS client picks its SNI, a server the
 * names in its certificate; printed raw, an escape sequence among them could recolour, retitle
 * or rewrite the operator's terminal (or, with a newline, forge a line of our output). Every
 * control character (C0, DEL, C1), and the bidirectional overrides that reorder what is shown,
 * is written out as an escape instead.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
