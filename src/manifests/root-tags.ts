import { ManifestError, type SourceLocation } from './errors.js';
import { isDns1035Label } from '../kubernetes-names.js';
import type { DocTag } from './jsdoc.js';
import { TagValueError, parseCount, parseFlag, parseKeyValues, parseOneOf, parseStringList } from './tag-syntax.js';

export interface PrinterColumn {
  name: string;
  type: 'integer' | 'number' | 'string' | 'boolean' | 'date';
  jsonPath: string;
  priority?: number;
  description?: string;
  format?: string;
}

export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** What the root-only tags of one API version say. */
export interface RootTagValues {
  plural?: string;
  scope?: 'Namespaced' | 'Cluster';
  shortNames: string[];
  categories: string[];
  printColumns: PrinterColumn[];
  status: boolean;
  scale?: ScaleSubresource;
  storageVersion: boolean;
  deprecated?: { warning?: string };
}

const COLUMN_KEYS = ['name', 'type', 'JSONPath', 'priority', 'description', 'format'] as const;
const COLUMN_TYPES = ['integer', 'number', 'string', 'boolean', 'date'] as const;
const SCALE_KEYS = ['specpath', 'statuspath', 'selectorpath'] as const;

/** Parses `@plural`, `@scope`, `@shortName`, `@categories`, `@printcolumn`, `@subresource`, `@storageversion`, `@deprecated`. */
export function parseRootTags(tags: DocTag[], locate: (tag: DocTag) => SourceLocation): RootTagValues {
  const out: RootTagValues = { shortNames: [], categories: [], printColumns: [], status: false, storageVersion: false };
  for (const tag of tags) {
    try {
      applyRootTag(out, tag);
    } catch (err) {
      if (err instanceof TagValueError) throw new ManifestError(err.message, { location: locate(tag), hint: 'See docs/manifests.md for the root-type tags.' });
      throw err;
    }
  }
  return out;
}

function applyRootTag(out: RootTagValues, tag: DocTag): void {
  const v = tag.value.trim();
  switch (tag.name) {
    case 'plural':
      out.plural = dns1035('plural', v);
      return;
    case 'scope':
      out.scope = parseOneOf('scope', v, ['Namespaced', 'Cluster'] as const);
      return;
    case 'shortName':
      out.shortNames.push(...parseStringList('shortName', v).map((s) => dns1035('shortName', s)));
      return;
    case 'categories':
      out.categories.push(...parseStringList('categories', v).map((s) => dns1035('categories', s)));
      return;
    case 'printcolumn':
      out.printColumns.push(parsePrintColumn(v));
      return;
    case 'subresource':
      parseSubresource(out, v);
      return;
    case 'storageversion':
      out.storageVersion = parseFlag('storageversion', v);
      return;
    case 'deprecated':
      out.deprecated = v === '' ? {} : { warning: v };
      return;
  }
}

function dns1035(tag: string, v: string): string {
  if (!isDns1035Label(v)) {
    throw new TagValueError(`@${tag} '${v}' must be a lowercase DNS-1035 label (letters, digits, '-', starting with a letter), e.g. 'mc'`);
  }
  return v;
}

function parsePrintColumn(v: string): PrinterColumn {
  const kv = parseKeyValues('printcolumn', v, COLUMN_KEYS);
  for (const key of ['name', 'type', 'JSONPath'] as const) {
    if (!kv[key]) throw new TagValueError(`@printcolumn needs ${key}= (example: @printcolumn name=Size,type=integer,JSONPath=.spec.size)`);
  }
  const col: PrinterColumn = { name: kv.name!, type: parseOneOf('printcolumn type', kv.type!, COLUMN_TYPES), jsonPath: kv.JSONPath! };
  if (!col.jsonPath.startsWith('.')) throw new TagValueError(`@printcolumn JSONPath must start with '.', got '${col.jsonPath}'`);
  if (kv.priority !== undefined) col.priority = parseCount('printcolumn priority', kv.priority);
  if (kv.description !== undefined) col.description = kv.description;
  if (kv.format !== undefined) col.format = kv.format;
  return col;
}

function parseSubresource(out: RootTagValues, v: string): void {
  const [kind, ...rest] = v.split(/\s+/);
  const which = parseOneOf('subresource', kind ?? '', ['status', 'scale'] as const);
  const args = rest.join(' ');
  if (which === 'status') {
    if (args !== '') throw new TagValueError(`@subresource status takes no arguments, got '${args}'`);
    out.status = true;
    return;
  }
  const kv = parseKeyValues('subresource scale', args, SCALE_KEYS);
  for (const [key, path] of Object.entries(kv)) {
    if (!path.startsWith('.')) throw new TagValueError(`@subresource scale ${key} must start with '.', got '${path}'`);
  }
  out.scale = { specReplicasPath: kv.specpath ?? '.spec.replicas', statusReplicasPath: kv.statuspath ?? '.status.replicas' };
  if (kv.selectorpath !== undefined) out.scale.labelSelectorPath = kv.selectorpath;
}
