import { splitBlocks } from '../blocks';
import { FormatOptions, FormatResult, PipePlacement } from './editingTypes';
import { KustoObject, toArray } from './loadKusto';
import { SyntaxTree } from './syntax';

// Formats one block with Kusto.Language's own formatter. The formatter is given one query at a
// time, because on a whole document it joins neighbouring queries into one. A result is used
// only when it changes nothing but whitespace and keeps every comment. The formatter drops
// blank lines inside a query; they are put back where the block stays one block with them.

/** Kusto's PlacementStyle member for each pipe placement setting. */
const PLACEMENT_STYLES: Record<PipePlacement, string> = { newLine: 'NewLine', smart: 'Smart', asIs: 'None' };

/** Passes of the formatter before its output must be stable; Kusto's output was stable after one on every input tried. */
const MAX_PASSES = 3;

export class BlockFormatter {
  constructor(private readonly syntax: SyntaxTree) {}

  format(text: string, options: FormatOptions): FormatResult {
    const code = this.syntax.kusto.KustoCode.Parse(text);
    const syntaxError = toArray(code.GetSyntaxDiagnostics?.() ?? code.GetDiagnostics()).find((diagnostic: KustoObject) => diagnostic.Severity === 'Error');
    if (syntaxError) return { ok: false, reason: `it has a syntax error (${syntaxError.Code} ${syntaxError.Message})`, offset: syntaxError.Start };

    let current = text;
    let currentCode = code;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const next = this.formatOnce(currentCode, options);
      if (next === current) break;
      const nextCode = this.syntax.kusto.KustoCode.Parse(next);
      const problem = this.compare(currentCode, nextCode);
      if (problem) return { ok: false, reason: problem };
      current = next;
      currentCode = nextCode;
    }
    const withBlankLines = this.restoreBlankLines(code, currentCode, current);
    const split = splitBlocks(withBlankLines);
    return { ok: true, text: split.length === 1 && split[0].text === withBlankLines ? withBlankLines : current };
  }

  /**
   * Puts back the blank lines of the original inside the formatted text: before each token that
   * had a blank line in front of it, after the same line break of its leading comments.
   */
  private restoreBlankLines(original: KustoObject, formatted: KustoObject, formattedText: string): string {
    const inserts: number[] = [];
    let before = original.Syntax.GetFirstToken(true);
    let after = formatted.Syntax.GetFirstToken(true);
    for (; before && after; before = before.GetNextToken(true), after = after.GetNextToken(true)) {
      const originalTrivia = (before.Trivia as string).replace(/\r\n?/g, '\n');
      const blank = /\n[ \t]*\n/.exec(originalTrivia);
      if (!blank) continue;
      const breakIndex = originalTrivia.slice(0, blank.index).split('\n').length - 1;
      const formattedTrivia = after.Trivia as string;
      const breaks = [...formattedTrivia.matchAll(/\n/g)].map((match) => match.index ?? 0);
      if (breaks.length === 0 || /\n[ \t]*\n/.test(formattedTrivia)) continue;
      const triviaStart = after.TextStart - formattedTrivia.length;
      inserts.push(triviaStart + breaks[Math.min(breakIndex, breaks.length - 1)]);
    }
    let text = formattedText;
    for (const offset of inserts.sort((a, b) => b - a)) text = `${text.slice(0, offset)}\n${text.slice(offset)}`;
    return text;
  }

  private formatOnce(code: KustoObject, options: FormatOptions): string {
    const editor = this.syntax.kusto.Editor;
    const formatting = editor.FormattingOptions.Default.WithIndentationSize(options.indentationSize)
      .WithPipeOperatorStyle(editor.PlacementStyle[PLACEMENT_STYLES[options.pipePlacement]])
      .WithInsertMissingTokens(false);
    const service = new editor.KustoCodeService.ctor(code);
    const formatted: string = service.GetFormattedText(formatting, 0)?.Text ?? code.Text;
    // Kusto writes CRLF after the lines it breaks and keeps the original break after comments.
    return formatted.replace(/\r\n?/g, '\n').trim();
  }

  /** Returns why a formatted text cannot replace the original, or undefined when only whitespace changed. */
  private compare(before: KustoObject, after: KustoObject): string | undefined {
    const tokensBefore = this.tokens(before);
    const tokensAfter = this.tokens(after);
    if (tokensBefore.code.join('\u0000') !== tokensAfter.code.join('\u0000')) return 'the formatter would change its code, not only its layout';
    if (tokensBefore.comments.join('\u0000') !== tokensAfter.comments.join('\u0000')) return 'the formatter would change its comments';
    return undefined;
  }

  /** The text of every token and every `//` comment, in order. */
  private tokens(code: KustoObject): { code: string[]; comments: string[] } {
    const result = { code: [] as string[], comments: [] as string[] };
    for (let token = code.Syntax.GetFirstToken(true); token; token = token.GetNextToken(true)) {
      result.code.push(token.Text);
      for (const comment of (token.Trivia as string).match(/\/\/[^\r\n]*/g) ?? []) result.comments.push(comment.trimEnd());
    }
    return result;
  }
}
