import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeActions } from '../../server/src/engine/codeActions';
import { QuickInfoResult } from '../../server/src/engine/kusto/types';
import { parseCustomTableFile } from '../../server/src/engine/schema/customTables';
import { parseFunctionsFile } from '../../server/src/engine/schema/functions';
import { parseWatchlists } from '../../server/src/engine/schema/watchlists';
import { LoadProblem } from '../../server/src/engine/util/problems';
import { withCursor } from '../helpers/cursor';
import { analyzeText, applyEdits, codes, createTestEngine, documentOf, errorsOf, settings } from '../helpers/engine';

const engine = createTestEngine();
after(() => engine.dispose());

const TABLES = {
  'Firewall_CL.json': JSON.stringify({ name: 'Firewall_CL', properties: [{ name: 'TimeGenerated', type: 'Datetime' }, { name: 'SrcIp_s', type: 'String' }, { name: 'DstPort_d', type: 'Double' }, { name: 'Action_s', type: 'string' }] }),
  'Vpn_CL.csv': 'ColumnName,ColumnOrdinal,DataType,ColumnType\nTimeGenerated,0,System.DateTime,datetime\nUserName,1,System.String,string\nMfaUsed,2,System.SByte,bool\n',
  'maps.json': JSON.stringify({ Badge_CL: { TimeGenerated: 'datetime', DoorName: 'string' } }),
};

const FUNCTIONS = JSON.stringify([
  { name: 'RiskySignins', parameters: [{ name: 'lookback', type: 'timespan', default: '1d', description: 'How far back.' }], body: 'SigninLogs | where TimeGenerated > ago(lookback) | where RiskLevelDuringSignIn == "high"' },
  { name: 'Denies', parameters: '(minCount:long = 10)', columns: { SrcIp: 'string', Denied: 'long' } },
  { name: 'ShortHost', parameters: '(name:string)', body: 'tolower(tostring(split(name, ".")[0]))' },
  { name: 'Broken', body: 'SigninLog | take 1' },
  { name: 'MisspeltColumns', body: 'SigninLogs | project UserPrincipalNam, IPAddress' },
], null, 2);

let schemaProblems: LoadProblem[] = [];

before(async () => {
  const problems: LoadProblem[] = [];
  const tables = Object.entries(TABLES).flatMap(([file, text]) => parseCustomTableFile(file, text, problems));
  const functions = parseFunctionsFile('functions.json', FUNCTIONS, problems);
  const watchlists = parseWatchlists({ HighValueAssets: { Hostname: 'string', Tier: 'int' } }, 'kqlHunt.schema.watchlists', problems);
  assert.deepEqual(problems, []);
  schemaProblems = await engine.setSchema({ tables, functions, watchlists });
});

async function errors(text: string, environment = 'auto'): Promise<string[]> {
  return errorsOf(await analyzeText(engine, text, settings({ environment })));
}

async function quickInfo(marked: string): Promise<string | undefined> {
  const { text, offset } = withCursor(marked);
  const result = await engine.worker.request<QuickInfoResult | null>({ method: 'quickInfo', text, environment: 'auto', offset });
  return result?.text;
}

describe('custom tables in the engine', () => {
  test('tables of every format resolve', async () => {
    assert.deepEqual(await errors('Firewall_CL | where DstPort_d == 3389 and Action_s == "deny" | project SrcIp_s'), []);
    assert.deepEqual(await errors('Vpn_CL | where MfaUsed == false | summarize count() by UserName'), []);
    assert.deepEqual(await errors('Badge_CL | where TimeGenerated > ago(1d) | project DoorName'), []);
  });

  test('typo in a declared column is an error', async () => {
    assert.deepEqual(await errors('Vpn_CL | project UserNam'), ["KS142 The name 'UserNam' does not refer to any known column, table, variable or function. Did you mean 'UserName'?"]);
  });

  test('suffixed typo of a declared column is an error', async () => {
    const found = await errors('Firewall_CL | where Acton_s == "deny"');
    assert.equal(found.length, 1);
    assert.match(found[0], /^KS142 .*'Acton_s'.*Did you mean 'Action_s'/);
  });

  test('typo in a custom table name is an error', async () => {
    const analysis = await analyzeText(engine, 'Firewal_CL | take 1');
    assert.deepEqual(codes(analysis), ['KS204']);
    assert.match(analysis.diagnostics[0].message, /Did you mean 'Firewall_CL'/);
  });
});

