#!/usr/bin/env node
// `npm run build:prod`: bundles the built operator (dist/main.js, from `npm run build`) with everything it
// imports into dist/bundle/, the only files the production image holds:
//   main.mjs               the operator (ESM, Node 20)
//   chunk-*.mjs            code loaded on demand: client-node, only for a kubeconfig user with an exec
//                          plugin or auth provider (never in a pod, which uses its service account)
//   THIRD_PARTY_NOTICES.txt the name, version, license and license text of every bundled package
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';

const entry = 'dist/main.js';
const outdir = 'dist/bundle';
if (!existsSync(entry)) {
  console.error(`error: ${entry} does not exist\nhint: run \`npm run build\` first`);
  process.exit(1);
}
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: { main: entry },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  splitting: true,
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunk-[hash]',
  metafile: true,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none', // every bundled package's license goes into THIRD_PARTY_NOTICES.txt instead
  // CommonJS dependencies (prom-client, ...) call require() for Node's built-in modules; ESM has no require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

/** The package.json directory of a bundled input under node_modules. */
function packageDirOf(input) {
  const parts = input.split(/[\\/]/);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith('@') ? 2 : 1;
  return parts.slice(0, at + 1 + length).join(sep);
}

const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const dir = packageDirOf(input);
  if (!dir || packages.has(dir) || !existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(dir).find((f) => /^(licen[sc]e|copying|notice)(\.|$)/i.test(f));
  const license = typeof pkg.license === 'string' ? pkg.license : pkg.license?.type ?? 'UNKNOWN';
  packages.set(dir, { name: pkg.name, version: pkg.version, license, text: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8').trim() : undefined });
}
const sorted = [...packages.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
const notices = sorted.map((p) => `${p.name}@${p.version} (${p.license})\n\n${p.text ?? `No license file in the package; its declared license is ${p.license}.`}\n`);
writeFileSync(join(outdir, 'THIRD_PARTY_NOTICES.txt'), `This bundle includes the following packages.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`);

const size = (f) => (readFileSync(join(outdir, f)).length / 1024 / 1024).toFixed(1);
const files = readdirSync(outdir).sort();
console.log(`${outdir}: ${files.map((f) => `${f} ${size(f)} MB`).join(', ')} (${sorted.length} packages bundled)`);
