/** Characters Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** JSON with object keys sorted, so equal templates hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * A pod-template hash in the shape of the real one (FNV-32a, written in the safe alphabet), used for the
 * names a simulated status mentions (`<deployment>-<hash>`). It is stable per template but is not the value
 * kube-controller-manager computes, which hashes Go's in-memory representation.
 */
export function templateHash(template: unknown): string {
  // Like rand.SafeEncodeString: each character of the decimal number picks a letter by its code.
  return [...String(fnv32a(canonicalJson(template ?? {})))].map((digit) => SAFE_ALPHABET[digit.charCodeAt(0) % SAFE_ALPHABET.length]!).join('');
}
