import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerBuiltinResources } from './builtin-kinds.js';
import { CrdRegistrar } from './crd-registrar.js';
import { loadCrdValidation } from './crd-validation-loader.js';
import { Deleter } from './deletes.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery.js';
import { readBody, sendJson, sendText } from './http-io.js';
import { LifecycleControllers } from './lifecycle-controllers.js';
import { openApiV3GroupVersion, openApiV3Root } from './openapi.js';
import { resolveApiServerOptions, type ApiServerOptions, type ResolvedApiServerOptions } from './options.js';
import { Reader } from './reads.js';
import type { Obj } from './registry.js';
import { handleReview, isReviewRoute, type ReviewDeps } from './auth/review-handler.js';
import { TokenAuthenticator } from './auth/identities.js';
import { handleResource, type ResourceHandlerDeps } from './resource-handler.js';
import { requestTarget } from './request-target.js';
import { parsePath } from './router.js';
import { ApiState } from './state.js';
import { errors, StatusError } from './status.js';
import { WorkloadSimulator } from '../simulation/workload-simulator.js';
import { WatchHub } from './watch-stream.js';
import { Writer } from './writes.js';
import { WebhookAdmission } from './admission/webhook-admission.js';
import { ConversionWebhooks } from './admission/conversion-webhook.js';

const SYSTEM_MANAGER = { dryRun: false, fieldManager: 'operator-ts-testenv', fieldManagerGiven: true, force: false } as const;

/**
 * An in-process Kubernetes API server on 127.0.0.1 for tests and local runs: discovery, built-in kinds,
 * CRDs, watches, patches, finalizers and garbage collection, all in memory.
 */
export class ApiServer {
  readonly options: ResolvedApiServerOptions;
  private readonly state: ApiState;
  private readonly deps: ResourceHandlerDeps;
  private readonly reviews: ReviewDeps;
  private readonly controllers: LifecycleControllers;
  private readonly simulator: WorkloadSimulator | undefined;
  private readonly crds: CrdRegistrar;
  private readonly http: Server;
  private pauseGate: { promise: Promise<void>; release: () => void } | undefined;
  private listening = false;
  private held = 0;

  private constructor(options: ResolvedApiServerOptions) {
    this.options = options;
    this.state = new ApiState(options.historyWindow);
    const watches = new WatchHub(this.state, { bookmarkIntervalMs: options.bookmarkIntervalMs, defaultTimeoutSeconds: options.defaultWatchTimeoutSeconds });
    const deleter = new Deleter(this.state);
    this.deps = {
      state: this.state, reader: new Reader(this.state), writer: new Writer(this.state), deleter, watches, maxBodyBytes: options.maxBodyBytes,
      admission: new WebhookAdmission(this.state), conversion: new ConversionWebhooks(this.state),
    };
    this.reviews = { state: this.state, tokens: new TokenAuthenticator(this.state.store, options.token), maxBodyBytes: options.maxBodyBytes };
    this.crds = new CrdRegistrar(this.state, (groupResource) => watches.endResource(groupResource));
    this.controllers = new LifecycleControllers(this.state, deleter);
    this.simulator = options.simulate.workloads ? new WorkloadSimulator(this.state) : undefined;
    registerBuiltinResources(this.state.registry, {
      crdHooks: this.crds.hooks,
      context: { limitRanges: (namespace) => this.state.store.list('limitranges', namespace) },
    });
    for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.createObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
    this.http = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
  }

