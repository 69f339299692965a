/**
 * Generation time of `planManifests` for a project with three APIs (Memcached, Gadget, Backup) and
 * their controllers; target under 2 s. Also times one API embedding V1PodTemplateSpec, which pulls
 * in the whole PodSpec tree from @kubernetes/client-node.
 * Run: node --import tsx bench/manifests.bench.ts
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = join(repo, 'test', 'manifests', 'fixtures');

const BACKUP = `import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Condition } from 'operator-ts/runtime';
/** Where and when to back up. */
export interface BackupSpec {
  /** Cron schedule. @pattern ^(\\S+\\s){4}\\S+$ */
  schedule: string;
  /** @minItems 1 */
  targets: Array<{ /** Bucket name. */ bucket: string; /** @format uri */ endpoint?: string }>;
  /** @default 7 @minimum 1 @integer */
  keepDays?: number;
  retention?: Record<string, number>;
}
export interface BackupStatus {
  /** @listType map
   * @listMapKey type */
  conditions?: Condition[];
  lastRun?: Date;
}
/**
 * Backup is the Schema for the backups API.
 * @subresource status
 * @printcolumn name=Schedule,type=string,JSONPath=.spec.schedule
 */
export interface Backup {
  apiVersion: 'ops.example.com/v1';
  kind: 'Backup';
  metadata: V1ObjectMeta;
  spec: BackupSpec;
  status?: BackupStatus;
}
`;

const POD_API = `import type { V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
/** @subresource status */
export interface Runner {
  apiVersion: 'ops.example.com/v1';
  kind: 'Runner';
  metadata: V1ObjectMeta;
  spec: { template: V1PodTemplateSpec };
  status?: { ready?: boolean };
}
`;

function project(files: Record<string, string>, copyFrom: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'operator-ts-manifests-bench-'));
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const from of copyFrom) cpSync(join(fixtures, from, 'src'), join(dir, 'src'), { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const loadStart = performance.now();
const { planManifests } = await import('../src/manifests/index.js');
const loadMs = performance.now() - loadStart;

const threeApis = project(
  {
    'src/api/v1/backup.types.ts': BACKUP,
    'src/controllers/backup.controller.ts': readFileSync(join(fixtures, 'memcached/src/controllers/memcached.controller.ts'), 'utf8').replaceAll('memcached', 'backup'),
  },
  ['memcached', 'constraints'],
);
const podApi = project({ 'src/api/v1/runner.types.ts': POD_API }, []);
try {
  const first = await time(() => planManifests({ projectDir: threeApis }));
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) warm.push(await time(() => planManifests({ projectDir: threeApis })));
  const files = await planManifests({ projectDir: threeApis });
  const pod = await time(() => planManifests({ projectDir: podApi }));
  const median = warm.sort((a, b) => a - b)[2]!;
  console.log(`module load (ts-morph + generator): ${loadMs.toFixed(0)} ms`);
  console.log(`three APIs, first run in a fresh process: ${first.toFixed(0)} ms (${files.length} files)`);
  console.log(`three APIs, repeated runs: median ${median.toFixed(0)} ms, min ${warm[0]!.toFixed(0)} ms, max ${warm[4]!.toFixed(0)} ms`);
  console.log(`cold total (load + first run, what \`operator-ts generate manifests\` pays): ${(loadMs + first).toFixed(0)} ms (target < 2000 ms)`);
  console.log(`one API embedding V1PodTemplateSpec: ${pod.toFixed(0)} ms`);
} finally {
  rmSync(threeApis, { recursive: true, force: true });
  rmSync(podApi, { recursive: true, force: true });
}
