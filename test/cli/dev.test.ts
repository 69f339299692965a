import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, cliEnv, ensureBuilt, runCli } from './cli-harness.js';

/** A CRD serving two versions of one kind, so two samples share a name (as after a version bump). */
const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, listKind: WidgetList, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: false
      schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { size: { type: integer } } } } } }
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, properties: { spec: { type: object, properties: { size: { type: integer } } } } } }
`;

const sample = (version: string, size: number) => `apiVersion: example.com/${version}
kind: Widget
metadata:
  name: widget-sample
spec:
  size: ${size}
`;

/**
 * Stands in for a built operator: reads the sample through KUBECONFIG, prints what it got, then exits with the
 * code after `--exit`, or waits for SIGINT and exits 0.
 */
const FAKE_OPERATOR = `import { readFileSync } from 'node:fs';
const server = /server: (\\S+)/.exec(readFileSync(process.env.KUBECONFIG, 'utf8'))[1];
const widget = await (await fetch(server + '/apis/example.com/v1/namespaces/default/widgets/widget-sample')).json();
console.log('operator: args=' + JSON.stringify(process.argv.slice(2)) + ' cwd=' + process.cwd() + ' size=' + widget.spec.size);
const exit = process.argv.indexOf('--exit');
if (exit !== -1) process.exit(Number(process.argv[exit + 1]));
process.on('SIGINT', () => { console.log('operator: got SIGINT'); process.exit(0); });
setInterval(() => {}, 1000);
console.log('operator: ready');
`;

let work: string;
before(() => {
  ensureBuilt();
  work = mkdtempSync(join(tmpdir(), 'operator-ts-dev-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

/** A directory with the parts of a project `dev` uses: PROJECT, a built entry, CRDs and samples. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const complete = (name: string, extra: Record<string, string> = {}) => project(name, {
  PROJECT: 'version: "3"\n',
  'dist/main.js': FAKE_OPERATOR,
  'config/crd/bases/example.com_widgets.yaml': WIDGET_CRD,
  'config/samples/example_v1_widget.yaml': sample('v1', 2),
  'config/samples/example_v1alpha1_widget.yaml': sample('v1alpha1', 3),
  'config/samples/kustomization.yaml': 'resources:\n- example_v1_widget.yaml\n- example_v1alpha1_widget.yaml\n',
  ...extra,
});

describe('operator-ts dev', () => {
  it('has help with its flags and examples', () => {
    const r = runCli(['help', 'dev'], work);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: operator-ts dev \[options\] \[operator-args\.\.\.\]/);
    for (const flag of ['--project-dir', '--port', '--kubeconfig', '--entry']) assert.ok(r.stdout.includes(flag), flag);
    assert.match(r.stdout, /Examples:\n {2}\$ operator-ts dev\n/);
  });

  it('rejects a bad port as a usage error', () => {
    const r = runCli(['dev', '--port', '70000'], work);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /'70000' is not a port number/);
  });

  it('refuses a directory without PROJECT, naming it', () => {
    const dir = project('not-a-project', { 'README.md': 'hello\n' });
    const r = runCli(['dev', '--project-dir', dir], work);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`Error: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has no PROJECT file`));
    assert.match(r.stderr, /Hint: .*operator-ts init/);
  });

  it('refuses a project that is not built, saying how to build it', () => {
    const dir = project('unbuilt', { PROJECT: 'version: "3"\n' });
    const r = runCli(['dev'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /the operator entry dist\/main\.js does not exist/);
    assert.match(r.stderr, /Hint: .*npm run build/);
  });

  it('applies samples of two versions sharing a name, runs the operator against the server and exits with its code', () => {
    const dir = complete('exit-code');
    // Operator flags may follow dev's own without `--`, as `npm run dev -- --flag` produces.
    const r = runCli(['dev', '--project-dir', dir, '--log-level=debug', '--exit', '3'], work);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /dev: embedded API server on http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(r.stdout.match(/dev: applied Widget default\/widget-sample/g)?.length, 2, r.stdout);
    // Server-side apply: the later file (v1alpha1 sorts after v1) owns spec.size now.
    assert.match(r.stdout, new RegExp(`operator: args=\\["--log-level=debug","--exit","3"\\] cwd=${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} size=3`));
    assert.match(r.stdout, /dev: operator exited with code 3; embedded API server stopped/);
    assert.match(r.stderr, /Error: the operator \(dist\/main\.js\) exited with code 3\./);

    const ok = runCli(['dev', '--project-dir', dir, '--', '--exit', '0'], work);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, '');
  });

  it('forwards Ctrl-C to the operator once, then stops the server and exits 0', async () => {
    const dir = complete('signal');
    const child = spawn(process.execPath, [bin, 'dev'], { cwd: dir, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('operator: ready')) resolve();
      });
      child.on('close', () => reject(new Error(`dev exited early:\n${stdout}\n${stderr}`)));
    });
    child.kill('SIGINT');
    assert.equal(await exited, 0, `${stdout}\n${stderr}`);
    assert.equal(stdout.match(/operator: got SIGINT/g)?.length, 1, stdout);
    assert.match(stdout, /dev: operator exited with code 0; embedded API server stopped/);
  });

  it('names the sample the server refuses, and the file that is not YAML', () => {
    const refused = complete('refused', { 'config/samples/example_v1_widget.yaml': sample('v1', 2).replace('size: 2', 'size: many') });
    const r = runCli(['dev', '--project-dir', refused], work);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error: config\/samples\/example_v1_widget\.yaml: the API server refused Widget default\/widget-sample: .*size/);
    assert.doesNotMatch(r.stdout, /operator:/, 'the operator does not start');

    const broken = complete('broken', { 'config/samples/example_v1_widget.yaml': 'kind: [unclosed\n' });
    const b = runCli(['dev', '--project-dir', broken], work);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /Error: config\/samples\/example_v1_widget\.yaml is not valid YAML/);
  });
});

/** Prints the readiness of the sample Deployment as the operator would see it, then exits 0. */
const READINESS_OPERATOR = `import { readFileSync } from 'node:fs';
const server = /server: (\\S+)/.exec(readFileSync(process.env.KUBECONFIG, 'utf8'))[1];
const d = await (await fetch(server + '/apis/apps/v1/namespaces/default/deployments/web')).json();
console.log('operator: readyReplicas=' + d.status?.readyReplicas + ' available=' + d.status?.conditions?.find((c) => c.type === 'Available')?.status);
`;

const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;

describe('operator-ts dev --simulate-workloads', () => {
  it('lets the operator see a sample Deployment ready; without the flag it has no status', () => {
    const dir = project('simulate', { PROJECT: 'version: "3"\n', 'dist/main.js': READINESS_OPERATOR, 'config/samples/web.yaml': WEB_DEPLOYMENT });
    const simulated = runCli(['dev', '--project-dir', dir, '--simulate-workloads'], work);
    assert.equal(simulated.code, 0, simulated.stderr);
    assert.match(simulated.stdout, /operator: readyReplicas=2 available=True/);
    const plain = runCli(['dev', '--project-dir', dir], work);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /operator: readyReplicas=undefined available=undefined/);
  });
});