describe('open-schema columns', () => {
  test('suffixed columns resolve on AzureDiagnostics', async () => {
    const text = 'AzureDiagnostics\n| where sslProtocol_s == "TLSv1" and isRateLimited_b == true\n| where requestReceived_t > ago(1d) and tenant_g == guid(00000000-0000-0000-0000-000000000000)\n| summarize avg(latency2_d) by sslProtocol_s';
    assert.deepEqual(await errors(text), []);
  });

  test('suffix decides the column type', async () => {
    assert.equal(await quickInfo('AzureDiagnostics | where late‸ncy2_d > 1'), 'latency2_d: real');
    assert.equal(await quickInfo('AzureDiagnostics | where ssl‸Protocol_s == "x"'), 'sslProtocol_s: string');
    assert.equal(await quickInfo('Firewall_CL | where new‸Flag_b'), 'newFlag_b: bool');
    assert.equal(await quickInfo('Firewall_CL | where first‸Seen_t > ago(1h)'), 'firstSeen_t: datetime');
    assert.equal(await quickInfo('Firewall_CL | where Policy‸Id_g == guid(null)'), 'PolicyId_g: guid');
  });

  test('wrong use of a suffix type is still an error', async () => {
    const found = await errors('AzureDiagnostics | summarize sum(sslProtocol_s)');
    assert.equal(found.length, 1);
  });

  test('unsuffixed unknown column is still an error', async () => {
    const found = await errors('AzureDiagnostics | where Categry == "x"');
    assert.equal(found.length, 1);
    assert.match(found[0], /Did you mean 'Category'/);
  });

  test('suffixed columns resolve in another workspace', async () => {
    assert.deepEqual(await errors('workspace("other").AzureDiagnostics | where sslCipher_s == "x"'), []);
    assert.deepEqual(codes(await analyzeText(engine, 'workspace("other").Remote_CL | where Name_s == "x"')), ['unknown-custom-table']);
  });

  test('suffixed name on a closed table is an error', async () => {
    assert.equal((await errors('SecurityEvent | where foo_s == "x"')).length, 1);
  });
});

describe('unknown custom tables', () => {
  test('unknown _CL table gives one warning and no column errors', async () => {
    const text = 'Mystery_CL\n| where Host_s == "a" and Count > 5\n| join kind=inner (Mystery_CL | project Host_s, Other) on Host_s\n| summarize count() by bin(TimeGenerated, 1h), Whatever';
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(codes(analysis), ['unknown-custom-table']);
    assert.equal(analysis.diagnostics[0].severity, 2);
    assert.deepEqual(analysis.diagnostics[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 10 } });
    assert.match(analysis.diagnostics[0].message, /kqlHunt\.schema\.customTables/);
    assert.match(analysis.diagnostics[0].message, /Mystery_CL \| getschema/);
  });

  test('unknown _CL table through table() is found too', async () => {
    assert.deepEqual(codes(await analyzeText(engine, 'table("Other_CL") | take 1')), ['unknown-custom-table']);
  });
});

describe('Sentinel functions in the engine', () => {
  test('declared watchlist has its typed columns', async () => {
    assert.deepEqual(await errors("_GetWatchlist('HighValueAssets') | where Tier > 2 | project SearchKey, Hostname, LastUpdatedTimeUTC"), []);
    assert.equal(await quickInfo("_GetWatchlist('highvalueassets') | where Ti‸er > 2"), 'Tier: int');
  });

  test('typo in a declared watchlist column is an error', async () => {
    assert.equal((await errors("_GetWatchlist('HighValueAssets') | project Hostnme")).length, 1);
  });

  test('undeclared watchlist accepts any column', async () => {
    assert.deepEqual(await errors("_GetWatchlist('Unlisted') | where tostring(Anything) != '' | project SearchKey, Anything"), []);
  });

  test('ASIM parser takes named and positional filters', async () => {
    assert.deepEqual(await errors('_Im_NetworkSession(starttime = ago(1d), dstportnumber = 443) | summarize count() by SrcIpAddr, Dst'), []);
    assert.deepEqual(await errors('imDns(ago(1d), now()) | where DnsQuery has "x" | project Domain'), []);
    assert.deepEqual(await errors('_ASim_Dns | where DnsQuery has "x"'), []);
  });

  test('unknown ASIM filter name is an error', async () => {
    const analysis = await analyzeText(engine, '_Im_Dns(domain_has_anything = dynamic(["x"])) | take 1');
    assert.deepEqual(codes(analysis), ['KS196']);
  });

  test('typo in an ASIM column is an error', async () => {
    assert.equal((await errors('_Im_Authentication(starttime = ago(1d)) | project TargetUsernam')).length, 1);
  });
});

