/**
 * The scaffold markers: lines in generated files above which `create api` and `create webhook` insert code. Each marker is defined
 * here once, with the one file it belongs to; templates write it with `{{marker "name"}}` and the insertions
 * look it up by name, so the two can never disagree.
 */
export interface MarkerDefinition {
  /** Project-relative path of the file that carries the marker. */
  path: string;
  text: string;
}

export const MARKERS = {
  imports: { path: 'src/main.ts', text: '// +operator-ts:scaffold:imports' },
  controllers: { path: 'src/main.ts', text: '// +operator-ts:scaffold:controllers' },
  webhooks: { path: 'src/main.ts', text: '// +operator-ts:scaffold:webhooks' },
  crd: { path: 'config/crd/kustomization.yaml', text: '# +operator-ts:scaffold:crdkustomizeresource' },
  rbac: { path: 'config/rbac/kustomization.yaml', text: '# +operator-ts:scaffold:rbac' },
  samples: { path: 'config/samples/kustomization.yaml', text: '# +operator-ts:scaffold:manifestskustomizesamples' },
} as const satisfies Record<string, MarkerDefinition>;

export type MarkerName = keyof typeof MARKERS;

export function isMarkerName(name: string): name is MarkerName {
  return Object.prototype.hasOwnProperty.call(MARKERS, name);
}
