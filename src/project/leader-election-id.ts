/** FNV-1a 32-bit hash of the UTF-8 bytes of `input` (the leader-election id prefix, as Kubebuilder does). */
export function fnv32a(input: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(input, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The hash as 8 lowercase hex characters. */
export function fnv32aHex(input: string): string {
  return fnv32a(input).toString(16).padStart(8, '0');
}

export function leaderElectionId(projectName: string, domain: string): string {
  return `${fnv32aHex(projectName)}.${domain}`;
}
