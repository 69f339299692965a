import assert from 'node:assert/strict';
import { startTestEnv, type TestEnv, type TestEnvOptions } from '../../src/testing/index.js';

/** Starts a test env for one test file; call the returned stop in `after`. */
export async function testEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  return startTestEnv(options);
}

/** The Status body of a client-node ApiException (string or object, depending on the call). */
export function statusOf(err: unknown): { code?: number; reason?: string; message?: string; details?: any; kind?: string } {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return {};
    }
  }
  return (body ?? {}) as any;
}

/** Asserts that `promise` rejects with an ApiException of `code` whose Status has `reason`. */
export async function rejectsWithStatus(promise: Promise<unknown>, code: number, reason: string, messagePart?: string | RegExp): Promise<any> {
  try {
    await promise;
  } catch (err) {
    assert.equal((err as { code?: number }).code, code, `expected HTTP ${code}, got ${(err as Error).message}`);
    const status = statusOf(err);
    assert.equal(status.kind, 'Status');
    assert.equal(status.reason, reason, `expected reason ${reason}, got ${JSON.stringify(status)}`);
    assert.equal(status.code, code);
    if (messagePart !== undefined) assert.match(status.message ?? '', typeof messagePart === 'string' ? new RegExp(messagePart.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : messagePart);
    return status;
  }
  assert.fail(`expected the call to fail with ${code} ${reason}`);
}

/** A raw request against the server; returns status code, headers and parsed JSON (or text). */
export async function rawRequest(env: TestEnv, method: string, path: string, init: { body?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {}): Promise<{ code: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.contentType) headers['content-type'] = init.contentType;
  const response = await fetch(env.url + path, { method, headers, body: init.body });
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { code: response.status, body, headers: response.headers };
}

export const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { kind: 'Widget', plural: 'widgets', shortNames: ['wd'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1', served: true, storage: true, subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: { type: 'object', properties: { size: { type: 'integer', maximum: 10, default: 1 }, mode: { type: 'string', enum: ['a', 'b'] } } },
              status: {
                type: 'object',
                properties: {
                  ready: { type: 'boolean' },
                  observedGeneration: { type: 'integer' },
                  conditions: { type: 'array', items: { type: 'object', properties: { type: { type: 'string' }, status: { type: 'string' } } } },
                },
              },
            },
          },
        },
      },
      {
        name: 'v1beta1', served: true, storage: false,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
};
