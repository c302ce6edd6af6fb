/**
 * Text a data subject typed, made safe to quote to a third party (a recipient's mailbox, a
 * processor's API), which reads it as coming from us. What may not survive:
 *
 * - line breaks and tabs (CR, LF, VT, FF, NEL, U+2028, U+2029): they would let a value start a line
 *   of its own that reads like our own text, or like the end of the quoted block. Each run becomes
 *   one space, not a visible "⏎": every correctable field is a one-line input on the form, so a
 *   break is at most a pasted address line, and "Main St 12" says what "Main St⏎12" says.
 * - other control characters (Unicode Cc: C0, DEL, C1), including NUL.
 * - format characters (Cf): bidirectional overrides, embeddings and isolates (U+202A-U+202E,
 *   U+2066-U+2069, U+200E, U+200F, U+061C), which make text read in another order than it is
 *   stored; zero-width space, word joiner, BOM and soft hyphen, which hide inside words; tag
 *   characters. The joiners ZWNJ (U+200C) and ZWJ (U+200D) stay where real names need them:
 *   between two letters or marks (Persian, Indic scripts) or pictographs (emoji sequences).
 * - lone surrogates (Cs), which are not text and which mail and JSON encoders mangle.
 *
 * `unsafeCharacterIn` finds the first such character, so a submission can be refused with a 400
 * naming it; `quotableText` removes them, for whatever was stored before that check existed.
 */

/** A quoted value is cut to this many code points (the longest correction a submission accepts). */
export const maxQuotedLength = 500;

const lineBreaks = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x85, 0x2028, 0x2029]);
const removable = /^[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]$/u;
const joiners = new Set([0x200c, 0x200d]);
const joinable = /^[\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}]$/u;

type Kind = 'keep' | 'break' | 'remove';

/** The code points of `value`; a lone surrogate is one of them, on its own. */
function codePoints(value: string): string[] {
  return Array.from(value);
}

function kindAt(points: readonly string[], index: number): Kind {
  const point = points[index]!;
  const code = point.codePointAt(0)!;
  if (lineBreaks.has(code)) return 'break';
  if (!removable.test(point)) return 'keep';
  if (joiners.has(code)) {
    const before = points[index - 1];
    const after = points[index + 1];
    if (before !== undefined && after !== undefined && joinable.test(before) && joinable.test(after)) return 'keep';
  }
  return 'remove';
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** What a person can be told about a character they did not see: its code point and what it is. */
function describe(point: string): string {
  const code = point.codePointAt(0)!;
  if (lineBreaks.has(code)) return `a line break or tab (${hex(code)})`;
  if (/^\p{Cs}$/u.test(point)) return `a broken character (${hex(code)})`;
  if (/^\p{Cc}$/u.test(point)) return `a control character (${hex(code)})`;
  if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0x061c) {
    return `a text-direction control (${hex(code)})`;
  }
  return `an invisible formatting character (${hex(code)})`;
}

/** The first character `quotableText` would remove or replace, described for the person who typed it; undefined when there is none. */
export function unsafeCharacterIn(value: string): string | undefined {
  const points = codePoints(value);
  for (let index = 0; index < points.length; index += 1) {
    if (kindAt(points, index) !== 'keep') return describe(points[index]!);
  }
  return undefined;
}

/**
 * `value` with line breaks made single spaces, invisible and control characters removed, trimmed,
 * and cut to `maxLength` code points (ending in "…" when cut). A value `unsafeCharacterIn` accepts
 * comes back unchanged, but for trimming and the cut.
 */
export function quotableText(value: string, maxLength: number = maxQuotedLength): string {
  const points = codePoints(value);
  const kept: string[] = [];
  let pendingBreak = false;
  for (let index = 0; index < points.length; index += 1) {
    const kind = kindAt(points, index);
    if (kind === 'break') pendingBreak = true;
    if (kind !== 'keep') continue;
    if (pendingBreak && kept.length > 0 && kept[kept.length - 1] !== ' ' && points[index] !== ' ') kept.push(' ');
    pendingBreak = false;
    kept.push(points[index]!);
  }
  const text = kept.join('').trim();
  const limited = codePoints(text);
  return limited.length <= maxLength
    ? text
    : `${limited
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`;
}