describe('Defender XDR functions in the engine', () => {
  test('FileProfile takes a bare column, a string or nothing', async () => {
    assert.deepEqual(await errors('DeviceFileEvents | distinct SHA1 | invoke FileProfile(SHA1, 1000) | where GlobalPrevalence < 50 | project SHA1, Signer'), []);
    assert.deepEqual(await errors('DeviceFileEvents | summarize by SHA256, FileName | invoke FileProfile("SHA256", 100) | project FileName, IsCertificateValid'), []);
    assert.deepEqual(await errors('DeviceFileEvents | take 10 | invoke FileProfile() | project DeviceName, ProfileAvailability'), []);
  });

  test('FileProfile with an unknown column is an error', async () => {
    assert.equal((await errors('DeviceFileEvents | invoke FileProfile(SHA1x)')).length, 1);
  });

  test('typo after FileProfile is an error', async () => {
    assert.equal((await errors('DeviceFileEvents | invoke FileProfile() | where GlobalPrevalance < 5')).length, 1);
  });

  test('DeviceFromIP, AssignedIPAddresses and SeenBy resolve', async () => {
    assert.deepEqual(await errors('DeviceNetworkEvents | project IP = LocalIP | invoke DeviceFromIP() | project IP, DeviceId'), []);
    assert.deepEqual(await errors('AssignedIPAddresses("host-1", ago(1d)) | project Timestamp, IPAddress, IPType'), []);
    assert.deepEqual(await errors('DeviceInfo | take 10 | invoke SeenBy(DeviceId) | project DeviceId, DeviceName'), []);
  });

  test('Defender functions are unknown in Sentinel', async () => {
    assert.deepEqual(codes(await analyzeText(engine, 'AssignedIPAddresses("host-1")', settings({ environment: 'sentinel' }))), ['KS211']);
  });

  test('Defender function makes auto choose Defender', async () => {
    const analysis = await analyzeText(engine, 'DeviceFileEvents | invoke FileProfile()');
    const outcome = analysis.blocks[0].outcome;
    assert.equal(outcome.status === 'analyzed' ? outcome.analysis.environment : undefined, 'defender');
  });
});

describe('cross-service functions in the engine', () => {
  test('workspace() has this environment tables', async () => {
    assert.deepEqual(await errors('union workspace("a").SecurityEvent, workspace("b").SecurityEvent | where EventID == 4625 | summarize count() by Computer'), []);
    assert.equal((await errors('workspace("a").SecurityEvent | project Acount')).length, 1);
  });

  test('app(), adx() and arg() accept any table', async () => {
    assert.deepEqual(await errors('app("web").requests | where success == false | summarize count() by name'), []);
    assert.deepEqual(await errors('adx("https://help.kusto.windows.net/Samples").StormEvents | take 1'), []);
    assert.deepEqual(await errors('arg("").Resources | where type =~ "microsoft.compute/virtualmachines" | project name'), []);
  });
});

describe('user functions in the engine', () => {
  test('body, columns and scalar functions resolve', async () => {
    assert.deepEqual(await errors('RiskySignins(6h) | project UserPrincipalName, IPAddress'), []);
    assert.deepEqual(await errors('Denies(minCount = 5) | where Denied > 10 | project SrcIp'), []);
    assert.deepEqual(await errors('SecurityEvent | extend Host = ShortHost(Computer) | summarize count() by Host'), []);
  });

  test('typo in a user function output is an error', async () => {
    assert.equal((await errors('Denies() | project SrcIP')).length, 1);
  });

  test('broken body is reported when loaded', () => {
    assert.deepEqual(schemaProblems.map((problem) => problem.functionName), ['Broken', 'MisspeltColumns']);
    assert.equal(schemaProblems[0].file, 'functions.json');
    assert.match(schemaProblems[0].message, /^Function 'Broken': The name 'SigninLog' does not refer/);
    // The problem points at the line of the broken body in the file.
    const bodyLine = FUNCTIONS.split('\n').findIndex((line) => line.includes('"SigninLog | take 1"')) + 1;
    assert.ok(bodyLine > 1);
    assert.equal(schemaProblems[0].line, bodyLine);
  });
});

