// A process of its own that opens (and so migrates) the recorder store named by argv[2], as a board or
// a recorder starting does: it says "ready" once loaded and opens on "go" from stdin, so a test starts
// several at the same moment. Prints the schema version, or the error, and exits 0 or 1.
import { createInterface } from 'node:readline';
import { openStorage } from '../../switchboard/recorder/storage/open.js';

async function migrate(location: string): Promise<void> {
  try {
    const storage = await openStorage(location);
    process.stdout.write(`migrated ${await storage.migrate()}\n`);
    await storage.close();
    process.exit(0);
  } catch (e) {
    process.stdout.write(`failed: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'go') void migrate(process.argv[2] ?? '');
});
process.stdout.write('ready\n');
