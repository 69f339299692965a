import type { KubeConfig } from '@kubernetes/client-node';
import { crdSchemaCompiler, loadCrdValidation } from './server/crd-validation-loader.js';
import type { CompiledSchema, CompileOptions } from './validation/index.js';

/*
 * The functions of operator-ts/testing that need one of its large dependencies (client-node; ajv, the CEL
 * library and RE2). They import it on first call, so `import 'operator-ts/testing'` does not pay for it.
 */

/** Compiles a CRD's openAPIV3Schema the way the embedded server validates, defaults and prunes with it. */
export async function compileCrdSchema(openAPIV3Schema: object, opts: CompileOptions = {}): Promise<CompiledSchema> {
  await loadCrdValidation();
  return crdSchemaCompiler()(openAPIV3Schema, opts);
}

/** A client-node KubeConfig for a test server at `url` (plain http on loopback), in namespace default. */
export async function testKubeConfig(url: string, token?: string): Promise<KubeConfig> {
  const { testKubeConfig: build } = await import('./kubeconfig-client.js');
  return build(url, token);
}
