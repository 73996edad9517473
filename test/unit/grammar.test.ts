import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type StateStack } from 'vscode-textmate';

// Tests run from the repository root (`node --test out/test`), so paths resolve from there.
const ROOT = process.cwd();
const GRAMMAR_PATH = resolve(ROOT, 'syntaxes/kql.tmLanguage.json');
const LANGUAGE_CONFIGURATION_PATH = resolve(ROOT, 'syntaxes/language-configuration.json');
const ONIG_WASM_PATH = resolve(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm');

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

let grammarPromise: Promise<IGrammar> | undefined;

function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(ONIG_WASM_PATH);
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => oniguruma.createOnigScanner(sources),
        createOnigString: (text: string) => oniguruma.createOnigString(text),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === 'source.kql' ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar('source.kql');
    if (!grammar) throw new Error(`No grammar with scope source.kql in ${GRAMMAR_PATH}`);
    return grammar;
  })();
  return grammarPromise;
}

async function tokenize(source: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  source.split(/\r?\n/).forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ line, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/**
 * Tokenizes `source` and returns the scopes of the token whose text is exactly `text`,
 * optionally only on the 0-based `line`. Throws, listing every token, when there is none.
 */
async function scopesOf(source: string, text: string, line?: number): Promise<string[]> {
  const tokens = await tokenize(source);
  const found = tokens.find((token) => token.text === text && (line === undefined || token.line === line));
  if (!found) {
    const listing = tokens.map((token) => `${token.line}: ${JSON.stringify(token.text)} ${token.scopes.join(' ')}`).join('\n');
    throw new Error(`No token ${JSON.stringify(text)} in:\n${listing}`);
  }
  return found.scopes;
}

function describeScopes(scopes: string[]): string {
  return `scopes were: ${scopes.join(' ')}`;
}

// Comments

test('line comment is a double-slash comment', async () => {
  const scopes = await scopesOf('// Mirai payload servers', ' Mirai payload servers');
  assert.ok(scopes.includes('comment.line.double-slash.kql'), describeScopes(scopes));
});

test('comment after code starts at the double slash', async () => {
  const scopes = await scopesOf('| where RemotePort == 8082 // payload port', ' payload port');
  assert.ok(scopes.includes('comment.line.double-slash.kql'), describeScopes(scopes));
});

// Strings

test('double-quoted string is a double-quoted string', async () => {
  const scopes = await scopesOf('| where FileName =~ "busybox"', 'busybox');
  assert.ok(scopes.includes('string.quoted.double.kql'), describeScopes(scopes));
});

test('backslash escape in a string is an escape', async () => {
  const scopes = await scopesOf('| extend Line = strcat("a", "\\t", "b")', '\\t');
  assert.ok(scopes.includes('constant.character.escape.kql'), describeScopes(scopes));
});

test('single-quoted string is a single-quoted string', async () => {
  const scopes = await scopesOf("| where ProcessCommandLine has 'wget'", 'wget');
  assert.ok(scopes.includes('string.quoted.single.kql'), describeScopes(scopes));
});

test('escaped quote does not end a string', async () => {
  const scopes = await scopesOf("| where Title == 'it\\'s here'", 's here');
  assert.ok(scopes.includes('string.quoted.single.kql'), describeScopes(scopes));
});

test('verbatim string keeps backslashes literal', async () => {
  const scopes = await scopesOf('| where FolderPath startswith @"C:\\Temp\\new"', 'C:\\Temp\\new');
  assert.ok(scopes.includes('string.quoted.double.verbatim.kql'), describeScopes(scopes));
});

test('verbatim string keeps doubled quote inside', async () => {
  const scopes = await scopesOf('| where CommandLine has @"say ""hi"" now"', '""');
  assert.ok(scopes.includes('constant.character.escape.quote.kql'), describeScopes(scopes));
});

test('verbatim string continues after a doubled quote', async () => {
  const scopes = await scopesOf('| where CommandLine has @"say ""hi"" now"', ' now');
  assert.ok(scopes.includes('string.quoted.double.verbatim.kql'), describeScopes(scopes));
});

test('single-quoted verbatim string keeps doubled quote inside', async () => {
  const scopes = await scopesOf("| where Title == @'it''s'", "''");
  assert.ok(scopes.includes('string.quoted.single.verbatim.kql'), describeScopes(scopes));
});

test('obfuscated string is a string', async () => {
  const scopes = await scopesOf('| where Password == h"hunter2"', 'hunter2');
  assert.ok(scopes.includes('string.quoted.double.obfuscated.kql'), describeScopes(scopes));
});

test('obfuscated verbatim string is a verbatim string', async () => {
  const scopes = await scopesOf("| where Path == h@'C:\\secret'", 'C:\\secret');
  assert.ok(scopes.includes('string.quoted.single.verbatim.obfuscated.kql'), describeScopes(scopes));
});

const MULTI_LINE = ['| extend Script = ```first line', 'second "line" // not a comment', 'third line```, Size = 1', '| where Size > 0'].join('\n');

test('multi-line string covers its opening line', async () => {
  const scopes = await scopesOf(MULTI_LINE, 'first line', 0);
  assert.ok(scopes.includes('string.quoted.triple.kql'), describeScopes(scopes));
});

test('multi-line string swallows comment markers', async () => {
  const scopes = await scopesOf(MULTI_LINE, 'second "line" // not a comment', 1);
  assert.ok(scopes.includes('string.quoted.triple.kql'), describeScopes(scopes));
});

test('multi-line string covers its closing line', async () => {
  const scopes = await scopesOf(MULTI_LINE, 'third line', 2);
  assert.ok(scopes.includes('string.quoted.triple.kql'), describeScopes(scopes));
});

test('multi-line string ends at the closing fence', async () => {
  const scopes = await scopesOf(MULTI_LINE, '=', 2);
  assert.ok(!scopes.some((scope) => scope.startsWith('string.')), describeScopes(scopes));
});

test('unterminated string ends at the end of its line', async () => {
  const scopes = await scopesOf('| where Name == "open\n| where Size > 0', 'where', 1);
  assert.ok(scopes.includes('keyword.control.query.kql'), describeScopes(scopes));
});

// Numbers and literals

test('timespan 7d is a timespan constant', async () => {
  const scopes = await scopesOf('| where Timestamp > ago(7d)', '7d');
  assert.ok(scopes.includes('constant.numeric.timespan.kql'), describeScopes(scopes));
});

test('fractional timespan 2.5d is one timespan constant', async () => {
  const scopes = await scopesOf('let window = 2.5d;', '2.5d');
  assert.ok(scopes.includes('constant.numeric.timespan.kql'), describeScopes(scopes));
});

test('timespan 1tick is a timespan constant', async () => {
  const scopes = await scopesOf('print Step = 1tick', '1tick');
  assert.ok(scopes.includes('constant.numeric.timespan.kql'), describeScopes(scopes));
});

test('integer is a numeric constant', async () => {
  const scopes = await scopesOf('| where Denied > 100', '100');
  assert.ok(scopes.includes('constant.numeric.integer.kql'), describeScopes(scopes));
});

test('hex number is a numeric constant', async () => {
  const scopes = await scopesOf('| where Flags == 0x1F', '0x1F');
  assert.ok(scopes.includes('constant.numeric.hex.kql'), describeScopes(scopes));
});

test('real number is a numeric constant', async () => {
  const scopes = await scopesOf('| where Score > 0.75', '0.75');
  assert.ok(scopes.includes('constant.numeric.float.kql'), describeScopes(scopes));
});

test('datetime literal value is a datetime constant', async () => {
  const scopes = await scopesOf('| where Timestamp > datetime(2026-06-14)', '2026-06-14');
  assert.ok(scopes.includes('constant.numeric.datetime.kql'), describeScopes(scopes));
});

test('dynamic literal keyword is a type', async () => {
  const scopes = await scopesOf('let ports = dynamic([8082, 8083]);', 'dynamic');
  assert.ok(scopes.includes('storage.type.kql'), describeScopes(scopes));
});

test('number inside a dynamic literal is a numeric constant', async () => {
  const scopes = await scopesOf('let ports = dynamic([8082, 8083]);', '8083');
  assert.ok(scopes.includes('constant.numeric.integer.kql'), describeScopes(scopes));
});

test('string inside a multi-line dynamic literal is a string', async () => {
  const scopes = await scopesOf('let ips = dynamic([\n  "5.39.216.137"\n]);', '5.39.216.137', 1);
  assert.ok(scopes.includes('string.quoted.double.kql'), describeScopes(scopes));
});

// Query operators and keywords

test('where after a pipe is a query operator', async () => {
  const scopes = await scopesOf('| where Timestamp > ago(1d)', 'where');
  assert.ok(scopes.includes('keyword.control.query.kql'), describeScopes(scopes));
});

test('project-away is one query operator token', async () => {
  const scopes = await scopesOf('| project-away TenantId', 'project-away');
  assert.ok(scopes.includes('keyword.control.query.kql'), describeScopes(scopes));
});

test('operator at the start of a fork branch is a query operator', async () => {
  const scopes = await scopesOf('| fork (take 10) (count)', 'take');
  assert.ok(scopes.includes('keyword.control.query.kql'), describeScopes(scopes));
});

test('join kind value is an option constant', async () => {
  const scopes = await scopesOf('| join kind=leftouter (SigninLogs) on UserPrincipalName', 'leftouter');
  assert.ok(scopes.includes('constant.language.option.kql'), describeScopes(scopes));
});

test('by is a keyword', async () => {
  const scopes = await scopesOf('| summarize count() by DeviceName', 'by');
  assert.ok(scopes.includes('keyword.other.kql'), describeScopes(scopes));
});

test('has_any is a string operator', async () => {
  const scopes = await scopesOf('| where ProcessCommandLine has_any ("wget", "curl")', 'has_any');
  assert.ok(scopes.includes('keyword.operator.string.kql'), describeScopes(scopes));
});

test('negated has is one string operator token', async () => {
  const scopes = await scopesOf('| where ProcessCommandLine !has "nmap"', '!has');
  assert.ok(scopes.includes('keyword.operator.string.kql'), describeScopes(scopes));
});

test('in~ is one comparison operator token', async () => {
  const scopes = await scopesOf('| where DeviceAction in~ ("deny", "drop")', 'in~');
  assert.ok(scopes.includes('keyword.operator.comparison.kql'), describeScopes(scopes));
});

test('negated in~ is one comparison operator token', async () => {
  const scopes = await scopesOf('| where FileName !in~ ("apt", "yum")', '!in~');
  assert.ok(scopes.includes('keyword.operator.comparison.kql'), describeScopes(scopes));
});

test('=~ is a comparison operator', async () => {
  const scopes = await scopesOf('| where FileName =~ "busybox"', '=~');
  assert.ok(scopes.includes('keyword.operator.comparison.kql'), describeScopes(scopes));
});

test('matches regex is one string operator token', async () => {
  const scopes = await scopesOf('| where Url matches regex @"^https?://"', 'matches regex');
  assert.ok(scopes.includes('keyword.operator.string.kql'), describeScopes(scopes));
});

// Functions

test('ago call is a built-in function', async () => {
  const scopes = await scopesOf('| where Timestamp > ago(1d)', 'ago');
  assert.ok(scopes.includes('support.function.kql'), describeScopes(scopes));
});

test('ipv4_is_in_any_range call is a built-in function', async () => {
  const scopes = await scopesOf('| where ipv4_is_in_any_range(RemoteIP, ranges)', 'ipv4_is_in_any_range');
  assert.ok(scopes.includes('support.function.kql'), describeScopes(scopes));
});

test('dcount call is an aggregate function', async () => {
  const scopes = await scopesOf('| summarize Devices = dcount(DeviceId)', 'dcount');
  assert.ok(scopes.includes('support.function.aggregate.kql'), describeScopes(scopes));
});

test('function name without a call is not a function', async () => {
  const scopes = await scopesOf('| project bin', ' bin');
  assert.ok(!scopes.some((scope) => scope.startsWith('support.function')), describeScopes(scopes));
});

// Declarations and table names

test('let name is a declared variable', async () => {
  const scopes = await scopesOf('let malicious_ips = dynamic(["5.39.216.137"]);', 'malicious_ips');
  assert.ok(scopes.includes('entity.name.variable.kql'), describeScopes(scopes));
});

test('let name bound to a lambda is a declared function', async () => {
  const scopes = await scopesOf('let recent = (lookback:timespan) { DeviceEvents | where Timestamp > ago(lookback) };', 'recent');
  assert.ok(scopes.includes('entity.name.function.kql'), describeScopes(scopes));
});

test('let is a keyword', async () => {
  const scopes = await scopesOf('let window = 7d;', 'let');
  assert.ok(scopes.includes('keyword.other.let.kql'), describeScopes(scopes));
});

test('name alone at the start of a line is a table', async () => {
  const scopes = await scopesOf('MyHuntTable\n| where Timestamp > ago(1d)', 'MyHuntTable');
  assert.ok(scopes.includes('entity.name.type.table.kql'), describeScopes(scopes));
});

test('name before a pipe at the start of a line is a table', async () => {
  const scopes = await scopesOf('MyHuntTable | take 10', 'MyHuntTable');
  assert.ok(scopes.includes('entity.name.type.table.kql'), describeScopes(scopes));
});

test('indented column alone on a line is not a table', async () => {
  const scopes = await scopesOf('| project\n    Timestamp,\n    DeviceName', '    DeviceName');
  assert.ok(!scopes.some((scope) => scope.startsWith('entity.name.type.table')), describeScopes(scopes));
});

test('well-known Sentinel table is a table anywhere', async () => {
  const scopes = await scopesOf('| join kind=inner (CommonSecurityLog) on SourceIP', 'CommonSecurityLog');
  assert.ok(scopes.includes('support.class.table.kql'), describeScopes(scopes));
});

test('custom _CL table is a table anywhere', async () => {
  const scopes = await scopesOf('union DeviceEvents, Firewall_Denies_CL', 'Firewall_Denies_CL');
  assert.ok(scopes.includes('entity.name.type.table.custom.kql'), describeScopes(scopes));
});

test('bracket-quoted name is a quoted name', async () => {
  const scopes = await scopesOf("| project ['Account Name'], Timestamp", "'Account Name'");
  assert.ok(scopes.includes('variable.other.quoted-name.kql'), describeScopes(scopes));
});

test('bracket after a name indexes with a string', async () => {
  const scopes = await scopesOf('| extend Ip = Props["ip"]', 'ip');
  assert.ok(scopes.includes('string.quoted.double.kql'), describeScopes(scopes));
});

// kql-hunt directives

const ENVIRONMENT_DIRECTIVE = '// kql-hunt: environment=defender';

test('environment directive marker has a directive scope', async () => {
  const scopes = await scopesOf(ENVIRONMENT_DIRECTIVE, 'kql-hunt');
  assert.ok(scopes.includes('keyword.control.directive.kql'), describeScopes(scopes));
});

test('environment directive value has a constant scope', async () => {
  const scopes = await scopesOf(ENVIRONMENT_DIRECTIVE, 'defender');
  assert.ok(scopes.includes('constant.language.environment.kql'), describeScopes(scopes));
});

test('environment directive stays inside a comment', async () => {
  const scopes = await scopesOf(ENVIRONMENT_DIRECTIVE, 'defender');
  assert.ok(scopes.includes('comment.line.double-slash.kql'), describeScopes(scopes));
});

test('environment directive after code is a plain comment', async () => {
  const scopes = await scopesOf('| take 10 // kql-hunt: environment=defender', ' kql-hunt: environment=defender');
  assert.ok(!scopes.includes('meta.directive.environment.kql'), describeScopes(scopes));
});

const NEXT_LINE_SUPPRESSION = '// kql-hunt-disable-next-line missing-exclusion/tar-backup, KS142';

test('disable-next-line suppression has a directive scope', async () => {
  const scopes = await scopesOf(NEXT_LINE_SUPPRESSION, 'kql-hunt-disable-next-line');
  assert.ok(scopes.includes('keyword.control.directive.suppression.kql'), describeScopes(scopes));
});

test('suppressed rule id has a rule-id scope', async () => {
  const scopes = await scopesOf(NEXT_LINE_SUPPRESSION, 'missing-exclusion/tar-backup');
  assert.ok(scopes.includes('variable.parameter.rule-id.kql'), describeScopes(scopes));
});

test('rule id after a comma has a rule-id scope', async () => {
  const scopes = await scopesOf(NEXT_LINE_SUPPRESSION, 'KS142');
  assert.ok(scopes.includes('variable.parameter.rule-id.kql'), describeScopes(scopes));
});

test('disable suppression has a directive scope', async () => {
  const scopes = await scopesOf('// kql-hunt-disable missing-exclusion', 'kql-hunt-disable');
  assert.ok(scopes.includes('keyword.control.directive.suppression.kql'), describeScopes(scopes));
});

// Language configuration

interface LanguageConfiguration {
  comments?: { lineComment?: string };
  wordPattern?: string;
  onEnterRules?: { beforeText: string; action: { indent: string } }[];
}

function readLanguageConfiguration(): LanguageConfiguration {
  return JSON.parse(readFileSync(LANGUAGE_CONFIGURATION_PATH, 'utf8')) as LanguageConfiguration;
}

/** Finds the wordPattern match that contains `offset`, a simplified form of how VS Code picks the word at the cursor. */
function wordAt(text: string, offset: number): string | undefined {
  const pattern = new RegExp(readLanguageConfiguration().wordPattern ?? '', 'g');
  for (const match of text.matchAll(pattern)) {
    const start = match.index ?? 0;
    if (start <= offset && offset < start + match[0].length) return match[0];
  }
  return undefined;
}

test('language configuration parses as JSON', () => {
  assert.doesNotThrow(readLanguageConfiguration);
});

test('language configuration declares // as the line comment', () => {
  assert.equal(readLanguageConfiguration().comments?.lineComment, '//');
});

test('word pattern keeps project-away as one word', () => {
  assert.equal(wordAt('| project-away TenantId', 4), 'project-away');
});

test('word pattern keeps underscored identifiers whole', () => {
  assert.equal(wordAt('| where ipv4_is_in_any_range(RemoteIP, ranges)', 12), 'ipv4_is_in_any_range');
});

test('word pattern keeps !in~ as one word', () => {
  assert.equal(wordAt('| where FileName !in~ ("apt")', 18), '!in~');
});

test('word pattern keeps !has as one word', () => {
  assert.equal(wordAt('| where CommandLine !has "nmap"', 21), '!has');
});

test('Enter after a pipe line keeps its indentation', () => {
  const rule = readLanguageConfiguration().onEnterRules?.find((candidate) => new RegExp(candidate.beforeText).test('    | where Timestamp > ago(1d)'));
  assert.equal(rule?.action.indent, 'none');
});

test('pipe line ending in a bracket has no Enter rule', () => {
  const rules = readLanguageConfiguration().onEnterRules ?? [];
  assert.ok(!rules.some((rule) => new RegExp(rule.beforeText).test('| join kind=inner (')));
});
