import { parseArgs } from 'node:util';
import { type CommandContext, printer } from './context.js';
import { UsageError } from './usage-error.js';

/** A command's options (parseArgs's) and its usage text. */
export interface Spec {
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;
}

/** Parses argv; returns undefined after printing help. Bad usage throws UsageError (exit code 2). */
export function parse(spec: Spec, argv: string[], ctx: CommandContext) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    });
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
