/**
 * The real `operator-ts testenv` command run from source (no build needed), for benches that put the
 * embedded server in its own process: `node --import tsx bench/testenv-child.ts testenv --kubeconfig FILE`.
 */
import { main } from '../src/cli/main.js';

process.exitCode = await main(['node', 'operator-ts', ...process.argv.slice(2)]);
