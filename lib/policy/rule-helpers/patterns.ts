// What a parameter's AllowedPattern admits, where that is knowable before deployment.
//
// CloudFormation matches a String parameter's value, as a whole, against its AllowedPattern (a
// Java regular expression): https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html.
// The evaluation needs two answers: whether one value matches (to drop a Default or AllowedValues
// the pattern rejects) and, where the pattern admits only a few strings, which ones (to judge each).

/** At most this many strings are listed for one pattern; a pattern admitting more is "open". */
export const MAX_PATTERN_VALUES = 16;

/**
 * Whether a value matches a pattern as a whole, or `undefined` when the pattern is not one this
 * code can read the same way as Java (it does not compile as a JavaScript regular expression, or
 * uses a construct whose meaning differs: possessive quantifiers, `\p{...}` classes, inline flags).
 */
export function patternMatches(pattern: string, value: string): boolean | undefined {
  if (/\\[pPQEAzZG]|\+\+|\*\+|\?\+|\}\+|\(\?[a-zA-Z]/.test(pattern)) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return undefined;
  }
}

class Open extends Error {}

/**
 * Every string a pattern admits, when it admits at most {@link MAX_PATTERN_VALUES} and uses only
 * literals, escapes of punctuation, `\d`, character classes without negation, groups, `|`, `?`
 * and bounded `{n}` / `{n,m}` (and `^`/`$` at its ends); `undefined` for any other pattern.
 */
export function patternValues(pattern: string): string[] | undefined {
  let body = pattern;
  if (body.startsWith('^')) body = body.slice(1);
  if (body.endsWith('$') && !body.endsWith('\\$')) body = body.slice(0, -1);
  let i = 0;
  const cap = (values: string[]): string[] => {
    const distinct = [...new Set(values)];
    if (distinct.length > MAX_PATTERN_VALUES) throw new Open();
    return distinct;
  };
  const product = (a: string[], b: string[]) => cap(a.flatMap((x) => b.map((y) => x + y)));
  const alternation = (): string[] => {
    let out = sequence();
    while (body[i] === '|') {
      i++;
      out = cap([...out, ...sequence()]);
    }
    return out;
  };
  const sequence = (): string[] => {
    let out = [''];
    while (i < body.length && body[i] !== '|' && body[i] !== ')') {
      const unit = atom();
      out = product(out, quantified(unit));
    }
    return out;
  };
  const quantified = (unit: string[]): string[] => {
    const q = body[i];
    if (q === '*' || q === '+') throw new Open();
    if (q === '?') {
      i++;
      if (body[i] === '?' || body[i] === '+') throw new Open();
      return cap(['', ...unit]);
    }
    if (q === '{') {
      const m = /^\{(\d+)(?:,(\d+))?\}/.exec(body.slice(i));
      if (!m) throw new Open();
      i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : Number(m[2]);
      if (max < min) throw new Open();
      let out: string[] = [];
      let power = [''];
      for (let n = 0; n <= max; n++) {
        if (n >= min) out = cap([...out, ...power]);
        if (n < max) power = product(power, unit);
      }
      return out;
    }
    return unit;
  };
  const atom = (): string[] => {
    const c = body[i++];
    if (c === '(') {
      if (body[i] === '?') {
        if (body[i + 1] !== ':') throw new Open();
        i += 2;
      }
      const inner = alternation();
      if (body[i++] !== ')') throw new Open();
      return inner;
    }
    if (c === '[') return charClass();
    if (c === '\\') return escape();
    if ('.*+?{}^$)]|'.includes(c)) throw new Open();
    return [c];
  };
  const escape = (): string[] => {
    const e = body[i++];
    if (e === undefined) throw new Open();
    if (e === 'd') return cap([...'0123456789']);
    if (/[A-Za-z0-9]/.test(e)) throw new Open();
    return [e];
  };
  const charClass = (): string[] => {
    if (body[i] === '^') throw new Open();
    const chars: string[] = [];
    let first = true;
    while (i < body.length && (body[i] !== ']' || first)) {
      first = false;
      let c = body[i++];
      if (c === '[' || c === '&') throw new Open();
      if (c === '\\') {
        const e = body[i++];
        if (e === 'd') {
          chars.push(...'0123456789');
          continue;
        }
        if (e === undefined || /[A-Za-z0-9]/.test(e)) throw new Open();
        c = e;
      }
      if (body[i] === '-' && body[i + 1] !== undefined && body[i + 1] !== ']') {
        const to = body[i + 1];
        if (to === '\\' || to === '[') throw new Open();
        i += 2;
        for (let code = c.charCodeAt(0); code <= to.charCodeAt(0); code++) {
          chars.push(String.fromCharCode(code));
          if (chars.length > MAX_PATTERN_VALUES) throw new Open();
        }
      } else chars.push(c);
    }
    if (body[i++] !== ']') throw new Open();
    return cap(chars);
  };
  try {
    const values = alternation();
    if (i !== body.length) return undefined;
    // Read back with the matcher, so a value listed here is one the pattern really admits.
    return values.every((v) => patternMatches(pattern, v) === true) ? values : undefined;
  } catch (e) {
    if (e instanceof Open) return undefined;
    throw e;
  }
}
