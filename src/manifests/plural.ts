/**
 * The English plural Kubernetes tooling uses for a lowercased kind: -s/-x/-z/-ch/-sh take -es,
 * consonant + y becomes -ies, everything else takes -s. Irregular plurals are set with @plural.
 */
export function defaultPlural(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}
