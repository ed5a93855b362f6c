/**
 * The shell commands the project's documents show: every line of every ```sh block in README.md
 * and docs/*.md, read with a Markdown parser (marked's lexer, so a block inside a list item counts
 * too). A command a reader could copy must be in such a block: a fence without a language or an
 * indented code block is reported, since a command there would escape the documented-commands
 * test. Syntax lines with placeholders belong in ```text blocks, or in prose.
 */
import fs from 'node:fs';
import path from 'node:path';
import { marked, type Tokens } from 'marked';

export interface ShownCommand {
  /** README.md, docs/server.md, … */
  file: string;
  /** 1-based line of the command in its file. */
  line: number;
  /** The line as written (a trailing comment included), continuation lines joined. */
  written: string;
  /** The command alone: its trailing `# comment` cut. The test knows commands by this text. */
  command: string;
}

export interface BadBlock {
  file: string;
  line: number;
  why: string;
}

export function documents(root: string): string[] {
  const docs = fs
    .readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** A comment starts at a `#` after whitespace, outside quotes. */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

export function shownCommands(root: string, file: string): { commands: ShownCommand[]; bad: BadBlock[] } {
  const source = fs.readFileSync(path.join(root, file), 'utf8');
  const lines = source.split('\n');
  const commands: ShownCommand[] = [];
  const bad: BadBlock[] = [];
  let searchFrom = 0; // code blocks come in document order
  marked.walkTokens(marked.lexer(source), (token) => {
    if (token.type !== 'code') return;
    const code = token as Tokens.Code;
    const body = code.text.split('\n');
    // Where the block starts in the file: its first line of text, searched from the last block on.
    const first = body.find((l) => l.trim() !== '')?.trim() ?? '';
    let at = lines.findIndex((l, i) => i >= searchFrom && l.includes(first));
    if (at < 0) at = searchFrom;
    searchFrom = at + body.length;
    const fenceLine = code.codeBlockStyle === 'indented' ? at + 1 : at; // 1-based line of the fence
    if (code.codeBlockStyle === 'indented') {
      bad.push({ file, line: at + 1, why: 'an indented code block: fence it, as ```sh (commands the test runs) or ```text' });
      return;
    }
    const lang = (code.lang ?? '').trim().split(/\s+/)[0] ?? '';
    if (lang === '') {
      bad.push({ file, line: fenceLine, why: 'a code block without a language: ```sh for commands (the test runs them), ```text for anything else' });
      return;
    }
    if (!['sh', 'bash', 'shell'].includes(lang)) return;
    for (let i = 0; i < body.length; i++) {
      let written = body[i]!.trim();
      const lineNo = at + 1 + i;
      while (written.endsWith('\\') && i + 1 < body.length) written = `${written.slice(0, -1).trimEnd()} ${body[++i]!.trim()}`;
      if (written === '' || written.startsWith('#')) continue;
      commands.push({ file, line: lineNo, written, command: withoutComment(written) });
    }
  });
  return { commands, bad };
}