  /** Creates the server and starts listening. */
  static async start(options: ApiServerOptions = {}): Promise<ApiServer> {
    const server = new ApiServer(resolveApiServerOptions(options));
    const compiler = loadCrdValidation();
    // A failed load surfaces where the compiler is needed (a CRD write), not as an unhandled rejection.
    compiler.catch(() => undefined);
    await new Promise<void>((resolve, reject) => {
      server.http.once('error', reject);
      server.http.listen(server.options.port, '127.0.0.1', () => {
        server.http.off('error', reject);
        resolve();
      });
    });
    server.listening = true;
    if (server.options.crdValidation === 'eager') {
      try {
        await compiler;
      } catch (err) {
        await server.stop(); // a server that cannot take CRDs is not handed out, nor left listening
        throw err;
      }
    }
    return server;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The current value of the single resourceVersion counter. */
  get resourceVersion(): string {
    return String(this.state.store.currentRevision());
  }

  get openWatchCount(): number {
    return this.deps.watches.openCount;
  }

  /**
   * Creates an object directly (no HTTP), with the same validation as a POST: used to install CRDs at
   * start-up and handy in tests. Throws StatusError on invalid input.
   */
  createObject(object: Obj): Obj {
    const [group, version] = String(object.apiVersion ?? '').includes('/') ? String(object.apiVersion).split('/') : ['', String(object.apiVersion ?? '')];
    const resource = this.state.registry.all().find((r) => r.group === group && r.kind === object.kind && r.versions.includes(version!));
    if (!resource) throw errors.badRequest(`no resource of kind ${String(object.kind)} in ${String(object.apiVersion)} is served`, 'Install the CRD that defines it first.');
    const namespace = resource.namespaced ? (object.metadata?.namespace ?? 'default') : undefined;
    return this.deps.writer.create({ resource, version: version!, namespace }, object, SYSTEM_MANAGER);
  }

  /** Resolves once CRDs can be written with createObject() (immediately unless crdValidation is 'background'). */
  crdValidationReady(): Promise<void> {
    return loadCrdValidation();
  }

  /** Ends every open watch stream abruptly (no clean end of the chunked body), as a network failure would. */
  dropAllWatches(): void {
    this.deps.watches.dropAll();
  }

  /** Holds every new request until resume(), to simulate an unresponsive API server. Open watches stay open. */
  pause(): void {
    if (this.pauseGate) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.pauseGate = { promise, release };
  }

  /** Requests waiting for resume(). */
  get heldRequestCount(): number {
    return this.held;
  }

  resume(): void {
    const gate = this.pauseGate;
    this.pauseGate = undefined;
    gate?.release();
  }

  /** Stops listening and closes every connection, watches included. Safe to call twice. */
  async stop(): Promise<void> {
    this.resume();
    this.deps.watches.endAll();
    this.controllers.stop();
    this.simulator?.stop();
    this.crds.stop();
    this.deps.admission.stop();
    this.deps.conversion.stop();
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.http.close(() => resolve()));
    this.http.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      // Take the body in while the connection is there: a client that leaves after a complete request
      // (while it is held, or before it is handled) still gets its write committed.
      if (req.method !== 'GET' && req.method !== 'HEAD') void readBody(req, this.options.maxBodyBytes);
      if (this.pauseGate) {
        this.held++;
        await this.pauseGate.promise.finally(() => this.held--);
      }
      const url = requestTarget(req.url);
      const route = parsePath(url.pathname);
      if (route.type === 'health') return sendText(res, 200, 'ok');
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) throw errors.unauthorized();
      const method = req.method ?? 'GET';
      if (route.type !== 'resource' && method !== 'GET') throw errors.methodNotAllowed(`${method} is not allowed on ${url.pathname}`);
      switch (route.type) {
        case 'version': return sendJson(res, 200, versionInfo());
        case 'coreVersions': return sendJson(res, 200, apiVersions(`127.0.0.1:${this.port}`));
        case 'groups': return sendJson(res, 200, apiGroupList(this.state.registry));
        case 'group': {
          const body = apiGroup(this.state.registry, route.group);
          if (!body) throw errors.pathNotFound(url.pathname);
          return sendJson(res, 200, body);
        }
        case 'resourceList':
          if (!this.state.registry.hasGroupVersion(route.group, route.version)) throw errors.pathNotFound(url.pathname);
          return sendJson(res, 200, apiResourceList(this.state.registry, route.group, route.version));
        case 'openapiV3Root': return sendJson(res, 200, openApiV3Root(this.state.registry));
        case 'openapiV3': {
          const doc = openApiV3GroupVersion(this.state.registry, route.group, route.version);
          if (!doc) throw errors.pathNotFound(url.pathname);
          return sendJson(res, 200, doc);
        }
        case 'resource':
          if (isReviewRoute(route)) return await handleReview(route, req, res, this.reviews);
          if (method !== 'GET' && route.group === 'apiextensions.k8s.io' && route.plural === 'customresourcedefinitions') await loadCrdValidation();
          return await handleResource(route, req, res, url, this.deps);
        default:
          throw errors.pathNotFound(url.pathname);
      }
    } catch (err) {
      this.fail(res, err);
    }
  }

  private fail(res: ServerResponse, err: unknown): void {
    const status = err instanceof StatusError ? err : errors.internal(err instanceof Error ? err.message : String(err));
    if (res.headersSent) {
      // A watch already streaming: report in-band, as the real server does.
      if (!res.writableEnded) res.end(JSON.stringify({ type: 'ERROR', object: status.toStatus() }) + '\n');
      return;
    }
    const body = status.toStatus();
    if (status.httpCode === 413) res.setHeader('Connection', 'close');
    sendJson(res, status.httpCode, body);
  }
}
