import { OperatorTsError } from '../../../errors.js';
import { compiledMessage, decodeMessage } from './decode-message.js';
import { listMessageFor } from './descriptor.js';
import { cursor, delimited, varint, WireError } from './wire.js';

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
    let typeKind = '';
    let typeApiVersion = '';
    let raw: [number, number] | undefined;
    let contentEncoding = '';
    for (const [field, start, end] of delimitedFields(body, 4, body.length)) {
      if (field === 1) {
        for (const [f, s, e] of delimitedFields(body, start, end)) {
          if (f === 1) typeApiVersion = body.toString('utf8', s, e);
          else if (f === 2) typeKind = body.toString('utf8', s, e);
        }
      } else if (field === 2) raw = [start, end];
      else if (field === 3) contentEncoding = body.toString('utf8', start, end);
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

/** The length-delimited fields of runtime.Unknown and TypeMeta (they have no others): [number, start, end]. */
function delimitedFields(body: Buffer, start: number, end: number): Array<[number, number, number]> {
  const fields: Array<[number, number, number]> = [];
  cursor.pos = start;
  while (cursor.pos < end) {
    const tag = varint(body, end);
    if ((tag & 7) !== 2) throw new WireError(`field ${tag >>> 3} of the envelope has wire type ${tag & 7}`);
    const at = delimited(body, end);
    fields.push([tag >>> 3, at, cursor.pos]);
  }
  return fields;
}
