/** One CSV record with the line it starts on (a quoted cell may span lines). */
export interface CsvRow {
  readonly cells: string[];
  readonly line: number;
}

export interface CsvError {
  readonly error: string;
  readonly line: number;
}

/**
 * RFC 4180: comma-separated, cells optionally in double quotes, `""` for a quote inside a quoted
 * cell, CRLF or LF line ends, line breaks allowed inside quoted cells. Blank lines are skipped.
 */
export function* parseCsv(text: string): Generator<CsvRow | CsvError> {
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let cellStarted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = (): CsvRow | undefined => {
    cells.push(cell);
    const row = cells.length === 1 && cells[0] === '' ? undefined : { cells, line: rowLine };
    cells = [];
    cell = '';
    cellStarted = false;
    return row;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (char === '\n') line++;
        cell += char;
      }
      continue;
    }
    if (char === '"' && !cellStarted) {
      quoted = true;
      cellStarted = true;
    } else if (char === ',') {
      cells.push(cell);
      cell = '';
      cellStarted = false;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      const row = endRow();
      if (row !== undefined) yield row;
      line++;
      rowLine = line;
    } else {
      cell += char;
      cellStarted = true;
    }
  }
  if (quoted) {
    yield { error: `quoted cell opened on line ${rowLine} is never closed`, line: rowLine };
    return;
  }
  const last = endRow();
  if (last !== undefined) yield last;
}