describe('hunts calling a broken function', () => {
  test('unknown names point at the function', async () => {
    const analysis = await analyzeText(engine, 'MisspeltColumns()\n| project UserPrincipalName');
    const unknown = analysis.diagnostics.filter((diagnostic) => diagnostic.code === 'KS142');
    assert.equal(unknown.length, 1, JSON.stringify(analysis.diagnostics));
    const bodyLine = FUNCTIONS.split('\n').findIndex((line) => line.includes('UserPrincipalNam,')) + 1;
    assert.match(unknown[0].message, new RegExp(`This query calls MisspeltColumns \\(functions\\.json:${bodyLine}\\), whose definition does not compile`));
  });

  test('other hunts keep their messages', async () => {
    const [message] = await errors('Denies() | project SrcIP');
    assert.doesNotMatch(message, /does not compile/);
  });
});

describe('time column mismatch', () => {
  test('Timestamp on a Sentinel-only table is an error with a fix', async () => {
    const analysis = await analyzeText(engine, 'SecurityEvent\n| where Timestamp > ago(1d)');
    assert.deepEqual(codes(analysis), ['time-column-mismatch']);
    assert.equal(analysis.diagnostics[0].severity, 1);
    assert.match(analysis.diagnostics[0].message, /Use TimeGenerated/);
  });

  test('Timestamp kept by Sentinel tables is a warning', async () => {
    const text = '// kql-hunt: environment=sentinel\nDeviceProcessEvents\n| where Timestamp > ago(1d)';
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(codes(analysis), ['time-column-mismatch']);
    assert.equal(analysis.diagnostics[0].severity, 2);
  });

  test('TimeGenerated in Defender is an error', async () => {
    const analysis = await analyzeText(engine, '// kql-hunt: environment=defender\nDeviceProcessEvents\n| where TimeGenerated > ago(1d)');
    assert.deepEqual(codes(analysis), ['time-column-mismatch']);
    assert.match(analysis.diagnostics[0].message, /Use Timestamp/);
  });

  test('renamed time column is no mismatch', async () => {
    const analysis = await analyzeText(engine, 'SigninLogs\n| extend Timestamp = TimeGenerated\n| where Timestamp > ago(1d)');
    assert.deepEqual(codes(analysis), []);
  });

  for (const text of ['SecurityEvent\n| where Timestamp > ago(1d)\n| project Timestamp, Computer', '// kql-hunt: environment=sentinel\nDeviceProcessEvents\n| where Timestamp > ago(1d)', '// kql-hunt: environment=defender\nDeviceLogonEvents\n| summarize max(TimeGenerated) by DeviceName']) {
    test(`fix re-analyses cleanly: ${text.split('\n').slice(-2).join(' ')}`, async () => {
      let current = text;
      for (let round = 0; round < 3; round++) {
        const document = documentOf(current);
        const analysis = await engine.analyzeDocument(document, settings());
        const target = analysis.diagnostics.find((diagnostic) => diagnostic.code === 'time-column-mismatch');
        if (!target) break;
        const actions = await codeActions(engine, document, target.range, settings(), ['quickfix']);
        const fix = actions.find((action) => action.title.startsWith("Change to '"));
        assert.ok(fix, actions.map((action) => action.title).join('\n'));
        current = applyEdits(current, fix.edit!.changes![document.uri]);
      }
      assert.deepEqual((await analyzeText(engine, current)).diagnostics, [], current);
    });
  }
});

describe('environments in one file', () => {
  test('mixed file picks each block environment', async () => {
    const text = [
      'DeviceProcessEvents | where Timestamp > ago(1h) | take 1',
      '',
      'SigninLogs | where TimeGenerated > ago(1h) | take 1',
      '',
      '// kql-hunt: environment=defender',
      '',
      'IdentityInfo | where isnotempty(AccountUpn) | take 1',
      '',
      'DeviceInfo | summarize arg_max(Timestamp, *) by DeviceId',
      '',
      '// kql-hunt: environment=sentinel',
      'IdentityInfo | where isnotempty(AccountUPN) | take 1',
    ].join('\n');
    const analysis = await analyzeText(engine, text);
    assert.deepEqual(analysis.diagnostics, []);
    const environments = analysis.blocks.filter((block) => block.outcome.status === 'analyzed').map((block) => (block.outcome.status === 'analyzed' ? block.outcome.analysis.environment : ''));
    assert.deepEqual(environments, ['defender', 'sentinel', 'defender', 'defender', 'sentinel']);
  });
});
