/**
 * The Writer API of the chaos operator (chaos.example.com/v1): its status records the last replica that wrote it.
 * Copied into a scaffolded project by chaos/operator-project.ts, replacing the scaffolded types.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { defineResource } from 'operator-ts/runtime';

/** WriterSpec is empty: a Writer only exists to be written. */
export interface WriterSpec {
  /**
   * Unused.
   * @format int32
   */
  size?: number;
}

/** WriterStatus names the replica whose write the server accepted last. */
export interface WriterStatus {
  /** Leader-election identity of the writing replica (or its POD_NAME when it runs without election). */
  writer?: string;
  /** POD_NAME of the writing replica. */
  replica?: string;
  /**
   * Per-replica write counter, so every write changes the object.
   * @format int64
   */
  seq?: number;
}

/**
 * Writer is written continuously by the chaos operator.
 * @plural writers
 * @scope Namespaced
 * @subresource status
 * @storageversion
 */
export interface Writer {
  apiVersion: 'chaos.example.com/v1';
  kind: 'Writer';
  metadata: V1ObjectMeta;
  spec: WriterSpec;
  status?: WriterStatus;
}

export const WriterResource = defineResource<Writer & { metadata: V1ObjectMeta }>({
  group: 'chaos.example.com',
  version: 'v1',
  kind: 'Writer',
  plural: 'writers',
  namespaced: true,
});
