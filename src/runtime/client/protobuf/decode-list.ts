import { OperatorTsError } from '../../../errors.js';
import { compiledMessage, decodeMessage } from './decode-message.js';
import { listMessageFor } from './descriptor.js';
import { Wire, WireError } from './wire.js';

/** The media type of the API server's protobuf encoding. */
export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

/** A protobuf answer that cannot be decoded: the body is not what the API server writes for that kind. */
export class ProtobufDecodeError extends OperatorTsError {
  constructor(
    readonly kind: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('EPROTOBUFDECODE', `cannot decode the protobuf list of ${kind}: ${message}`, {
      cause: options.cause,
      hint: 'the body is not what kube-apiserver writes for this kind (a bug, or a server the descriptor does not match); leave the Manager option protobuf off to list as JSON',
    });
  }
}

export interface DecodedList {
  items: Array<Record<string, unknown>>;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

/**
 * Decodes a `<Kind>List` answer in the API server's protobuf envelope ("k8s\0", then runtime.Unknown with the
 * TypeMeta and the list message as raw bytes) into the objects its JSON answer holds (items without apiVersion
 * and kind, as in a JSON list). `apiVersion`/`kind` are those of the listed kind, not the list's.
 */
export function decodeProtobufList(body: Buffer, apiVersion: string, kind: string): DecodedList {
  const name = `${apiVersion === 'v1' ? '' : `${apiVersion} `}${kind}`;
  const listMessage = listMessageFor(apiVersion, kind);
  if (!listMessage) throw new ProtobufDecodeError(name, 'the descriptor does not cover this kind');
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) throw new ProtobufDecodeError(name, 'the body does not start with the "k8s\\0" protobuf envelope');
  try {
    const wire = new Wire(body, 4, body.length);
    let typeKind = '';
    let typeApiVersion = '';
    let raw: [number, number] | undefined;
    let contentEncoding = '';
    while (wire.pos < wire.end) {
      const tag = wire.varint();
      if ((tag & 7) !== 2) {
        wire.skip(tag & 7);
        continue;
      }
      const at = wire.delimited();
      const field = tag >>> 3;
      if (field === 1) [typeApiVersion, typeKind] = typeMeta(body, at, wire.pos);
      else if (field === 2) raw = [at, wire.pos];
      else if (field === 3) contentEncoding = body.toString('utf8', at, wire.pos);
    }
    if (typeKind !== `${kind}List` || typeApiVersion !== apiVersion) {
      throw new ProtobufDecodeError(name, `the envelope holds ${typeApiVersion || '(no apiVersion)'} ${typeKind || '(no kind)'}, not ${apiVersion} ${kind}List`);
    }
    if (contentEncoding) throw new ProtobufDecodeError(name, `content encoding "${contentEncoding}" is not supported`);
    const list = decodeMessage(body, raw?.[0] ?? 0, raw?.[1] ?? 0, compiledMessage(listMessage)) as unknown as Partial<DecodedList> & { items: DecodedList['items'] | null };
    return { items: list.items ?? [], metadata: list.metadata ?? {} };
  } catch (err) {
    if (err instanceof ProtobufDecodeError) throw err;
    if (err instanceof WireError) throw new ProtobufDecodeError(name, err.message, { cause: err });
    throw err;
  }
}

function typeMeta(body: Buffer, start: number, end: number): [string, string] {
  const wire = new Wire(body, start, end);
  let apiVersion = '';
  let kind = '';
  while (wire.pos < end) {
    const tag = wire.varint();
    if ((tag & 7) !== 2) {
      wire.skip(tag & 7);
      continue;
    }
    const at = wire.delimited();
    if (tag >>> 3 === 1) apiVersion = body.toString('utf8', at, wire.pos);
    else if (tag >>> 3 === 2) kind = body.toString('utf8', at, wire.pos);
  }
  return [apiVersion, kind];
}
