import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BLOCK_INFO_REQUEST, BlockInfo, ServerStatus, STATUS_CHANGED_NOTIFICATION, STATUS_REQUEST, WORKSPACE_TRUST_GRANTED_NOTIFICATION } from '../../server/src/protocol';
import { TestClient } from '../helpers/lspClient';

const TWO_ENVIRONMENTS = ['CommonSecurityLog', '| take 10', '', '// Defender hunt', 'DeviceNetworkEvents', '| where Timestamp > ago(1d)', '', ''].join('\n');

describe('status requests over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize({ initializationOptions: { workspaceTrusted: true } }));
  after(() => client.shutdown());

  test('block info names the environment at the position', async () => {
    const uri = 'file:///status/blocks.kql';
    client.open(uri, TWO_ENVIRONMENTS);

    const defender = (await client.connection.sendRequest(BLOCK_INFO_REQUEST, { uri, position: { line: 5, character: 4 } })) as BlockInfo;
    assert.equal(defender.environment, 'defender');
    assert.equal(defender.label, 'Defender XDR advanced hunting');
    assert.match(defender.reason, /Timestamp.* on DeviceNetworkEvents/);
    assert.deepEqual(defender.lines, { start: 3, end: 5 });

    const sentinel = (await client.connection.sendRequest(BLOCK_INFO_REQUEST, { uri, position: { line: 0, character: 2 } })) as BlockInfo;
    assert.equal(sentinel.environment, 'sentinel');
    assert.deepEqual(sentinel.lines, { start: 0, end: 1 });
  });

  test('block info between blocks has no environment', async () => {
    const uri = 'file:///status/between.kql';
    client.open(uri, TWO_ENVIRONMENTS);
    const info = (await client.connection.sendRequest(BLOCK_INFO_REQUEST, { uri, position: { line: 7, character: 0 } })) as BlockInfo;
    assert.equal(info.environment, null);
    assert.equal(info.lines, null);
    assert.equal(info.reason, 'no query at the cursor');
  });

  test('block info follows a directive', async () => {
    const uri = 'file:///status/directive.kql';
    client.open(uri, '// kql-hunt: environment=defender\n\nCommonSecurityLog\n| take 1');
    const info = (await client.connection.sendRequest(BLOCK_INFO_REQUEST, { uri, position: { line: 2, character: 1 } })) as BlockInfo;
    assert.equal(info.environment, 'defender');
    assert.equal(info.reason, 'setting or directive');
  });

  test('block info for a closed document says so', async () => {
    const info = (await client.connection.sendRequest(BLOCK_INFO_REQUEST, { uri: 'file:///status/closed.kql', position: { line: 0, character: 0 } })) as BlockInfo;
    assert.equal(info.environment, null);
    assert.match(info.reason, /is not open/);
  });

  test('status counts the built-in indicators', async () => {
    const status = (await client.connection.sendRequest(STATUS_REQUEST)) as ServerStatus;
    assert.ok(status.indicators >= 3);
    assert.deepEqual(status.families, ['Mirai']);
    assert.equal(status.sets[0].name, 'ThreatFox - Mirai');
    assert.equal(status.sets[0].origin, 'built-in');
    assert.deepEqual(status.loadProblems, []);
    assert.equal(status.workspaceTrusted, true);
  });

  test('analysis pushes a status with its time', async () => {
    const previous = ((await client.connection.sendRequest(STATUS_REQUEST)) as ServerStatus).lastAnalysis;
    const pushed = client.waitForNotification<ServerStatus>(STATUS_CHANGED_NOTIFICATION, (status) => status.lastAnalysis !== null && status.lastAnalysis !== previous);
    client.open('file:///status/analysed.kql', 'DeviceNetworkEvents | take 1');
    const status = await pushed;
    assert.ok(!Number.isNaN(Date.parse(status.lastAnalysis!)), status.lastAnalysis!);
    assert.notEqual(status.lastAnalysisMs, null);
    assert.ok(status.lastAnalysisMs! >= 0);

    const requested = (await client.connection.sendRequest(STATUS_REQUEST)) as ServerStatus;
    assert.ok(requested.lastAnalysis !== null);
  });
});

describe('workspace trust over stdio', () => {
  const client = new TestClient();
  before(() => client.initialize({ initializationOptions: { workspaceTrusted: false } }));
  after(() => client.shutdown());

  test('untrusted workspace still analyses with the built-in data', async () => {
    const uri = 'file:///trust/analysis.kql';
    const published = client.waitForDiagnostics(uri, (diagnostics) => diagnostics.length > 0);
    client.open(uri, 'DeviceNetworkEvents\n| project RemotePrt');
    assert.equal((await published)[0].code, 'KS142');
  });

  test('untrusted workspace is reported until trust is granted', async () => {
    const untrusted = (await client.connection.sendRequest(STATUS_REQUEST)) as ServerStatus;
    assert.equal(untrusted.workspaceTrusted, false);
    assert.ok(client.logs.some((line) => /not trusted/.test(line)), client.logs.join('\n'));

    const pushed = client.waitForNotification<ServerStatus>(STATUS_CHANGED_NOTIFICATION, (status) => status.workspaceTrusted);
    await client.connection.sendNotification(WORKSPACE_TRUST_GRANTED_NOTIFICATION);
    assert.equal((await pushed).workspaceTrusted, true);
    const trusted = (await client.connection.sendRequest(STATUS_REQUEST)) as ServerStatus;
    assert.equal(trusted.workspaceTrusted, true);
  });
});
