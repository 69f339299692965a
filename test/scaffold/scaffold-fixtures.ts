import { MemoryView, type Plan } from '../../src/scaffold/plan.js';
import { planInit } from '../../src/scaffold/init-plan.js';
import type { PackageInfo } from '../../src/scaffold/package-info.js';
import type { ManifestPlanner } from '../../src/scaffold/api-plan.js';

export const info: PackageInfo = { root: '/opt/operator-ts', name: 'operator-ts', version: '0.1.0', clientNodeRange: '^1.4.0', commanderRange: '^14.0.3' };

/** Files of a plan as a map, for building the next in-memory view. */
export function filesOf(plan: Plan, base: Record<string, Buffer> = {}): Record<string, Buffer> {
  const out = { ...base };
  for (const e of plan.entries) {
    if (e.action === 'delete') delete out[e.path];
    else if (e.action !== 'skip' && e.action !== 'conflict') out[e.path] = e.contents;
  }
  return out;
}

/** A freshly initialised project, in memory, rendered from the real templates. */
export function initialisedProject(): Record<string, Buffer> {
  const { plan } = planInit({
    view: new MemoryView(), domain: 'example.com', projectName: 'memcached-operator', owner: 'Jane Doe', license: 'apache2',
    force: false, year: 2026, info, runtime: { spec: '^0.1.0', vendored: false },
  }, '/work/memcached-operator');
  return filesOf(plan);
}

/** A manifests planner that records what it saw and returns one CRD per new types file. */
export function fakeManifests(seen: string[][] = []): ManifestPlanner {
  return async (planned) => {
    seen.push(planned.map((f) => f.path));
    return planned
      .filter((f) => f.path.endsWith('.types.ts'))
      .map((f) => ({ path: `config/crd/bases/crd-for-${f.path.split('/').pop()!.replace('.types.ts', '')}.yaml`, contents: '---\nkind: CustomResourceDefinition\n' }));
  };
}
