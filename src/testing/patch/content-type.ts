/** Patch flavours the API server accepts, named by their request Content-Type. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const BY_MEDIA_TYPE: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/**
 * Maps a PATCH Content-Type header to a patch type; parameters such as `; charset=utf-8` are ignored.
 * Anything else (including application/apply-patch+cbor, which we do not decode) gives undefined:
 * the server answers 415 UnsupportedMediaType.
 */
export function patchTypeFromContentType(contentType: string): PatchType | undefined {
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return BY_MEDIA_TYPE[mediaType];
}

/** The media types listed in a 415 answer, so the client sees what would have worked. */
export const SUPPORTED_PATCH_MEDIA_TYPES: readonly string[] = Object.keys(BY_MEDIA_TYPE);
