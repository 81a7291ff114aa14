// A small structured logger shared by every part: one line per event on stderr, level from
// HANVISA_LOG (debug|info|warn|error|silent; default info, silent under vitest unless set).

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

function threshold(): number {
  const configured = process.env.HANVISA_LOG as Level | 'silent' | undefined;
  if (configured && configured in ORDER) return ORDER[configured];
  return process.env.VITEST ? ORDER.silent : ORDER.info;
}

export function createLogger(
  component: string,
  sink: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const min = threshold();
  const emit = (level: Level, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const extra = fields && Object.keys(fields).length ? ` ${JSON.stringify(fields)}` : '';
    sink(`${new Date().toISOString()} ${level.padEnd(5)} [${component}] ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
