#!/usr/bin/env node
// `npm run demo`: scaffolds a sample operator with the real CLI and runs it against the embedded
// API server (no cluster needed). Usage: npm run demo [-- <target-dir>]
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'operator-ts.js');

function run(cmd, args, cwd) {
  console.log(`\n$ ${[cmd === process.execPath ? 'operator-ts' : cmd, ...(cmd === process.execPath ? args.slice(1) : args)].join(' ')}`);
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`demo: the step above failed with exit code ${result.status}`);
    process.exit(result.status ?? 1);
  }
}

if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) run('npm', ['run', 'build'], root);

const parent = process.argv[2] ? resolve(process.argv[2]) : mkdtempSync(join(tmpdir(), 'operator-ts-demo-'));
const project = join(parent, 'memcached-operator');
if (existsSync(join(project, 'PROJECT'))) {
  console.log(`demo: reusing the project already scaffolded in ${project}`);
} else {
  mkdirSync(project, { recursive: true });
  run(process.execPath, [cli, 'init', '--domain', 'example.com', '--yes'], project);
  run(process.execPath, [cli, 'create', 'api', '--group', 'cache', '--version', 'v1alpha1', '--kind', 'Memcached', '--resource', '--controller'], project);
}

console.log(`\ndemo: running the operator against the embedded API server (Ctrl-C to stop); project: ${project}`);
const dev = spawn('npm', ['run', 'dev'], { cwd: project, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => dev.kill(sig));
dev.on('exit', (code, signal) => {
  process.exitCode = signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : code ?? 1;
});
