import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const contributes = manifest.contributes;
const clientSource = ['client/src/extension.ts', 'client/src/commands.ts'].map((path) => readFileSync(path, 'utf8')).join('\n');
const declared = new Set<string>(contributes.commands.map((command: { command: string }) => command.command));

/** Command links (`command:ID` or `command:ID?ARGS`) in walkthrough descriptions. */
function commandLinks(text: string): { command: string; args?: string }[] {
  return [...text.matchAll(/\(command:([\w.]+)(?:\?([^)]*))?\)/g)].map((match) => ({ command: match[1], args: match[2] }));
}

function pngWidth(path: string): number {
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(1, 4).toString('ascii'), 'PNG', `${path} is not a PNG`);
  return bytes.readUInt32BE(16);
}

describe('extension manifest', () => {
  test('declares the client commands under KQL Hunt', () => {
    for (const id of ['kqlHunt.insertHunt', 'kqlHunt.addAllExclusions', 'kqlHunt.restartServer', 'kqlHunt.showOutput', 'kqlHunt.openExample']) {
      const command = contributes.commands.find((candidate: { command: string }) => candidate.command === id);
      assert.ok(command, `${id} is not declared`);
      assert.equal(command.category, 'KQL Hunt');
    }
  });

  test('every declared command is registered by the client', () => {
    for (const id of declared) assert.ok(clientSource.includes(`registerCommand('${id}'`), `${id} has no handler in client/src`);
  });

  test('menus name declared commands only', () => {
    for (const [menu, entries] of Object.entries(contributes.menus) as [string, { command: string }[]][]) {
      for (const entry of entries) assert.ok(declared.has(entry.command), `${menu} names ${entry.command}`);
    }
  });

  test('editor context menu offers the insert commands in KQL files', () => {
    const context = contributes.menus['editor/context'] as { command: string; when: string }[];
    for (const id of ['kqlHunt.insertHunt', 'kqlHunt.addAllExclusions']) {
      const entry = context.find((candidate) => candidate.command === id);
      assert.ok(entry, `${id} is missing from the editor context menu`);
      assert.match(entry.when, /^editorLangId == kql\b/);
    }
  });

  test('activates on KQL files', () => {
    assert.ok(manifest.activationEvents.includes('onLanguage:kql'));
  });

  test('declares limited support for untrusted workspaces', () => {
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.match(manifest.capabilities.untrustedWorkspaces.description, /not loaded until you trust it/);
  });

  test('icon is a PNG of at least 128 pixels', () => {
    assert.ok(pngWidth(manifest.icon) >= 128);
  });

  test('has categories and keywords for the marketplace', () => {
    assert.ok(manifest.categories.includes('Programming Languages'));
    assert.ok(manifest.categories.includes('Linters'));
    assert.ok(manifest.keywords.includes('kql'));
    assert.ok(manifest.keywords.length <= 30, 'the marketplace accepts at most 30 keywords');
  });
});

describe('walkthrough', () => {
  const walkthrough = contributes.walkthroughs[0];

  test('has the four first-use steps', () => {
    assert.deepEqual(
      walkthrough.steps.map((step: { id: string }) => step.id),
      ['openExample', 'insertHunt', 'fixExclusion', 'loadThreatFox'],
    );
  });

  for (const step of contributes.walkthroughs[0].steps as { id: string; description: string; media: { image?: string; markdown?: string } }[]) {
    test(`step ${step.id} links commands that exist`, () => {
      const links = commandLinks(step.description);
      assert.ok(links.length > 0, 'the step has no button');
      for (const link of links) {
        assert.ok(declared.has(link.command) || link.command.startsWith('workbench.'), `${link.command} is not a command of this extension`);
        if (link.args) JSON.parse(decodeURIComponent(link.args));
      }
    });

    test(`step ${step.id} media exists`, () => {
      const media = step.media.image ?? step.media.markdown;
      assert.ok(media, 'the step has no media');
      assert.ok(existsSync(media), `${media} is missing`);
    });
  }
});

describe('package contents', () => {
  test('vsce lists only the runtime files', () => {
    const result = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const files = result.stdout.split('\n').filter((line) => line.trim() !== '').sort();
    const expected = [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
      'dist/client.js',
      'dist/kustoWorker.js',
      'dist/server.js',
      'images/completion.png',
      'images/coverage.png',
      'images/diagnostics.png',
      'images/hover.png',
      'images/icon.png',
      'images/indicators-view.png',
      'images/insert-hunt.png',
      'images/quick-fix.png',
      'images/workspace-scan-progress.png',
      'images/workspace-scan.png',
      'snippets/kql.json',
      'syntaxes/kql.tmLanguage.json',
      'syntaxes/language-configuration.json',
      'walkthrough/example-hunt.kql',
      'walkthrough/threatfox.md',
    ].sort();
    assert.deepEqual(files, expected);
  });

  test('README images are in the package', () => {
    const readme = readFileSync('README.md', 'utf8');
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((match) => match[1]);
    assert.ok(images.length >= 3, 'the README shows no screenshots');
    const ignore = readFileSync('.vscodeignore', 'utf8');
    for (const image of images) {
      assert.ok(existsSync(image), `${image} is missing`);
      assert.ok(ignore.includes(`!${image}`), `${image} is not whitelisted in .vscodeignore`);
    }
  });
});
