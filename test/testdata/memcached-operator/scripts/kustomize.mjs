#!/usr/bin/env node
// `npm run install|uninstall|deploy|undeploy`: kubectl apply/delete -k <dir> against the current kubeconfig.
// Usage: node scripts/kustomize.mjs apply|delete <dir>
//
// npm also runs a package's `install` script as a lifecycle step of `npm install` / `npm ci`. That must not
// touch a cluster, so this script acts only when started through `npm run` (npm_command=run-script) or directly.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const [action, dir] = process.argv.slice(2);
const npmCommand = process.env.npm_command;
if (npmCommand !== undefined && npmCommand !== 'run-script' && npmCommand !== 'run') process.exit(0);

if ((action !== 'apply' && action !== 'delete') || !dir) {
  console.error('usage: node scripts/kustomize.mjs apply|delete <kustomization dir>');
  process.exit(2);
}
if (!existsSync(dir)) {
  console.error(`${dir} does not exist yet: run \`operator-ts create api\` first to add a CRD.`);
  process.exit(1);
}
const args = action === 'apply' ? ['apply', '-k', dir] : ['delete', '--ignore-not-found', '-k', dir];
const result = spawnSync('kubectl', args, { stdio: 'inherit' });
if (result.error) {
  console.error(`could not run kubectl: ${result.error.message}. Install kubectl and point it at your cluster.`);
  process.exit(1);
}
process.exit(result.status ?? 1);
