import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotationProblems, labelProblems, qualifiedNameProblems } from '../../../../src/testing/server/builtin/metadata-validation.js';
import { coreEventProblems, eventsV1Problems, leaseProblems } from '../../../../src/testing/server/builtin/lease-event-validation.js';
import { microTimeProblem, normalizeMicroTime } from '../../../../src/testing/server/builtin/micro-time.js';
import { deploymentProblems, jobProblems } from '../../../../src/testing/server/builtin/workload-validation.js';
import { jobImmutable, selectorImmutable, statefulSetImmutable } from '../../../../src/testing/server/builtin/immutable-fields.js';

const fields = (causes: Array<{ field?: string }>) => causes.map((c) => c.field);

describe('built-in validation', () => {
  it('label keys and values, worded like the real server', () => {
    assert.deepEqual(qualifiedNameProblems('example.com/app'), []);
    assert.match(qualifiedNameProblems('Bad_Prefix/app')[0]!, /^prefix part a lowercase RFC 1123 subdomain/);
    assert.match(qualifiedNameProblems('a/b/c')[0]!, /^a qualified name must consist of/);
    assert.match(qualifiedNameProblems('x'.repeat(64))[0]!, /^name part must be no more than 63 characters/);
    const causes = labelProblems({ ok: 'fine', 'bad key!': 'v', k: '-bad' }, 'metadata.labels');
    assert.equal(causes.length, 2);
    assert.match(causes[0]!.message, /^Invalid value: "bad key!": name part must consist of alphanumeric characters/);
    assert.match(causes[1]!.message, /^Invalid value: "-bad": a valid label must be an empty string or consist of/);
  });

  it('annotation keys ignore case; the total size is capped at 256 KiB', () => {
    assert.deepEqual(annotationProblems({ 'Example.com/Key': 'v' }, 'metadata.annotations'), []);
    const big = annotationProblems({ a: 'x'.repeat(256 * 1024) }, 'metadata.annotations');
    assert.deepEqual(big, [{ reason: 'FieldValueTooLong', field: 'metadata.annotations', message: 'Too long: may not be more than 262144 bytes' }]);
  });

  it('MicroTime: exactly six fractional digits, stored in UTC', () => {
    assert.equal(microTimeProblem('2024-05-01T10:00:00.123456Z'), undefined);
    assert.match(microTimeProblem('2024-05-01T10:00:00Z')!, /^parsing time "2024-05-01T10:00:00Z" as "2006-01-02T15:04:05.000000Z07:00"/);
    assert.ok(microTimeProblem('2024-05-01T10:00:00.123Z'));
    assert.ok(microTimeProblem('2024-05-01T10:00:00.1234567Z'));
    assert.equal(normalizeMicroTime('2024-05-01T10:00:00.000001+02:00'), '2024-05-01T08:00:00.000001Z');
  });

  it('Lease and Event rules', () => {
    assert.deepEqual(fields(leaseProblems({ spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } })), ['spec.leaseDurationSeconds', 'spec.leaseTransitions']);
    assert.deepEqual(leaseProblems({ spec: { leaseDurationSeconds: 15 } }), []);
    const wrongNs = coreEventProblems({ metadata: { namespace: 'a' }, involvedObject: { namespace: 'b' } });
    assert.deepEqual(wrongNs.map((c) => c.message), ['Invalid value: "b": does not match event.namespace']);
    assert.deepEqual(coreEventProblems({ metadata: { namespace: 'default' }, involvedObject: {} }), []);
    const v1 = eventsV1Problems({ metadata: { namespace: 'a' }, regarding: { namespace: 'a' } });
    assert.deepEqual(fields(v1), ['eventTime', 'type']);
  });

  it('workload required fields and selector match', () => {
    assert.deepEqual(fields(deploymentProblems({ spec: { replicas: 1, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } } })),
      ['spec.selector', 'spec.template.spec.containers[0].image']);
    assert.deepEqual(fields(deploymentProblems({ spec: { selector: { matchLabels: { a: 'x' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } })),
      ['spec.template.metadata.labels']);
    const job = jobProblems({ spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Always' } } } });
    assert.deepEqual(job.map((c) => c.message), ['Required value: valid values: "OnFailure", "Never"']);
  });

  it('immutable fields', () => {
    const old = { spec: { selector: { matchLabels: { a: 'b' } }, serviceName: 's', replicas: 1 } };
    assert.match(selectorImmutable({ spec: { selector: { matchLabels: { a: 'c' } } } }, old)[0]!.message, /field is immutable$/);
    assert.deepEqual(statefulSetImmutable({ spec: { ...old.spec, replicas: 5 } }, old), []);
    assert.equal(statefulSetImmutable({ spec: { ...old.spec, serviceName: 'other' } }, old)[0]!.reason, 'FieldValueForbidden');
    assert.deepEqual(fields(jobImmutable({ spec: { template: { x: 2 } } }, { spec: { template: { x: 1 } } })), ['spec.template']);
  });
});
