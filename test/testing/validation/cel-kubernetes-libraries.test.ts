import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCrdSchema, formatFieldError } from '../../../src/testing/validation/index.js';

/** Each rule must hold on a v1.32 server (values from the Kubernetes CEL library documentation and Go's net/netip, net/url). */
const holds: Record<string, string[]> = {
  regex: ["'abc123def'.find('[0-9]+') == '123'", "'abc'.find('x') == ''", "'a1b22c333'.findAll('[0-9]+') == ['1', '22', '333']", "'a1b22c333'.findAll('[0-9]+', 2) == ['1', '22']", "'ABC'.matches('(?i)^abc$')"],
  sets: ['sets.contains([1, 2, 3], [1, 2])', '!sets.contains([1], [2])', 'sets.contains([1], [1.0])', 'sets.equivalent([1, 2, 2], [2, 1])', 'sets.intersects([1, 2], [2, 3])', '!sets.intersects([1], [2])'],
  url: [
    "url('https://example.com:8080/a/b?x=1').getHost() == 'example.com:8080'",
    "url('https://[::1]:80/').getHostname() == '::1'",
    "url('https://example.com:8080').getPort() == '8080'",
    "url('https://example.com').getPort() == ''",
    "url('https://e.com/a%20b').getEscapedPath() == '/a%20b'",
    "url('https://e.com/?x=1&x=2&y=').getQuery() == {'x': ['1', '2'], 'y': ['']}",
    "url('HTTPS://e.com').getScheme() == 'https'",
    "isURL('https://e.com') && isURL('/absolute/path') && !isURL('e.com') && !isURL('http:opaque')",
  ],
  ip: [
    "ip('192.168.0.1').family() == 4",
    "ip('::1').family() == 6 && ip('::1').isLoopback()",
    "ip('fe80::1').isLinkLocalUnicast() && ip('ff02::1').isLinkLocalMulticast() && ip('224.0.0.1').isLinkLocalMulticast()",
    "ip('8.8.8.8').isGlobalUnicast() && !ip('127.0.0.1').isGlobalUnicast() && ip('0.0.0.0').isUnspecified()",
    "!isIP('01.2.3.4') && !isIP('::ffff:1.2.3.4') && !isIP('fe80::1%eth0') && !isIP('1.2.3')",
    "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1') && !ip.isCanonical('2001:db8:0:0:0:0:0:1')",
    "ip('2001:db8::1') == ip('2001:DB8:0::1')",
  ],
  cidr: [
    "cidr('10.0.0.0/8').containsIP('10.1.2.3') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))",
    "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.1.0.0/16').containsCIDR('10.0.0.0/8')",
    "cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8') && cidr('10.1.2.3/8').ip() == ip('10.1.2.3')",
    "cidr('::/0').prefixLength() == 0 && !isCIDR('10.0.0.0/33') && isCIDR('::1/128') && !isCIDR('10.0.0.0/08')",
  ],
  quantity: [
    "quantity('1Gi') == quantity('1024Mi')",
    "quantity('1G').isLessThan(quantity('1Gi')) && quantity('1Gi').isGreaterThan(quantity('1G'))",
    "quantity('500m').asApproximateFloat() == 0.5 && quantity('2k').asInteger() == 2000",
    "!quantity('1.5').isInteger() && quantity('-3').sign() == -1",
    "quantity('1').add(quantity('500m')) == quantity('1.5') && quantity('1').sub(1).sign() == 0",
    "quantity('1e3').compareTo(quantity('1k')) == 0",
    "isQuantity('1Ki') && !isQuantity('1KB') && !isQuantity('')",
  ],
};

function check(rule: string, spec: object = {}): string[] {
  const schema = compileCrdSchema({ type: 'object', properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-validations': [{ rule }] } } });
  return schema.validate({ spec }).map(formatFieldError);
}

describe('Kubernetes CEL libraries of a v1.32 server', () => {
  for (const [library, rules] of Object.entries(holds)) {
    it(`${library}: rules that hold pass`, () => {
      for (const rule of rules) assert.deepEqual(check(rule), [], rule);
    });
  }

  it('fails rules that do not hold and reports evaluation errors', () => {
    assert.equal(check("quantity('1Gi').isLessThan(quantity('1G'))").length, 1);
    assert.match(check("quantity('1.5').asInteger() == 1")[0]!, /cannot convert value to integer evaluating rule/);
    assert.match(check("ip('::ffff:1.2.3.4').family() == 6")[0]!, /IPv4-mapped IPv6 address "::ffff:1\.2\.3\.4" is not allowed/);
    assert.match(check("url('e.com').getHost() == ''")[0]!, /URL parse error/);
    assert.match(check("self.v.find('(?=x)') == ''", { v: 'x' })[0]!, /error parsing regexp: invalid or unsupported Perl syntax/);
  });

  it('runs on the object\'s values', () => {
    const rule = "quantity(self.limit).compareTo(quantity(self.request)) >= 0 && cidr(self.net).containsIP(self.addr)";
    assert.deepEqual(check(rule, { limit: '1Gi', request: '512Mi', net: '10.0.0.0/8', addr: '10.2.3.4' }), []);
    assert.equal(check(rule, { limit: '1Gi', request: '2Gi', net: '10.0.0.0/8', addr: '10.2.3.4' }).length, 1);
  });
});

describe('regex literals are checked when the CRD is written', () => {
  it('refuses a matches() literal RE2 cannot compile, and accepts a valid one', () => {
    const schema = (rule: string) => ({ type: 'object', properties: { spec: { type: 'string', 'x-kubernetes-validations': [{ rule }] } } });
    assert.throws(() => compileCrdSchema(schema("self.matches('^(?=a)')")), /compilation failed: invalid matches argument \(error parsing regexp: invalid or unsupported Perl syntax: `\(\?=`\)/);
    assert.doesNotThrow(() => compileCrdSchema(schema("self.matches('(?i)^a\\\\z')")));
  });
});
