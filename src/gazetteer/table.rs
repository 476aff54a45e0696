//! The one file format every gazetteer shares: TAB-separated, a header
//! row, `#` comments and blank lines allowed, no quoting. Parsing is pure
//! (text in, rows and diagnostics out) so tests feed strings.

use rayon::prelude::*;

use crate::error::Diagnostic;

/// One data line of a table, with the line number it came from.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub line: usize,
    cells: Vec<&'a str>,
    header: &'a [String],
}

/// Where a column is in a table's rows, looked up once by
/// [`Table::column`] for code that reads a million rows.
#[derive(Debug, Clone, Copy)]
pub struct Column(Option<usize>);

impl<'a> Row<'a> {
    /// The trimmed cell under `column`, or "" when the column or cell is absent.
    pub fn get(&self, column: &str) -> &'a str {
        self.at(Column(self.header.iter().position(|h| h == column)))
    }

    /// [`Row::get`] for a column already looked up.
    pub fn at(&self, column: Column) -> &'a str {
        column.0.and_then(|i| self.cells.get(i)).map_or("", |c| c.trim())
    }

    /// A `|`-separated cell as a list of non-empty trimmed items.
    pub fn list(&self, column: &str) -> Vec<&'a str> {
        split_list(self.get(column))
    }
}

/// Splits a `|`-separated cell.
pub fn split_list(cell: &str) -> Vec<&str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty()).collect()
}

/// A parsed table: its header and data rows (borrowed from the file's text).
#[derive(Debug, Default)]
pub struct Table<'a> {
    pub header: Vec<String>,
    pub lines: Vec<(usize, &'a str)>,
}

impl<'a> Table<'a> {
    /// Parses `text` from file `path`. `known` lists the columns this kind of
    /// file may have, `required` those it must have. Problems go to `diags`.
    pub fn parse(
        path: &str,
        text: &'a str,
        known: &[&str],
        required: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Table<'a> {
        let mut table = Table::default();
        let mut header_line = 0;
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
            let start = line.trim_start();
            if start.is_empty() || start.starts_with('#') {
                continue;
            }
            if table.header.is_empty() {
                header_line = line_no;
                table.header = line.split('\t').map(|h| h.trim().to_lowercase()).collect();
                for h in &table.header {
                    if !known.contains(&h.as_str()) {
                        diags.push(Diagnostic::error(
                            path,
                            line_no,
                            format!("unknown column \"{h}\" (known: {})", known.join(", ")),
                        ));
                    }
                }
                for r in required {
                    if !table.header.iter().any(|h| h == r) {
                        diags.push(Diagnostic::error(
                            path,
                            line_no,
                            format!("missing required column \"{r}\""),
                        ));
                    }
                }
                continue;
            }
            // One more cell than TABs: counted with memchr, as a million-row
            // file makes this loop (unlike reading the rows) a sequential cost.
            let cells = memchr::memchr_iter(b'\t', line.as_bytes()).count() + 1;
            if cells > table.header.len() {
                diags.push(Diagnostic::error(
                    path,
                    line_no,
                    format!(
                        "{cells} cells but the header (line {header_line}) has {} columns",
                        table.header.len()
                    ),
                ));
                continue;
            }
            table.lines.push((line_no, line));
        }
        if table.header.is_empty() && !text.trim().is_empty() {
            diags.push(Diagnostic::error(path, 1, "no header row"));
        }
        table
    }

    /// The data rows, each borrowing from the table.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> {
        self.lines.iter().map(move |&(line, text)| self.row(line, text))
    }

    /// Where `name` is in this table's rows.
    pub fn column(&self, name: &str) -> Column {
        Column(self.header.iter().position(|h| h == name))
    }

    /// [`Table::rows`], in parallel.
    pub fn par_rows(&self) -> impl IndexedParallelIterator<Item = Row<'_>> {
        self.lines.par_iter().map(move |&(line, text)| self.row(line, text))
    }

    fn row<'t>(&'t self, line: usize, text: &'t str) -> Row<'t> {
        Row { line, cells: cells(text).collect(), header: &self.header }
    }
}

/// The TAB-separated cells of a line: what `line.split('\t')` gives, found
/// by a plain byte loop, which is faster than `split`'s search on cells of
/// a few bytes.
fn cells(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(line);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'\t') {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rows_with_line_numbers_and_comments() {
        let text = "# a comment\n\nid\tname\tnote\nJPN\tJapan\n# off\nVNM\tVietnam\tx\n";
        let mut d = vec![];
        let t = Table::parse("c.tsv", text, &["id", "name", "note"], &["id"], &mut d);
        assert!(d.is_empty(), "{d:?}");
        let rows: Vec<_> = t.rows().map(|r| (r.line, r.get("id"), r.get("note"))).collect();
        assert_eq!(rows, vec![(4, "JPN", ""), (6, "VNM", "x")]);
    }

    #[test]
    fn columns_looked_up_once_read_what_get_reads() {
        let text = "name\tid\tnote\n Japan \tJPN\nViet Nam\tVNM\tx\n";
        let t =
            Table::parse("c.tsv", text, &["id", "name", "note", "status"], &["id"], &mut vec![]);
        for column in ["id", "name", "note", "status"] {
            let at = t.column(column);
            for row in t.rows() {
                assert_eq!(row.at(at), row.get(column), "{column} on line {}", row.line);
            }
        }
        let names: Vec<&str> = t.rows().map(|r| r.at(t.column("name"))).collect();
        assert_eq!(names, ["Japan", "Viet Nam"]);
    }

    #[test]
    fn reports_unknown_columns_and_long_rows() {
        let text = "id\tnmae\nA\tB\tC\n";
        let mut d = vec![];
        Table::parse("x.tsv", text, &["id", "name"], &["id", "name"], &mut d);
        let msgs: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(msgs[0].starts_with("x.tsv:1: error: unknown column \"nmae\""));
        assert!(msgs[1].contains("missing required column \"name\""));
        assert!(msgs[2].starts_with("x.tsv:2: error: 3 cells"));
    }

    #[test]
    fn cells_are_what_split_on_tabs_gives() {
        for line in ["", "a", "\t", "a\tb", "\ta\t\tbé\t", " x \t\t y", "é\tü"] {
            let split: Vec<&str> = line.split('\t').collect();
            assert_eq!(cells(line).collect::<Vec<_>>(), split, "{line:?}");
        }
    }

    #[test]
    fn lists_split_on_bars() {
        assert_eq!(split_list(" US| U.S. ||USA "), vec!["US", "U.S.", "USA"]);
    }
}
