// IT's side of an agent update: the device-update order for a package file (a .tar.gz of the built
// agent, docs/provisioning.md), with its size, hash, the version its package.json names, and IT's
// Ed25519 signature over packageStatement(). The private key stays on IT's machine.
import { execFile } from 'node:child_process';
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { ConfigFileError } from '../../config/config-file-error.js';
import { readFileBytes, readTextFile } from '../../config/text-file.js';
import { DeviceUpdate, packageStatement } from '../../protocol/index.js';

/** The version the package's own package.json names (what the desk will report once it runs it). */
async function packageVersion(file: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('tar', ['-xzOf', file, 'package.json']);
    const { version } = JSON.parse(stdout) as { version?: unknown };
    if (typeof version !== 'string') throw new Error('its package.json has no version');
    return version;
  } catch (e) {
    throw new ConfigFileError(`--package ${file}`, [
      `not an agent package (a .tar.gz with package.json, dist and package-lock.json): ${(e as Error).message.split('\n')[0]}`,
    ]);
  }
}

/** The signed order to run the package at `url`; a bad file or key is a ConfigFileError naming it. */
export async function agentUpdate(
  id: string,
  packageFile: string,
  url: string,
  keyFile: string,
): Promise<DeviceUpdate> {
  const bytes = readFileBytes(packageFile, '--package');
  const version = await packageVersion(packageFile);
  const keyText = readTextFile(keyFile, '--signing-key');
  let signature: string;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    const key = createPrivateKey(keyText);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType} key, not Ed25519`);
    signature = sign(null, Buffer.from(packageStatement(version, bytes.length, sha256)), key).toString(
      'base64',
    );
  } catch (e) {
    throw new ConfigFileError(`--signing-key ${keyFile}`, [(e as Error).message]);
  }
  const update = { v: 1 as const, id, version, url, size: bytes.length, sha256, signature };
  const checked = DeviceUpdate.safeParse(update);
  if (!checked.success)
    throw new ConfigFileError(
      'agent update',
      checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  return checked.data;
}
