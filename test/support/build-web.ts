// vitest globalSetup: the pages' bundles, fresh from source, before any test starts a board.
import { buildWeb } from '../../scripts/build-web.mjs';

export default async function setup(): Promise<void> {
  await buildWeb();
}
