import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { documentHunts, huntAt, huntText } from '../../server/src/engine/editing/hunts';
import { settings } from '../helpers/engine';

function hunts(text: string) {
  return documentHunts(text, settings());
}

describe('hunt layout', () => {
  test('header comment names the hunt', () => {
    const [hunt] = hunts('// Telnet scans\n// from the firewall\nCommonSecurityLog | take 1');
    assert.equal(hunt.comment?.name, 'Telnet scans');
    assert.equal(hunt.start, 0);
  });

  test('file header is not part of the hunt', () => {
    const text = '// All Linux hunts\n// maintained by the SOC\n\n// Busybox droppers\nDeviceProcessEvents | take 1';
    const [hunt] = hunts(text);
    assert.equal(hunt.comment?.name, 'Busybox droppers');
    assert.equal(text.slice(hunt.plan.block.start + hunt.start).split('\n')[0], '// Busybox droppers');
  });

  test('blank line between comment and code keeps the name', () => {
    const [hunt] = hunts('// Payload ports\n\nlet ports = dynamic([8082]);\nDeviceNetworkEvents | where RemotePort in (ports)');
    assert.equal(hunt.comment?.name, 'Payload ports');
  });

  test('rules and tool comments are skipped', () => {
    const [hunt] = hunts('// ------------\n// kql-hunt-disable-next-line KS142\n// Port scans\n// ------------\nCommonSecurityLog | take 1');
    assert.equal(hunt.comment?.name, 'Port scans');
  });

  test('hunt without a comment has no name', () => {
    const [hunt] = hunts('CommonSecurityLog\n| take 1');
    assert.equal(hunt.comment, undefined);
    assert.equal(hunt.firstCode?.text, 'CommonSecurityLog');
  });

  test('comment-only blocks are no hunts', () => {
    const found = hunts('// kql-hunt: environment=defender\n\n// Devices\nDeviceInfo | take 1\n\n// Notes for later');
    assert.deepEqual(found.map((hunt) => hunt.comment?.name), ['Devices']);
  });

  test('hunt at an offset', () => {
    const text = 'DeviceInfo | take 1\n\nDeviceEvents | take 1';
    const found = hunts(text);
    assert.equal(huntAt(found, text.indexOf('DeviceEvents')), found[1]);
    assert.equal(huntAt(found, text.indexOf('\n\n') + 1), undefined);
  });
});

describe('hunt text for the portal', () => {
  test('drops tool comments, keeps the rest', () => {
    const text = '// Header of the file\n\n// Mirai hunt\n// kql-hunt: environment=defender\nDeviceNetworkEvents // kql-hunt-disable-line KS142\n// kql-hunt-disable-next-line missing-exclusion\n| where RemotePort == 23 // telnet';
    const [hunt] = hunts(text);
    assert.equal(huntText(hunt), '// Mirai hunt\nDeviceNetworkEvents\n| where RemotePort == 23 // telnet');
  });

  test('keeps CRLF line breaks', () => {
    const [hunt] = hunts('// Telnet\r\nDeviceNetworkEvents\r\n| take 1\r\n');
    assert.equal(huntText(hunt), '// Telnet\r\nDeviceNetworkEvents\r\n| take 1');
  });
});
