import type { KindHooks, Obj } from '../registry.js';
import type { StatusCause } from '../status.js';
import { matchConditionCel } from '../crd-validation-loader.js';
import { invalid, isObject, notSupported, required } from './field-errors.js';
import { qualifiedNameProblems } from './metadata-validation.js';

/** The real server's limit on a webhook's matchConditions. */
const MAX_MATCH_CONDITIONS = 64;

/** The real server's checks of `matchConditions`: count, names (required, qualified, unique), expressions that compile to a bool. */
function matchConditionProblems(conditions: unknown, at: string): StatusCause[] {
  if (conditions === undefined || conditions === null) return [];
  if (!Array.isArray(conditions)) return [invalid(at, conditions, 'must be a list')];
  const causes: StatusCause[] = [];
  if (conditions.length > MAX_MATCH_CONDITIONS) {
    causes.push({ reason: 'FieldValueTooMany', field: at, message: `Too many: ${conditions.length}: must have at most ${MAX_MATCH_CONDITIONS} items` });
  }
  const names = new Set<string>();
  conditions.forEach((condition: unknown, i) => {
    const here = `${at}[${i}]`;
    const c = isObject(condition) ? condition : {};
    const expression = typeof c.expression === 'string' ? c.expression.trim() : '';
    if (expression === '') causes.push(required(`${here}.expression`));
    else {
      const { compileMatchCondition, MatchConditionCompileError } = matchConditionCel();
      try {
        compileMatchCondition(String(c.name ?? ''), expression);
      } catch (err) {
        if (!(err instanceof MatchConditionCompileError)) throw err;
        causes.push(invalid(`${here}.expression`, expression, err.message));
      }
    }
    const name = typeof c.name === 'string' ? c.name : '';
    if (name === '') causes.push(required(`${here}.name`));
    else for (const p of qualifiedNameProblems(name)) causes.push(invalid(`${here}.name`, name, p));
    if (name !== '') {
      if (names.has(name)) causes.push({ reason: 'FieldValueDuplicate', field: `${here}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
      else names.add(name);
    }
  });
  return causes;
}

/** The defaults a v1.32 server fills into each webhook of a Mutating/ValidatingWebhookConfiguration. */
function defaultWebhooks(configuration: Obj, mutating: boolean): void {
  if (!Array.isArray(configuration.webhooks)) return;
  for (const webhook of configuration.webhooks as unknown[]) {
    if (!isObject(webhook)) continue;
    webhook.failurePolicy ??= 'Fail';
    webhook.matchPolicy ??= 'Equivalent';
    webhook.namespaceSelector ??= {};
    webhook.objectSelector ??= {};
    webhook.timeoutSeconds ??= 10;
    if (mutating) webhook.reinvocationPolicy ??= 'Never';
    for (const rule of (Array.isArray(webhook.rules) ? webhook.rules : []) as unknown[]) if (isObject(rule)) rule.scope ??= '*';
  }
}

/** The checks of the real server that decide whether the embedded server can call a webhook at all. */
function webhookProblems(configuration: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  ((Array.isArray(configuration.webhooks) ? configuration.webhooks : []) as unknown[]).forEach((webhook, i) => {
    const at = `webhooks[${i}]`;
    if (!isObject(webhook)) return void causes.push(required(at));
    if (typeof webhook.name !== 'string' || webhook.name === '') causes.push(required(`${at}.name`));
    else if (seen.has(webhook.name)) causes.push({ reason: 'FieldValueDuplicate', field: `${at}.name`, message: `Duplicate value: ${JSON.stringify(webhook.name)}` });
    else seen.add(webhook.name);
    if (webhook.sideEffects === undefined || webhook.sideEffects === null) causes.push(required(`${at}.sideEffects`, 'must specify one of None, NoneOnDryRun'));
    else if (webhook.sideEffects !== 'None' && webhook.sideEffects !== 'NoneOnDryRun') causes.push(notSupported(`${at}.sideEffects`, webhook.sideEffects, ['None', 'NoneOnDryRun']));
    const timeout = webhook.timeoutSeconds;
    if (typeof timeout === 'number' && (timeout < 1 || timeout > 30)) causes.push(invalid(`${at}.timeoutSeconds`, timeout, 'the timeout value must be between 1 and 30 seconds'));
    const client = isObject(webhook.clientConfig) ? webhook.clientConfig : {};
    const hasUrl = typeof client.url === 'string' && client.url !== '';
    if (hasUrl === isObject(client.service)) causes.push(required(`${at}.clientConfig`, 'exactly one of url or service is required'));
    const versions = Array.isArray(webhook.admissionReviewVersions) ? webhook.admissionReviewVersions : [];
    if (!versions.some((v: unknown) => v === 'v1' || v === 'v1beta1')) causes.push(required(`${at}.admissionReviewVersions`, 'must specify one of v1, v1beta1'));
    causes.push(...matchConditionProblems(webhook.matchConditions, `${at}.matchConditions`));
  });
  return causes;
}

export function webhookConfigurationHooks(mutating: boolean): KindHooks {
  return {
    prepare: (obj) => defaultWebhooks(obj, mutating),
    validate: (obj) => webhookProblems(obj),
  };
}
