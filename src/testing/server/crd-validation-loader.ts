import { OperatorTsError } from '../../errors.js';
import type { compileCrdSchema } from '../validation/index.js';

/**
 * The CRD schema compiler (ajv, the CEL library, RE2) is the largest part of the server's code and only
 * CRDs need it, so it is imported on first demand instead of with the server. One import per process.
 */
export type CrdSchemaCompiler = typeof compileCrdSchema;

/** A CRD was written before the schema compiler finished loading in the background. */
export class CrdValidationNotLoadedError extends OperatorTsError {
  constructor() {
    super('ECRDVALIDATIONLOADING', 'the CRD schema compiler is still loading: a CRD cannot be written yet', {
      hint: 'await server.crdValidationReady() before createObject() of a CRD, or start the server with crdValidation: "eager" (the default).',
    });
  }
}

export interface LazyCompiler {
  /** Starts loading (once); resolves when get() can be used, rejects with the import's error. */
  load(): Promise<void>;
  /** The compiler; throws CrdValidationNotLoadedError until load() has resolved. */
  get(): CrdSchemaCompiler;
  readonly loaded: boolean;
}

export function lazyCompiler(importer: () => Promise<CrdSchemaCompiler>): LazyCompiler {
  let compiler: CrdSchemaCompiler | undefined;
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

const shared = lazyCompiler(async () => (await import('../validation/index.js')).compileCrdSchema);

/** Starts loading the process's compiler (once); resolves when crdSchemaCompiler() can be used. */
export function loadCrdValidation(): Promise<void> {
  return shared.load();
}

/** The process's compiler; throws CrdValidationNotLoadedError until loadCrdValidation() has resolved. */
export function crdSchemaCompiler(): CrdSchemaCompiler {
  return shared.get();
}

/** Whether the process's compiler has been imported. */
export function crdValidationLoaded(): boolean {
  return shared.loaded;
}
