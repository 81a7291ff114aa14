import { type ParseArgsConfig, parseArgs } from 'node:util';
import { type CommandContext, printer } from './context.js';
import { didYouMean } from './suggest.js';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A command's options (parseArgs's) and its usage text. */
export interface Spec {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
}

/**
 * parseArgs, strict, with its refusals as UsageErrors in a line of our own: an unknown option names
 * the known one it is nearest (`--peple` → `--people`).
 */
export function parseArgv<const O extends Options, const P extends boolean = false>(
  argv: string[],
  options: O,
  allowPositionals?: P,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: allowPositionals ?? false, strict: true });
  } catch (e) {
    const { code, message } = e as NodeJS.ErrnoException;
    const unknown = /^Unknown option '(-[^']*)'/.exec(message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
      const name = unknown.replace(/^--?/, '').replace(/=.*$/, '');
      throw new UsageError(
        `unknown option ${unknown}${didYouMean(name, Object.keys(options), (o) => `--${o}`)}`,
      );
    }
    throw new UsageError(message.replace(/\. This command does not take positional arguments$/, ''));
  }
}

/** Parses argv; returns undefined after printing help. Bad usage throws UsageError (exit code 2). */
export function parse(spec: Spec, argv: string[], ctx: CommandContext) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgv(argv, { ...spec.options, help: { type: 'boolean', short: 'h' } });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${spec.usage}`);
  }
  if (parsed.values.help) {
    printer(ctx.stdout)(spec.usage);
    return undefined;
  }
  return parsed.values as Record<string, string | string[] | boolean | undefined>;
}

/** `--port`: a TCP port to listen on (0 picks a free one). */
export function portOption(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port must be 0-65535, got ${JSON.stringify(value)}`);
  return n;
}
