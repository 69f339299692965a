import { OperatorTsError } from '../../errors.js';
import type { compileCrdSchema } from '../validation/index.js';
import type * as MatchConditions from '../validation/cel-match-conditions.js';

/**
 * The CRD schema compiler (ajv, the CEL library, RE2) is the largest part of the server's code and only
 * CRDs and webhook matchConditions need it, so it is imported on first demand instead of with the server. One
 * import per process.
 */
export type CrdSchemaCompiler = typeof compileCrdSchema;

/** The CEL of admission webhooks' matchConditions, loaded with the CRD schema compiler (the same CEL library). */
export type MatchConditionCel = typeof MatchConditions;

/** A CRD was written before the schema compiler finished loading in the background. */
export class CrdValidationNotLoadedError extends OperatorTsError {
  constructor() {
    super('ECRDVALIDATIONLOADING', 'the CRD schema compiler is still loading: a CRD cannot be written yet', {
      hint: 'await server.crdValidationReady() before createObject() of a CRD, or start the server with crdValidation: "eager" (the default).',
    });
  }
}

export interface LazyCompiler<T = CrdSchemaCompiler> {
  /** Starts loading (once); resolves when get() can be used, rejects with the import's error. */
  load(): Promise<void>;
  /** The compiler; throws CrdValidationNotLoadedError until load() has resolved. */
  get(): T;
  readonly loaded: boolean;
}

export function lazyCompiler<T = CrdSchemaCompiler>(importer: () => Promise<T>): LazyCompiler<T> {
  let compiler: T | undefined;
  let loading: Promise<void> | undefined;
  return {
    load() {
      loading ??= importer().then((c) => {
        compiler = c;
      });
      return loading;
    },
    get() {
      if (!compiler) throw new CrdValidationNotLoadedError();
      return compiler;
    },
    get loaded() {
      return compiler !== undefined;
    },
  };
}

const shared = lazyCompiler(async () => {
  const [validation, matchConditions] = await Promise.all([import('../validation/index.js'), import('../validation/cel-match-conditions.js')]);
  return { compileCrdSchema: validation.compileCrdSchema, matchConditions };
});

/** Starts loading the process's compiler (once); resolves when crdSchemaCompiler() can be used. */
export function loadCrdValidation(): Promise<void> {
  return shared.load();
}

/** The process's compiler; throws CrdValidationNotLoadedError until loadCrdValidation() has resolved. */
export function crdSchemaCompiler(): CrdSchemaCompiler {
  return shared.get().compileCrdSchema;
}

/** The matchConditions CEL; throws CrdValidationNotLoadedError until loadCrdValidation() has resolved. */
export function matchConditionCel(): MatchConditionCel {
  return shared.get().matchConditions;
}

/** Whether the process's compiler has been imported. */
export function crdValidationLoaded(): boolean {
  return shared.loaded;
}
