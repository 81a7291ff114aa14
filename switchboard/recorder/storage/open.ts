// The recorder's stores, picked by the location itself: a postgres:// URL, or a SQLite file path
// (sqlite:PATH or a bare path). Each store's module is imported only when chosen. A new store is its
// adapter behind port.ts and one entry here, before the SQLite path that takes any other location.
import { z } from 'zod';
import { adapter, createFirstFit } from '../../../config/registry.js';
import type { Storage } from './port.js';

const STORES = [
  adapter({
    type: 'postgres',
    schema: z.string().regex(/^postgres(ql)?:\/\//),
    create: async (url, _: undefined): Promise<Storage> => (await import('./postgres.js')).openPostgres(url),
  }),
  adapter({
    type: 'sqlite',
    schema: z
      .string()
      .min(1)
      .transform((location) => location.replace(/^sqlite:/, '')),
    create: async (path, _: undefined): Promise<Storage> => (await import('./sqlite.js')).openSqlite(path),
  }),
] as const;

/** The store at `location`, migrated. */
export async function openStorage(location: string): Promise<Storage> {
  const storage = await createFirstFit(STORES, location, undefined);
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
