// `hanvisa users add|passwd|remove|list --file users.json ...`: maintains the users file. The
// password never goes on the command line (it would sit in shell history and `ps`): it is read from
// a file (--password-file) or stdin, hidden when stdin is a terminal.
import { existsSync } from 'node:fs';
import { chmod, chown, rename, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CommandContext } from '../../cli/context.js';
import { parseArgv } from '../../cli/options.js';
import { didYouMean } from '../../cli/suggest.js';
import { UsageError } from '../../cli/usage-error.js';
import { ConfigFileError } from '../../config/json-file.js';
import { readSecretFile } from '../../config/secret-file.js';
import { issueLines } from '../../protocol/index.js';
import { hashPassword } from './password.js';
import { loadUsersFile, parseUsers, roleProblems, type User, UserFields } from './users.js';

const USAGE = `Usage: hanvisa users <command> --file users.json [options]
  add     --username U --role operator|viewer|it|staff|manager [--name "Full Name"] [--orgs a,b|*]
          [--ext 1234] [--departments d1,d2 (manager)]
          [--password-file FILE | --password-stdin]
  passwd  --username U [--password-file FILE | --password-stdin]
  remove  --username U
  list
The password is read from --password-file (one line) or stdin (first line); on a terminal it is asked
for without echo.
`;

/** Input the command refuses (no such user, a short password): its reason alone, no usage. */
class Refusal extends Error {}

const MIN_PASSWORD = 10;
const MAX_PASSWORD = 1024;

async function readPassword(
  io: CommandContext,
  values: { 'password-file'?: string | undefined; 'password-stdin'?: boolean | undefined },
): Promise<string> {
  const file = values['password-file'];
  if (file !== undefined && values['password-stdin'])
    throw new UsageError('--password-file and --password-stdin: give the password one way');
  if (file !== undefined) return readSecretFile(file, '--password-file');
  if (io.stdin.isTTY && !values['password-stdin']) {
    io.stderr.write('Password: ');
    const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
    const rl = createInterface({ input: io.stdin, output: muted, terminal: true });
    const line = await new Promise<string>((resolve) => rl.once('line', resolve));
    rl.close();
    io.stderr.write('\n');
    return line;
  }
  let text = '';
  for await (const chunk of io.stdin) {
    text += String(chunk);
    if (text.includes('\n') || text.length > MAX_PASSWORD + 2) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

async function save(file: string, users: User[]): Promise<void> {
  // Validated again as a whole (duplicates), then written beside and renamed: never half a file.
  parseUsers(users, file);
  // The new file keeps the old one's mode and owner: deploy.md makes it root:hanvisa 0640 so that
  // the board can read it, and a root-owned 0600 replacement would break the next reload.
  const before = await stat(file).catch(() => undefined);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  if (before) {
    const written = await stat(temp);
    if (written.uid !== before.uid || written.gid !== before.gid) await chown(temp, before.uid, before.gid);
    await chmod(temp, before.mode & 0o777);
  }
  await rename(temp, file);
}

function parseOrgs(value: string | undefined): User['orgs'] {
  if (value === undefined || value === '*') return '*';
  return value
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

const SUBCOMMANDS = ['add', 'passwd', 'remove', 'list'] as const;
const isSubcommand = (name: string): name is (typeof SUBCOMMANDS)[number] =>
  (SUBCOMMANDS as readonly string[]).includes(name);

/** Runs one users subcommand (argv starts after `users`); returns the process exit code. */
export async function usersCommand(argv: string[], io: CommandContext = process): Promise<number> {
  try {
    const { positionals, values } = parseArgv(
      argv,
      {
        file: { type: 'string' },
        username: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        orgs: { type: 'string' },
        ext: { type: 'string' },
        departments: { type: 'string' },
        'password-file': { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      true,
    );
    const command = positionals[0];
    // before --help, so `users ad --help` (a misspelt command in a doc) is an error, not help
    if (command !== undefined && !isSubcommand(command))
      throw new UsageError(`unknown command ${command}${didYouMean(command, SUBCOMMANDS)}`);
    if (values.help || !command) {
      io.stdout.write(USAGE);
      return values.help ? 0 : 2;
    }
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
    const file = values.file;
    if (!file) throw new UsageError('--file is required');
    const users = command === 'add' && !existsSync(file) ? [] : loadUsersFile(file);
    const username = values.username?.toLowerCase();
    const index = users.findIndex((u) => u.username === username);
    const needUser = () => {
      if (!username) throw new UsageError('--username is required');
      if (index < 0) throw new Refusal(`no user ${username} in ${file}`);
      return users[index] as User;
    };
    const newHash = async () => {
      const password = await readPassword(io, values);
      if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) {
        throw new Refusal(`password must be ${MIN_PASSWORD}-${MAX_PASSWORD} characters`);
      }
      return hashPassword(password);
    };

    switch (command) {
      case 'add': {
        if (!username) throw new UsageError('--username is required');
        if (index >= 0)
          throw new Refusal(`user ${username} already exists (use passwd to change the password)`);
        const candidate = {
          username,
          name: values.name ?? username,
          role: values.role,
          orgs: parseOrgs(values.orgs),
          ...(values.ext ? { ext: values.ext } : {}),
          ...(values.departments ? { departments: values.departments.split(',').map((d) => d.trim()) } : {}),
        };
        // Checked before the password is asked for, so a typo in --role does not waste a prompt.
        const fields = UserFields.safeParse(candidate);
        if (!fields.success)
          throw new UsageError(issueLines(fields.error, { indexes: 'brackets' }).join('\n'));
        const problems = roleProblems(fields.data);
        if (problems.length) throw new UsageError(problems.join('\n'));
        await save(file, [...users, { ...fields.data, passwordHash: await newHash() }]);
        io.stdout.write(`added ${username} (${values.role}) to ${file}\n`);
        return 0;
      }
      case 'passwd': {
        const user = needUser();
        users[index] = { ...user, passwordHash: await newHash() };
        await save(file, users);
        io.stdout.write(`changed the password of ${user.username}\n`);
        return 0;
      }
      case 'remove': {
        const user = needUser();
        await save(
          file,
          users.filter((u) => u !== user),
        );
        io.stdout.write(`removed ${user.username}\n`);
        return 0;
      }
      case 'list':
        for (const u of users) {
          const orgs = u.orgs === '*' ? '*' : u.orgs.join(',');
          io.stdout.write(`${u.username}\t${u.role}\t${orgs}\t${u.ext ?? '-'}\t${u.name}\n`);
        }
        return 0;
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigFileError || e instanceof Refusal) {
      io.stderr.write(`hanvisa users: ${e.message}\n`);
      if (e instanceof UsageError) io.stderr.write(USAGE);
      return 2;
    }
    throw e;
  }
}
