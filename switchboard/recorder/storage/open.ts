// Picks the adapter from a store location: a postgres:// URL, or a SQLite file path (sqlite:PATH or a
// bare path). Migrates before handing it out.
import type { Storage } from './port.js';

export async function openStorage(location: string): Promise<Storage> {
  let storage: Storage;
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgres } = await import('./postgres.js');
    storage = openPostgres(location);
  } else {
    const { openSqlite } = await import('./sqlite.js');
    storage = openSqlite(location.replace(/^sqlite:/, ''));
  }
  try {
    await storage.migrate();
  } catch (e) {
    await storage.close().catch(() => {});
    throw new Error(`cannot open the recorder store ${redact(location)}: ${(e as Error).message}`);
  }
  return storage;
}

/** A location for messages: a URL's password is never printed. */
export function redact(location: string): string {
  return location.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}
