// What IT signs for an agent update (device-update): one line naming the package's version, size
// and hash, so a signature can be neither moved to other bytes nor replayed under another version.
/** The text IT's Ed25519 key signs and the desk verifies. */
export function packageStatement(version: string, size: number, sha256: string): string {
  return `hanvisa-agent ${version} ${size} ${sha256}`;
}
