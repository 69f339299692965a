import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ConformanceTarget } from './target.js';

/** A namespace of our own per test file, so a real cluster stays clean: `conf-<topic>-<random>`. */
export async function createNamespace(kubeConfig: KubeConfig, topic: string): Promise<string> {
  const name = `conf-${topic}-${randomBytes(3).toString('hex')}`;
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name, labels: { 'operator-ts/conformance': 'true' } } } });
  return name;
}

export async function deleteNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  await kubeConfig.makeApiClient(CoreV1Api).deleteNamespace({ name }).catch(() => undefined);
}

/** A unique name for a cluster-scoped thing (CRD groups) so parallel or repeated runs do not collide. */
export function uniqueSuffix(): string {
  return randomBytes(3).toString('hex');
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** A plain HTTP request with the target's credentials, for what typed clients cannot send (bad bodies, odd headers). */
export async function rawRequest(
  target: ConformanceTarget,
  input: { method: string; path: string; body?: string | Buffer; contentType?: string; headers?: Record<string, string> },
): Promise<RawResponse> {
  const cluster = target.kubeConfig.getCurrentCluster();
  if (!cluster) throw new Error('the kubeconfig has no current cluster');
  const url = new URL(input.path, cluster.server);
  const options: RequestOptions = {
    method: input.method,
    hostname: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    headers: {
      Accept: 'application/json',
      ...(input.contentType ? { 'Content-Type': input.contentType } : {}),
      ...(input.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(input.body)) } : {}),
      ...input.headers,
    },
  };
  if (url.protocol === 'https:') {
    await target.kubeConfig.applyToHTTPSOptions(options);
  } else {
    // client-node refuses to configure plain HTTP (the embedded server); only a bearer token can apply.
    const token = target.kubeConfig.getCurrentUser()?.token;
    if (token) options.headers = { ...options.headers, Authorization: `Bearer ${token}` };
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(options as never, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (input.body !== undefined) req.write(input.body);
    req.end();
  });
}

/** Asserts a Kubernetes Status answer: code, reason, and optionally a message pattern. */
export function assertStatus(body: any, code: number, reason: string, message?: RegExp): void {
  assert.equal(body?.kind, 'Status', `expected a Status object, got ${JSON.stringify(body)}`);
  assert.equal(body.apiVersion, 'v1');
  assert.equal(body.status, 'Failure');
  assert.equal(body.code, code, `code of ${JSON.stringify(body)}`);
  assert.equal(body.reason, reason, `reason of ${JSON.stringify(body)}`);
  if (message) assert.match(body.message, message);
}

/** Awaits a client-node call that must fail; returns the parsed Status from the ApiException. */
export async function expectApiError(promise: Promise<unknown>, code: number, reason: string, message?: RegExp): Promise<any> {
  try {
    await promise;
  } catch (err) {
    const e = err as { code?: number; body?: unknown };
    assert.equal(e.code, code, `expected HTTP ${code}, got ${String(e.code)}: ${String(err)}`);
    const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
    assertStatus(body, code, reason, message);
    return body;
  }
  assert.fail(`expected the call to fail with ${code} ${reason}`);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl against the target; never throws for a non-zero exit (tests assert on it). */
export function kubectl(target: ConformanceTarget, args: string[], stdin?: string): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('kubectl', ['--kubeconfig', target.kubeconfigPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Like kubectl() but fails the test on a non-zero exit, showing stderr. */
export async function kubectlOk(target: ConformanceTarget, args: string[], stdin?: string): Promise<string> {
  const result = await kubectl(target, args, stdin);
  assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Polls until `check` returns a value (not undefined), for effects the server makes asynchronously
 * (cascade deletion, CRD establishment). Bounded by attempts, not by a timed assertion.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, attempts = 100, pauseMs = 50): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  assert.fail(`${what} did not happen${lastError ? `: ${String(lastError)}` : ''}`);
}
