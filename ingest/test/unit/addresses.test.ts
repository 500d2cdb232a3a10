import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HostPolicy, ipOf, maskAddresses } from '../../src/enrich/addresses.js';

describe('ipOf: an address in any spelling', () => {
  test('the spellings of one IPv4 address', () => {
    for (const s of [
      '83.45.67.89',
      ' 83.45.67.89 ',
      '::ffff:83.45.67.89',
      '::FFFF:532d:4359',
      '[::ffff:83.45.67.89]:443',
      '83.45.67.89:8080',
      '0x53.0x2d.0x43.0x59',
      '1395475289',
    ]) {
      assert.equal(ipOf(s), '83.45.67.89', s);
    }
  });
  test('the spellings of one IPv6 address', () => {
    for (const s of [
      '2001:db8::1',
      '2001:DB8::1',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '[2001:db8::1]:8080',
      '2001:db8::1%eth0',
    ]) {
      assert.equal(ipOf(s), '2001:db8::1', s);
    }
  });
  test('names and other text are not addresses', () => {
    for (const s of ['sim-01.kibotics.org', 'localhost', '', 'a b', '10:15:00']) assert.equal(ipOf(s), undefined, s);
  });
});

describe('maskAddresses', () => {
  test('addresses inside text become [ip]', () => {
    assert.equal(maskAddresses('/u/192.0.2.81/x'), '/u/[ip]/x');
    assert.equal(maskAddresses('failed for 2001:DB8::81 and 192.0.2.82.'), 'failed for [ip] and [ip].');
    assert.equal(maskAddresses('from ::ffff:83.45.67.89 at [2001:db8::1]:80'), 'from [ip] at [ip]:80');
  });
  test('times, versions and ports are not addresses', () => {
    for (const s of ['at 10:15:00', 'v1.2.3.4.5', 'release 2.0.1', 'std::vector', 'x:y:z'])
      assert.equal(maskAddresses(s), s);
  });
});

describe('HostPolicy: what host may hold', () => {
  const policy = new HostPolicy(['198.51.100.10', '2001:db8:5::10']);
  test("a client's address is dropped in every spelling, with or without client_ip to compare", () => {
    for (const h of [
      '83.45.67.89',
      '::ffff:83.45.67.89',
      '2001:0DB8:0000:0000:0000:0000:0000:0001',
      '2001:DB8::1',
      '[2001:db8::1]:8080',
      '83.45.67.89:8080',
      '1395475289',
      '0x53.0x2d.0x43.0x59',
      '083.045.067.089',
      '83-45-67-89.dyn.example.net',
    ]) {
      assert.equal(policy.keep(h), undefined, h);
    }
  });
  test('server names and the configured servers are kept', () => {
    assert.equal(policy.keep('sim-01.kibotics.org'), 'sim-01.kibotics.org');
    assert.equal(policy.keep('198.51.100.10'), '198.51.100.10');
    assert.equal(policy.keep('::ffff:198.51.100.10'), '198.51.100.10', 'in its canonical spelling');
    assert.equal(policy.keep('2001:DB8:5:0::10'), '2001:db8:5::10');
  });
  test('anything else is dropped', () => {
    for (const h of ['sim 1', 'a/b', 'x'.repeat(300)]) assert.equal(policy.keep(h), undefined, h);
  });
});
