// The one error every config file's problem is: which file, where in it, and each problem.

/** A config file (or value) that cannot be used; `problems` are one line each. */
export class ConfigFileError extends Error {
  constructor(
    /** what and which file: `phone config phone.json`, with `:line:column` for a JSON error */
    readonly where: string,
    readonly problems: readonly string[],
  ) {
    super(problems.length === 1 ? `${where}: ${problems[0]}` : `${where}:\n${problems.join('\n')}`);
    this.name = 'ConfigFileError';
  }
}
