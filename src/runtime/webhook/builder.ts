import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceType } from '../resource.js';
import type { Logger } from '../types.js';
import { isMetadataOnly } from '../metadata-only.js';
import { defaultingHandler, validatingHandler } from './admission-handlers.js';
import { checkConversionSpec } from './conversion.js';
import { WebhookSetupError } from './errors.js';
import { mutatePath, validatePath } from './paths.js';
import type { WebhookServer } from './server.js';
import type { ConversionSpec, Defaulter, Validator } from './types.js';

/** What a webhook builder needs of the manager. */
export interface WebhookManager {
  readonly webhookServer: WebhookServer;
  readonly logger: Logger;
}

/** The paths a builder registered. */
export interface WebhookRegistration {
  mutatePath?: string;
  validatePath?: string;
  convertPath?: string;
}

/**
 * Builds a kind's webhooks (controller-runtime's WebhookManagedBy): `.for(Kind)` once, then any of
 * `.withDefaulter(d)`, `.withValidator(v)` and `.withConversion({ hub, spokes })`; `complete()` registers them on the
 * manager's webhook server, which then starts with the manager.
 */
export class WebhookBuilder<T extends KubernetesObject = KubernetesObject> {
  private rt?: ResourceType<T>;
  private defaulter?: Defaulter<T>;
  private validator?: Validator<T>;
  private conversion?: ConversionSpec;

  constructor(private readonly manager: WebhookManager) {}

  for<U extends KubernetesObject>(rt: ResourceType<U>): WebhookBuilder<U> {
    if (this.rt) throw new WebhookSetupError(`for() was called twice (${this.rt.kind}, then ${rt?.kind})`, 'build one kind\'s webhooks per webhookManagedBy(manager)');
    if (!rt || typeof rt.kind !== 'string' || typeof rt.version !== 'string' || typeof rt.group !== 'string') {
      throw new WebhookSetupError('for() needs a resource type from defineResource()', 'pass e.g. MemcachedResource');
    }
    if (isMetadataOnly(rt)) throw new WebhookSetupError(`for(${rt.kind}): webhooks get whole objects, not a metadata-only view`, `pass the resource type itself instead of metadataOnly(${rt.kind})`);
    const self = this as unknown as WebhookBuilder<U>;
    self.rt = rt;
    return self;
  }

  withDefaulter(defaulter: Defaulter<T>): this {
    if (typeof defaulter?.default !== 'function') throw new WebhookSetupError('withDefaulter() needs an object with a default(obj, ctx) method', 'pass { default(obj) { obj.spec.size ??= 1; } }');
    this.defaulter = defaulter;
    return this;
  }

  withValidator(validator: Validator<T>): this {
    const missing = (['validateCreate', 'validateUpdate', 'validateDelete'] as const).filter((m) => typeof validator?.[m] !== 'function');
    if (missing.length > 0) throw new WebhookSetupError(`withValidator() needs ${missing.join(', ')}`, 'implement all three (return nothing or warnings from the ones with nothing to check)');
    this.validator = validator;
    return this;
  }

  withConversion(spec: ConversionSpec): this {
    this.conversion = checkConversionSpec(this.rt?.kind ?? 'this kind', spec);
    return this;
  }

  complete(): WebhookRegistration {
    const rt = this.rt;
    if (!rt) throw new WebhookSetupError('the webhook has no kind', 'call .for(MyKind) before .complete()');
    if (!this.defaulter && !this.validator && !this.conversion) {
      throw new WebhookSetupError(`webhooks of ${rt.kind} have nothing to serve`, 'add .withDefaulter(...), .withValidator(...) or .withConversion(...) before .complete()');
    }
    const server = this.manager.webhookServer;
    const mutate = this.defaulter ? mutatePath(rt) : undefined;
    const validate = this.validator ? validatePath(rt) : undefined;
    for (const path of [mutate, validate]) {
      if (path && server.isRegistered(path)) throw new WebhookSetupError(`a webhook is already registered at ${path}`, `register ${rt.kind}'s webhooks once`);
    }
    if (this.conversion) {
      const versions = [this.conversion.hub, ...Object.keys(this.conversion.spokes)];
      if (!versions.includes(rt.version)) {
        throw new WebhookSetupError(`withConversion() of ${rt.kind}: for() names version ${rt.version}, which is neither the hub nor a spoke (${versions.join(', ')})`, `add ${rt.version} to the versions, or pass the ${rt.kind} type of the hub version to for()`);
      }
      server.conversions().register(rt.group, rt.kind, this.conversion);
    }
    const logger = this.manager.logger.child({ webhookKind: rt.kind, webhookGroup: rt.group });
    if (mutate) server.register(mutate, defaultingHandler(this.defaulter!, logger));
    if (validate) server.register(validate, validatingHandler(this.validator!, logger));
    return { mutatePath: mutate, validatePath: validate, convertPath: this.conversion ? '/convert' : undefined };
  }
}

export function webhookManagedBy(manager: WebhookManager): WebhookBuilder {
  return new WebhookBuilder(manager);
}
