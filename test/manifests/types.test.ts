import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldSchema, planCrds, specSchema, TYPES_PATH, widgetTypes } from './helpers.js';

describe('type forms', () => {
  it('primitives, optional vs required, field docs as descriptions', async () => {
    const s = await specSchema('  /** The name. */\n  name: string;\n  count?: number;\n  on: boolean;');
    assert.deepEqual(s, {
      description: 'WidgetSpec is the desired state.',
      type: 'object',
      properties: { name: { description: 'The name.', type: 'string' }, count: { type: 'number' }, on: { type: 'boolean' } },
      required: ['name', 'on'],
    });
  });

  it('string-literal unions become enums in written order; number literals become integer enums', async () => {
    assert.deepEqual(await fieldSchema("  f?: 'Zeta' | 'Alpha' | 'Mid';"), { type: 'string', enum: ['Zeta', 'Alpha', 'Mid'] });
    assert.deepEqual(await fieldSchema('  f?: Phase;', "export type Phase = 'Pending' | 'Running';"), { type: 'string', enum: ['Pending', 'Running'] });
    assert.deepEqual(await fieldSchema('  f?: 1 | 2 | 4;'), { type: 'integer', enum: [1, 2, 4] });
    assert.deepEqual(await fieldSchema('  f?: Mode;', "export enum Mode { Fast = 'fast', Safe = 'safe' }"), { type: 'string', enum: ['fast', 'safe'] });
  });

  it('| null makes a field nullable', async () => {
    assert.deepEqual(await fieldSchema('  f?: string | null;'), { type: 'string', nullable: true });
    assert.deepEqual(await fieldSchema('  f: boolean | null;'), { type: 'boolean', nullable: true });
  });

  it('arrays of scalars and of objects', async () => {
    assert.deepEqual(await fieldSchema('  f?: string[];'), { type: 'array', items: { type: 'string' } });
    assert.deepEqual(await fieldSchema('  f?: Array<{ a: number }>;'), {
      type: 'array', items: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] },
    });
  });

  it('nested interfaces are inlined with their docs; the field doc wins over the type doc', async () => {
    const extra = '/** Backup settings. */\nexport interface Backup {\n  /** Cron schedule. */\n  schedule: string;\n}';
    assert.deepEqual(await fieldSchema('  f?: Backup;', extra), {
      description: 'Backup settings.', type: 'object', properties: { schedule: { description: 'Cron schedule.', type: 'string' } }, required: ['schedule'],
    });
    assert.equal((await fieldSchema('  /** Where backups go. */\n  f?: Backup;', extra)).description, 'Where backups go.');
  });

  it('inherited fields, Partial<> and instantiated generics', async () => {
    const extra = 'export interface Base { id: string }\nexport interface Child extends Base { extra?: number }\nexport interface Box<T> { value: T }';
    assert.deepEqual((await fieldSchema('  f?: Child;', extra)).properties, { id: { type: 'string' }, extra: { type: 'number' } });
    assert.deepEqual((await fieldSchema('  f?: Partial<Base>;', extra)).required, undefined);
    assert.deepEqual(await fieldSchema('  f?: Box<string>;', extra), { type: 'object', properties: { value: { type: 'string' } }, required: ['value'] });
  });

  it('Record<string, T> becomes additionalProperties', async () => {
    assert.deepEqual(await fieldSchema('  f?: Record<string, string>;'), { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(await fieldSchema('  f?: { [key: string]: number[] };'), { type: 'object', additionalProperties: { type: 'array', items: { type: 'number' } } });
  });

  it('Date becomes a date-time string', async () => {
    assert.deepEqual(await fieldSchema('  f?: Date;'), { type: 'string', format: 'date-time' });
  });

  it('number | string becomes int-or-string', async () => {
    assert.deepEqual(await fieldSchema('  f?: number | string;'), { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
  });

  it('Condition from operator-ts/runtime gets the metav1.Condition schema', async () => {
    const [crd] = await planCrds({ [TYPES_PATH]: widgetTypes('  a?: string;') });
    const conditions = crd!.doc.spec.versions[0].schema.openAPIV3Schema.properties.status.properties.conditions;
    assert.deepEqual(conditions.items.required, ['type', 'status', 'lastTransitionTime', 'reason', 'message']);
    assert.deepEqual(conditions.items.properties.status.enum, ['True', 'False', 'Unknown']);
    assert.equal(conditions.items.properties.lastTransitionTime.format, 'date-time');
    assert.equal(conditions.items.properties.reason.pattern, '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$');
  });

  it('client-node types are inlined (V1PodTemplateSpec), with ObjectMeta as a plain object', async () => {
    const s = await fieldSchema('  f?: V1PodTemplateSpec;', "import type { V1PodTemplateSpec } from '@kubernetes/client-node';");
    assert.deepEqual(s.properties!.metadata, { type: 'object' });
    assert.equal(s.description, 'PodTemplateSpec describes the data a pod should have when created from a template');
    const container = s.properties!.spec!.properties!.containers!;
    assert.equal(container.type, 'array');
    assert.ok(container.items!.required!.includes('name'));
    const port = container.items!.properties!.livenessProbe!.properties!.httpGet!.properties!.port!;
    assert.equal(port['x-kubernetes-int-or-string'], true);
  });

  it('root: apiVersion/kind/metadata standard, spec required only when not optional, root description', async () => {
    const [crd] = await planCrds({ [TYPES_PATH]: widgetTypes('  a?: string;') });
    const root = crd!.doc.spec.versions[0].schema.openAPIV3Schema;
    assert.equal(root.description, 'Widget is a test kind.');
    assert.deepEqual(root.properties.metadata, { type: 'object' });
    assert.equal(root.properties.apiVersion.type, 'string');
    assert.equal(root.properties.kind.type, 'string');
    assert.equal(root.required, undefined);
  });
});
