// Reads the docs the way IT does: the `hanvisa ...` command lines they show, the repo paths they
// name, their JSON examples. docs-commands.test.ts checks these against the code.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A piece of a doc and where it is (`docs/deploy.md:56`). */
export interface Found {
  where: string;
  text: string;
}

/** README.md, docs/*.md and the files under deploy/, as repo-relative paths. */
export function docFiles(): string[] {
  const deploy = (dir: string): string[] =>
    readdirSync(join(REPO, dir)).flatMap((name) => {
      const path = `${dir}/${name}`;
      return statSync(join(REPO, path)).isDirectory() ? deploy(path) : [path];
    });
  const docs = readdirSync(join(REPO, 'docs')).filter((f) => f.endsWith('.md'));
  return ['README.md', ...docs.map((f) => `docs/${f}`), ...deploy('deploy')];
}

export function readDoc(file: string): string {
  return readFileSync(join(REPO, file), 'utf8');
}

/** A markdown doc's fenced code blocks, each line with its line number; `\` continuations joined. */
export function codeBlocks(file: string, markdown: string): { lang: string; lines: Found[] }[] {
  const blocks: { lang: string; lines: Found[] }[] = [];
  let open: { lang: string; lines: Found[] } | undefined;
  let pending: Found | undefined;
  markdown.split('\n').forEach((line, i) => {
    const fence = /^\s*```(\S*)/.exec(line);
    if (fence) {
      if (open) blocks.push(open);
      open = open ? undefined : { lang: fence[1] ?? '', lines: [] };
      return;
    }
    if (!open) return;
    const joined = pending ? `${pending.text} ${line.trim()}` : line;
    const where = pending?.where ?? `${file}:${i + 1}`;
    pending = joined.endsWith('\\') ? { where, text: joined.slice(0, -1) } : undefined;
    if (!pending) open.lines.push({ where, text: joined });
  });
  return blocks;
}

/** The markdown outside its code blocks, code lines blanked so line numbers still count. */
export function prose(markdown: string): string {
  let inBlock = false;
  return markdown
    .split('\n')
    .map((line) => {
      const fence = /^\s*```/.test(line);
      if (fence) inBlock = !inBlock;
      return fence || inBlock ? '' : line;
    })
    .join('\n');
}

/** The inline code spans of prose (they may wrap onto the next line). */
export function inlineCode(file: string, text: string): Found[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => ({
    where: `${file}:${text.slice(0, m.index).split('\n').length}`,
    text: (m[1] ?? '').replace(/\s*\n\s*/g, ' '),
  }));
}

/**
 * Shell words of a command line: quotes kept together, and it ends at a comment, a redirection or a
 * pipe (`< pw.txt`, `> hanvisa.acl`), which are the shell's and not the command's. A synopsis's
 * brackets (`[--port 1883]`) are dropped, so its options are checked too; `<file>` is a placeholder.
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) {
    const bare = m[3];
    if (bare !== undefined) {
      const word = bare.replace(/^\[+|\]+$/g, '');
      if (word.startsWith('#') || /^(\||&&|;|\d?>|<(?![\w./-]+>$))/.test(word)) break;
      if (word) words.push(word);
    } else words.push(m[1] ?? m[2] ?? '');
  }
  return words;
}

/** An ellipsis after an option stands for its value; anywhere else it elides the rest of the line. */
function elide(words: string[]): string[] {
  const at = words.findIndex((w) => w === '...' || w === '…');
  if (at < 0) return words;
  return words[at - 1]?.startsWith('--') ? [...words.slice(0, at), 'VALUE'] : words.slice(0, at);
}

export interface Invocation {
  where: string;
  command: string;
  args: string[];
}

/**
 * The `hanvisa <command> ...` invocations in a line (also `dist/bin/hanvisa.js <command>`). Not
 * invocations: a name in a sentence, followed by punctuation or a capital (`hanvisa import, hanvisa
 * users` checks only the last; deploy/mosquitto/acl's "hanvisa broker ACL"), and a line of a command
 * list, where the name is followed by a column of description (two or more spaces, then a word that
 * is neither an option nor a synopsis bracket: README's "The command line").
 */
export function invocations(found: Found): Invocation[] {
  return [...found.text.matchAll(/(?:^|[\s/(])hanvisa(?:\.js)? ([a-z][a-z-]*)/g)].flatMap((m) => {
    const rest = found.text.slice((m.index ?? 0) + m[0].length);
    if (rest !== '' && !/^\s+([-[<a-z.…]|$)/.test(rest)) return [];
    if (/^\s{2,}[^\s[-]/.test(rest)) return [];
    return [{ where: found.where, command: m[1] ?? '', args: elide(shellWords(rest)) }];
  });
}

/** Every invocation the docs and deploy/ show: code blocks, inline code, and deploy/'s files. */
export function docInvocations(): Invocation[] {
  return docFiles().flatMap((file) => {
    const text = readDoc(file);
    if (!file.endsWith('.md'))
      return text.split('\n').flatMap((line, i) => invocations({ where: `${file}:${i + 1}`, text: line }));
    return [...codeBlocks(file, text).flatMap((b) => b.lines), ...inlineCode(file, prose(text))].flatMap(
      invocations,
    );
  });
}

/** A repo path the way a doc names it, resolved from the doc's folder for links. */
export function repoPath(fromFile: string, target: string): string {
  return relative(REPO, join(REPO, dirname(fromFile), target)) || '.';
}
