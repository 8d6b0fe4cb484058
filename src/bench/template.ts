/**
 * @file The benchmark's words are data, not code: bench/template/*.md hold every sentence the
 * report, the targets and the run's notes say, in named blocks, and the code fills in the numbers.
 *
 * A template is Markdown: a line `<!-- name -->` starts the block `name`, which runs to the next
 * such line. As in Markdown, the lines of one paragraph (or list item) are one line of output:
 * a line joins the one above it unless either is blank or it starts a heading (`#`), a list item
 * (`- `), a table row (`|`), an image (`![`) or a placeholder of its own (`{{…}}`, for a value of
 * several lines, such as a table). `{{key}}` is replaced by the value given for `key`; a key the
 * code does not give, or a block it asks for that the template lacks, is an error, so the two
 * cannot drift apart in silence.
 */

type Values = Record<string, string | number>;

/** A line that never joins the line above it. */
const STARTS_BLOCK = /^(#|- |\||!\[|\{\{[^}]+\}\}$)/;

function joinParagraphs(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const previous = out.at(-1);
    if (previous && line.trim() && !STARTS_BLOCK.test(line.trim())) out[out.length - 1] = `${previous} ${line.trim()}`;
    else out.push(line.trimEnd());
  }
  return out;
}

export class Template {
  private readonly blocks = new Map<string, string>();

  constructor(
    readonly file: string,
    text: string,
  ) {
    let name: string | null = null;
    let lines: string[] = [];
    const close = () => {
      if (name !== null) this.blocks.set(name, joinParagraphs(lines).join('\n').trim());
    };
    for (const line of text.split('\n')) {
      const start = /^<!-- ([\w-]+) -->$/.exec(line.trim());
      if (start) {
        close();
        name = start[1];
        lines = [];
      } else lines.push(line);
    }
    close();
  }

  /** The block `name` with its placeholders filled. */
  fill(name: string, values: Values = {}): string {
    const block = this.blocks.get(name);
    if (block === undefined) throw new Error(`${this.file} has no block ${name}`);
    return block.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
      if (!(key in values)) throw new Error(`${this.file}, block ${name}: no value for {{${key}}}`);
      return String(values[key]);
    });
  }
}
