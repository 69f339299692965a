import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { OperatorTsError } from '../errors.js';
import { TemplateError } from './errors.js';
import { MARKERS, isMarkerName } from './markers.js';
import type { ExistingPolicy } from './plan.js';
import { packageRoot } from './package-info.js';

/**
 * Templates are real files under templates/<set>/. `.hbs` files are rendered with Handlebars (strict, noEscape)
 * and lose the suffix; other files are copied byte for byte. Path segments are rendered too, and a leading `_`
 * becomes `.` (dotfiles are stored as `_gitignore`). In the api set, `resource/` and `controller/` subtrees are
 * written only when their flag is on; in the webhook set, `registration/`, `defaulting/`, `validation/` and
 * `conversion/` likewise.
 *
 * Each template owns its write policy: a first line `{{!-- ifExists: skip --}}` (or `overwrite`, `error`) says what
 * happens when its file already exists; without one it is `error` — the file holds the user's code, so only
 * --force replaces it. Markers are written with `{{marker "name"}}` (see markers.ts), which also checks that the
 * marker belongs to the file being rendered.
 */
export type TemplateSet = 'init' | 'api' | 'webhook' | 'webhook-kustomize';

export interface RenderedFile {
  path: string;
  contents: Buffer;
  policy: ExistingPolicy;
  mode?: number;
}

export interface RenderOptions {
  set: TemplateSet;
  context: Record<string, unknown>;
  /** Root of the templates tree; default: the package's templates/ directory. */
  templatesDir?: string;
}

/** Per set, the top-level directories written only when the context value of the same name is true. */
const CONDITIONAL_DIRS: Partial<Record<TemplateSet, readonly string[]>> = {
  api: ['resource', 'controller'],
  webhook: ['registration', 'defaulting', 'validation', 'conversion'],
};

const POLICY_HEADER = /^\{\{!--\s*ifExists:\s*(\S+)\s*--\}\}\r?\n/;
const POLICIES: readonly ExistingPolicy[] = ['error', 'skip', 'overwrite'];

/** Splits a template's policy header from its body. */
function readPolicy(source: string, name: string): { policy: ExistingPolicy; body: string } {
  const match = POLICY_HEADER.exec(source);
  if (!match) return { policy: 'error', body: source };
  const policy = match[1] as ExistingPolicy;
  if (!POLICIES.includes(policy)) {
    throw new TemplateError(name, new Error(`ifExists '${match[1]}' is not one of ${POLICIES.join(', ')}`));
  }
  return { policy, body: source.slice(match[0].length) };
}

export function defaultTemplatesDir(): string {
  return join(packageRoot(), 'templates');
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

const handlebars = Handlebars.create();

function render(source: string, context: Record<string, unknown>, name: string, outputPath?: string): string {
  const marker = (markerName: unknown): string => {
    if (typeof markerName !== 'string' || !isMarkerName(markerName)) throw new Error(`unknown marker ${JSON.stringify(markerName)}`);
    const definition = MARKERS[markerName];
    if (definition.path !== outputPath) throw new Error(`marker '${markerName}' belongs to ${definition.path}, not ${outputPath ?? 'a path'}`);
    return definition.text;
  };
  try {
    return handlebars.compile(source, { strict: true, noEscape: true })(context, { helpers: { marker } });
  } catch (error) {
    throw new TemplateError(name, error);
  }
}

function outputSegment(segment: string, context: Record<string, unknown>, name: string): string {
  let out = segment.includes('{{') ? render(segment, context, name) : segment;
  if (out.endsWith('.hbs')) out = out.slice(0, -4);
  if (out.startsWith('_')) out = `.${out.slice(1)}`;
  if (out === '' || out === '.' || out === '..' || out.includes('/') || out.includes('\\')) {
    throw new TemplateError(name, new Error(`path segment '${segment}' rendered to the unsafe name '${out}'`));
  }
  return out;
}

/** Renders every template of a set into memory. Nothing is read from or written to the target. */
export function renderTemplates(options: RenderOptions): RenderedFile[] {
  const root = join(options.templatesDir ?? defaultTemplatesDir(), options.set);
  let files: string[];
  try {
    files = listFiles(root);
  } catch (error) {
    throw new OperatorTsError('ETEMPLATES', `the template directory ${root} cannot be read.`, {
      hint: 'the operator-ts installation is incomplete; reinstall it',
      cause: error,
    });
  }
  const out: RenderedFile[] = [];
  for (const rel of files) {
    let segments = rel.split('/');
    if (segments.length > 1 && CONDITIONAL_DIRS[options.set]?.includes(segments[0]!)) {
      if (options.context[segments[0]!] !== true) continue;
      segments = segments.slice(1);
    }
    const name = `templates/${options.set}/${rel}`;
    const path = segments.map((s) => outputSegment(s, options.context, name)).join('/');
    const full = join(root, rel);
    const raw = readFileSync(full);
    let contents = raw;
    let policy: ExistingPolicy = 'error';
    if (rel.endsWith('.hbs')) {
      const template = readPolicy(raw.toString('utf8'), name);
      policy = template.policy;
      contents = Buffer.from(render(template.body, options.context, name, path));
    }
    const executable = (statSync(full).mode & 0o111) !== 0;
    out.push({ path, contents, policy, ...(executable ? { mode: 0o755 } : {}) });
  }
  return out;
}
