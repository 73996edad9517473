import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignatureHelpResult } from '../../server/src/engine/kusto/editingTypes';
import { KustoObject, loadKusto } from '../../server/src/engine/kusto/loadKusto';
import { SignatureHelper } from '../../server/src/engine/kusto/signatures';
import { SyntaxTree } from '../../server/src/engine/kusto/syntax';
import { withCursor } from '../helpers/cursor';

// Signature help for functions the catalog's database declares, as the Sentinel and Defender
// functions are declared there: from a parameter list and a body, or from typed parameters with
// descriptions and a declared result. Kusto.Language runs in this process with its own globals.

const kusto = loadKusto();
const symbols = kusto.Symbols;
const scalar = symbols.ScalarTypes;

function buildGlobals(): KustoObject {
  const columns = [new symbols.ColumnSymbol('Timestamp', scalar.DateTime), new symbols.ColumnSymbol('DeviceName', scalar.String), new symbols.ColumnSymbol('SHA1', scalar.String)];
  const events = new symbols.TableSymbol.$ctor4('DeviceFileEvents', columns);
  const profileResult = new symbols.TableSymbol.$ctor4('FileProfile', [new symbols.ColumnSymbol('GlobalPrevalence', scalar.Long), new symbols.ColumnSymbol('SHA1', scalar.String)]);
  const parameter = (name: string, type: KustoObject, description: string, optional = false): KustoObject =>
    new symbols.Parameter.$ctor3(name, type, symbols.ArgumentKind.Expression, null, null, false, null, optional ? 0 : 1, 1, null, description);

  const functions = [
    new symbols.FunctionSymbol.$ctor16('_GetWatchlist', '(watchlistAlias: string)', '{ datatable(SearchKey: string, WatchlistItem: dynamic) [] }', 'Returns the items of a Microsoft Sentinel watchlist.'),
    new symbols.FunctionSymbol.$ctor16('AssignedIPAddresses', '(x: string, y: datetime)', '{ datatable(IPAddress: string, Timestamp: datetime) [] }', 'Returns the IP addresses assigned to a device at a time.'),
    new symbols.FunctionSymbol.$ctor6(
      'FileProfile',
      profileResult,
      [parameter('fileIdColumn', scalar.String, 'Column that holds the SHA1 or SHA256 of the file.'), parameter('maxResults', scalar.Long, 'Most files to profile, 1000 by default.', true)],
      'Adds file prevalence and signer information to each row.',
    ),
  ];
  const database = new symbols.DatabaseSymbol.ctor('defender', [events, ...functions]);
  return kusto.GlobalState.Default.WithDatabase(database);
}

const globals = buildGlobals();
const helper = new SignatureHelper(new SyntaxTree(kusto));

function help(marked: string): SignatureHelpResult | null {
  const { text, offset } = withCursor(marked);
  const code = kusto.KustoCode.ParseAndAnalyze(text, globals);
  return helper.signatureHelp(code, text, offset);
}

describe('catalog function signatures', () => {
  test('Sentinel watchlist function', () => {
    const result = help("_GetWatchlist(‸'mirai-servers')");
    assert.ok(result);
    assert.equal(result.signatures[0].label, '_GetWatchlist(watchlistAlias: string): table');
    assert.equal(result.signatures[0].documentation, 'Returns the items of a Microsoft Sentinel watchlist.');
    assert.equal(result.activeParameter, 0);
  });

  test('Defender function second argument', () => {
    const result = help('AssignedIPAddresses("web-01", ‸)');
    assert.ok(result);
    assert.equal(result.signatures[0].label, 'AssignedIPAddresses(x: string, y: datetime): table');
    assert.equal(result.activeParameter, 1);
  });

  test('invoked function with parameter docs', () => {
    const result = help('DeviceFileEvents\n| invoke FileProfile(SHA1, ‸)');
    assert.ok(result);
    const signature = result.signatures[0];
    assert.equal(signature.label, 'FileProfile(fileIdColumn: string, [maxResults: long]): table');
    assert.equal(result.activeParameter, 1);
    assert.equal(signature.parameters[1].documentation, 'Most files to profile, 1000 by default.');
    assert.equal(signature.label.slice(...signature.parameters[1].label), '[maxResults: long]');
  });

  test('unknown function gives no help', () => {
    assert.equal(help('NotAFunction(1, ‸)'), null);
  });
});
