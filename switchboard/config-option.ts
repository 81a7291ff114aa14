// The config file a long-running command cannot start without (`--config FILE`, `--settings FILE`).

import { UsageError } from '../cli/usage-error.js';
import { ConfigFileError } from '../config/json-file.js';

/** Loads the file `--option` names; none, or a bad one, is a UsageError naming the file and each bad field. */
export function loadRequired<T>(
  path: string | undefined,
  option: string,
  usage: string,
  load: (path: string) => T,
): T {
  if (!path) throw new UsageError(`--${option} is required\n\n${usage}`);
  try {
    return load(path);
  } catch (e) {
    if (e instanceof ConfigFileError) throw new UsageError(e.message);
    throw e;
  }
}
