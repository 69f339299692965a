import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDns1035Label, isDns1123Label, isDns1123Subdomain, isLabelValue, isQualifiedName,
} from '../src/kubernetes-names.js';

describe('Kubernetes name rules', () => {
  it('DNS-1123 labels: lowercase alphanumerics and inner dashes, at most 63', () => {
    for (const ok of ['a', '0', 'my-name', '123-abc', 'a'.repeat(63)]) assert.ok(isDns1123Label(ok), ok);
    for (const bad of ['', '-a', 'a-', 'A', 'a.b', 'a_b', 'a'.repeat(64)]) assert.ok(!isDns1123Label(bad), bad);
  });
  it('DNS-1035 labels also start with a letter', () => {
    assert.ok(isDns1035Label('v1alpha1'));
    assert.ok(!isDns1035Label('1v'));
    assert.ok(!isDns1035Label('a'.repeat(64)));
  });
  it('DNS-1123 subdomains: dot-separated labels, at most 253', () => {
    for (const ok of ['example.com', 'a', `${'a'.repeat(63)}.${'b'.repeat(63)}`]) assert.ok(isDns1123Subdomain(ok), ok);
    for (const bad of ['', '.a', 'a.', 'a..b', 'Example.com', `${'a'.repeat(63)}.`.repeat(4) + 'a']) assert.ok(!isDns1123Subdomain(bad), bad);
  });
  it('qualified names and label values', () => {
    for (const ok of ['app', 'app.kubernetes.io/name', 'A_b.c-D']) assert.ok(isQualifiedName(ok), ok);
    for (const bad of ['', '/a', 'Bad_Prefix/a', 'a/', '-a', `p/${'a'.repeat(64)}`]) assert.ok(!isQualifiedName(bad), bad);
    for (const ok of ['', 'v1', 'a.b_c-d']) assert.ok(isLabelValue(ok), ok);
    for (const bad of ['-a', 'a-', 'a b', 'a'.repeat(64)]) assert.ok(!isLabelValue(bad), bad);
  });
});
