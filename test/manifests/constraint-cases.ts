/** Valid and invalid Gadget specs shared by the schema and API-server tests (fixture: constraints). */
export const GADGET_FIXTURE = 'constraints';

export const validSpec = { name: 'abc' };
export const defaultedSpec = { name: 'abc', replicas: 2, mode: 'safe' };

/** One spec per constraint, each breaking only that constraint. */
export const invalidSpecs: Array<[string, Record<string, unknown>]> = [
  ['required name missing', { replicas: 1 }],
  ['replicas below minimum', { name: 'abc', replicas: 0 }],
  ['replicas above maximum', { name: 'abc', replicas: 6 }],
  ['replicas not an integer', { name: 'abc', replicas: 1.5 }],
  ['name too short', { name: 'ab' }],
  ['name too long', { name: 'abcdefghijk' }],
  ['name does not match pattern', { name: 'ABC' }],
  ['mode not in enum', { name: 'abc', mode: 'slow' }],
  ['ratio not above exclusive minimum', { name: 'abc', ratio: 0 }],
  ['ratio above maximum', { name: 'abc', ratio: 1.5 }],
  ['too many tags', { name: 'abc', tags: ['a', 'b', 'c'] }],
  ['duplicate tags in a set', { name: 'abc', tags: ['a', 'a'] }],
  ['target neither int nor string', { name: 'abc', target: true }],
  ['too many labels', { name: 'abc', labels: { a: '1', b: '2', c: '3' } }],
  ['label value not a string', { name: 'abc', labels: { a: 1 } }],
  ['window rule violated', { name: 'abc', window: { start: 5, end: 1 } }],
  ['duplicate map-list keys', { name: 'abc', ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }],
  ['map-list key missing', { name: 'abc', ports: [{ port: 80 }] }],
];
