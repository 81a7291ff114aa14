// The structured logger every part shares: pino, one JSON line per event on stderr (the journal
// keeps stdout for what a command prints), or wherever a command sends them (`sendLogsTo`: a file,
// above a terminal's status line); level from HANVISA_LOG (debug|info|warn|error|silent; default
// info, silent under vitest unless set). The call shape stays (message, fields) so that no call site
// names pino.
import { pino } from 'pino';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const LEVELS = new Set(['debug', 'info', 'warn', 'error', 'silent']);

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function level(): string {
  const configured = process.env.HANVISA_LOG;
  if (configured && LEVELS.has(configured)) return configured;
  return process.env.VITEST ? 'silent' : 'info';
}

// Synchronous writes: a command that exits right after logging an error must not lose the line.
const stderr = pino.destination({ dest: 2, sync: true });
const toStderr = (line: string) => void stderr.write(line);
let target: (line: string) => void = toStderr;
/** Where every logger without a sink of its own writes, including those already made. */
const shared = { write: (line: string) => target(line) };

/**
 * Sends every logger's lines (those made before too) to `write` instead of stderr, for a command
 * that owns the terminal; returns the call that sends them back to stderr.
 */
export function sendLogsTo(write: (line: string) => void): () => void {
  target = write;
  return () => {
    target = toStderr;
  };
}

export function createLogger(component: string, sink?: (line: string) => void): Logger {
  const destination = sink ? { write: sink } : shared;
  const log = pino(
    {
      name: component,
      level: level(),
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return {
    debug: (m, f) => log.debug(f ?? {}, m),
    info: (m, f) => log.info(f ?? {}, m),
    warn: (m, f) => log.warn(f ?? {}, m),
    error: (m, f) => log.error(f ?? {}, m),
  };
}
