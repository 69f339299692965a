#!/usr/bin/env node
// `npm run build-installer`: writes dist/install.yaml, everything `kubectl apply -f` needs to install the
// operator (CRDs, RBAC, the manager Deployment), rendered from config/default with the manager image set to IMG.
// The image is set by a throwaway kustomize overlay in a temporary directory, so no tracked file changes.
// Usage: [IMG=registry.example.com/my-operator:v0.1.0] node scripts/build-installer.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const OUTPUT = join('dist', 'install.yaml');
// The same reference `npm run docker-build` tags when IMG is not set.
const projectName = JSON.parse(readFileSync('package.json', 'utf8')).name;
const defaultImage = `${projectName}:latest`;
// [host[:port]/]path[:tag][@digest], lower-case path components as the OCI distribution spec requires.
const IMAGE_REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

function fail(message) {
  console.error(`build-installer: ${message}`);
  process.exit(1);
}

const image = process.env.IMG || defaultImage;
if (!process.env.IMG) console.error(`build-installer: IMG is not set; using ${defaultImage} (as npm run docker-build does).`);
if (!IMAGE_REFERENCE.test(image)) {
  fail(`IMG=${JSON.stringify(image)} is not an image reference; use name[:tag] or host/path:tag, lower case, e.g. IMG=registry.example.com/${projectName}:v0.1.0`);
}
if (!existsSync(join('config', 'default', 'kustomization.yaml'))) {
  fail('config/default/kustomization.yaml not found: run this from the project root.');
}

const overlay = mkdtempSync(join(tmpdir(), 'build-installer-'));
let rendered;
try {
  // A strategic-merge patch by container name: only the manager's image changes, whatever else the
  // Deployment holds. With a target, kustomize applies the patch to every match and ignores its name.
  writeFileSync(join(overlay, 'kustomization.yaml'), [
    'resources:',
    `- ${relative(overlay, resolve('config', 'default'))}`,
    'patches:',
    '- target:',
    '    kind: Deployment',
    '    labelSelector: control-plane=controller-manager',
    '  patch: |-',
    '    apiVersion: apps/v1',
    '    kind: Deployment',
    '    metadata:',
    '      name: controller-manager',
    '    spec:',
    '      template:',
    '        spec:',
    '          containers:',
    '          - name: manager',
    `            image: ${image}`,
    '',
  ].join('\n'));
  const result = spawnSync('kubectl', ['kustomize', overlay], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) fail(`could not run kubectl: ${result.error.message}. Install kubectl (it includes kustomize) and try again.`);
  if (result.status !== 0) fail(`kubectl kustomize config/default failed:\n${result.stderr.trim()}`);
  rendered = result.stdout;
} finally {
  rmSync(overlay, { recursive: true, force: true });
}
if (!rendered.includes(`image: ${image}\n`)) {
  fail('config/default renders no Deployment labelled control-plane=controller-manager with a container named manager; nothing written.');
}

// Written to a temporary sibling and renamed, so a failed run never leaves half a file.
mkdirSync('dist', { recursive: true });
const temp = `${OUTPUT}.${process.pid}.tmp`;
writeFileSync(temp, rendered);
renameSync(temp, OUTPUT);
console.log(`Wrote ${OUTPUT} (image ${image}). Install with: kubectl apply -f ${OUTPUT}`);
