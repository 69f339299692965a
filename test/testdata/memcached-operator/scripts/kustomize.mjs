#!/usr/bin/env node
// `npm run crd:install|crd:uninstall|deploy|undeploy`: kubectl apply/delete -k <dir> against the current kubeconfig.
// Usage: node scripts/kustomize.mjs apply|delete <dir>
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const [action, dir] = process.argv.slice(2);

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
