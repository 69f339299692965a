import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maskOptionalMarkers, OptionalSyntaxError, rewriteOptionalSyntax } from '../../../src/testing/validation/cel-optional-syntax.js';

const S = 'optional_select__';
const I = 'optional_index__';

describe('optional syntax rewrite', () => {
  it('rewrites a.?b and chains after it, leaving method calls on the result', () => {
    assert.equal(rewriteOptionalSyntax("self.?name.orValue('x')"), `${S}(self, "name").orValue('x')`);
    assert.equal(rewriteOptionalSyntax('self.a.?b.c'), `${S}(${S}(self.a, "b"), "c")`);
    assert.equal(rewriteOptionalSyntax('a.?b.?c.hasValue()'), `${S}(${S}(a, "b"), "c").hasValue()`);
    assert.equal(rewriteOptionalSyntax('a.?b[0]'), `${I}(${S}(a, "b"), 0)`);
  });

  it('rewrites indexes on maps and lists, with nested calls and indexes in the operand and the key', () => {
    assert.equal(rewriteOptionalSyntax("self.m[?'k'].value()"), `${I}(self.m, 'k').value()`);
    assert.equal(rewriteOptionalSyntax('f(x, y[1]).z[?g(1, [2])] == 1'), `${I}(f(x, y[1]).z, g(1, [2])) == 1`);
    assert.equal(rewriteOptionalSyntax('(a + b).c[?0]'), `${I}((a + b).c, 0)`);
    assert.equal(rewriteOptionalSyntax('x in m[?k[?0].value()]'), `x in ${I}(m, ${I}(k, 0).value())`);
    assert.equal(rewriteOptionalSyntax('!a.?b.hasValue() && c'), `!${S}(a, "b").hasValue() && c`);
  });

  it('leaves strings, bytes, raw strings, comments and ternaries alone', () => {
    for (const text of ["'a.?b' == self.s", 'b"x[?1]" == self.b', "r'\\'.?x' == s", "'''a.?b\n''' == s", 'a ? b : c', 'x // a.?b\n == 1', "\"q\\\".?b\" == s"]) {
      assert.equal(rewriteOptionalSyntax(text), text);
    }
    assert.equal(rewriteOptionalSyntax("self.?s.orValue('.?') == '[?0]'"), `${S}(self, "s").orValue('.?') == '[?0]'`);
  });

  it('keeps offsets in the masked form and rewrites optional literal entries into calls', () => {
    assert.equal(maskOptionalMarkers("a.?b + m[?'k']"), "a. b + m[ 'k']");
    assert.equal(maskOptionalMarkers("'a.?b'"), "'a.?b'");
    assert.equal(maskOptionalMarkers("[?a, ?b] + {?'k': v}"), "[ a,  b] + { 'k': v}");
    assert.equal(rewriteOptionalSyntax('[?a, b]'), 'optional_list__([a, b], [true, false])');
    assert.equal(rewriteOptionalSyntax("{'j': c ? 1 : 2, ?'k': v}"), "optional_map__(['j', 'k'], [c ? 1 : 2, v], [false, true])");
    assert.equal(rewriteOptionalSyntax('[?a.?b]'), `optional_list__([${S}(a, "b")], [true])`);
    assert.throws(() => rewriteOptionalSyntax('f(a, ?b)'), OptionalSyntaxError);
    assert.throws(() => rewriteOptionalSyntax('T{?f: v}'), /only allowed in a list or map literal/);
  });
});
