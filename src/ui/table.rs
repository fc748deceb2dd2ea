//! Tables for results: box-drawn and coloured on a terminal, plain aligned
//! columns otherwise. A [`fitted`] table (`ls`'s default view) is as wide as
//! the terminal (or `$COLUMNS` when set): a cell that does not fit is cut with
//! `…` on its one line, never wrapped. Colours are applied by the table after
//! any cutting, so an escape sequence is never split.

use std::fmt;
use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Row, presets};

pub use comfy_table::{Cell, Color};

/// A result table.
#[derive(Debug)]
pub struct Table {
    table: comfy_table::Table,
    /// Rows are cut to one line (a fitted table).
    one_line: bool,
}

/// A table with these column headers, every cell whole.
pub fn new(headers: &[&str]) -> Table {
    Table {
        table: styled(headers),
        one_line: false,
    }
}

/// A table with these column headers that fits the terminal's width (or
/// `$COLUMNS`), one line per row.
pub fn fitted(headers: &[&str]) -> Table {
    let terminal = std::io::stdout().is_terminal();
    let columns = std::env::var("COLUMNS").ok();
    let terminal_width = terminal.then(|| console::Term::stdout().size().1);
    let mut table = styled(headers);
    if let Some(width) = width(terminal_width, columns.as_deref()) {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    table.set_truncation_indicator("…");
    Table {
        table,
        one_line: true,
    }
}

fn styled(headers: &[&str]) -> comfy_table::Table {
    let terminal = std::io::stdout().is_terminal();
    let mut table = comfy_table::Table::new();
    if terminal {
        table.load_style(presets::UTF8_HORIZONTAL_ONLY);
    } else {
        table.load_style(presets::NOTHING);
    }
    // Colour only where a person reads it (and NO_COLOR is not set).
    if terminal && console::colors_enabled() {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(headers.to_vec());
    table
}

/// The width to fit: the terminal's, else `$COLUMNS`; `None`: unbounded.
fn width(terminal: Option<u16>, columns: Option<&str>) -> Option<u16> {
    terminal
        .filter(|w| *w > 0)
        .or_else(|| columns?.trim().parse().ok().filter(|w: &u16| *w >= 20))
}

impl Table {
    /// Adds a row of plain text or [`Cell`]s (coloured with [`cell`]).
    pub fn add_row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        let mut row = Row::from(cells.into_iter().map(Into::into).collect::<Vec<Cell>>());
        if self.one_line {
            row.max_height(1);
        }
        self.table.add_row(row);
    }
}

/// A cell in a colour (shown only on a terminal with colour).
pub fn cell(text: impl fmt::Display, color: Color) -> Cell {
    Cell::new(text).fg(color)
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.table.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_decides_the_width_then_columns() {
        assert_eq!(width(Some(120), Some("80")), Some(120));
        assert_eq!(width(None, Some("80")), Some(80));
        assert_eq!(width(None, Some(" 100\n")), Some(100));
        assert_eq!(width(None, Some("wide")), None);
        assert_eq!(width(None, Some("3")), None);
        assert_eq!(width(None, None), None);
    }

    #[test]
    fn long_cells_are_cut_on_one_line_and_colour_is_never_split() {
        let mut t = comfy_table::Table::new();
        t.load_style(presets::NOTHING)
            .enforce_styling()
            .set_width(40)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_truncation_indicator("…")
            .set_header(vec!["VERSION", "OWNER", "STATUS"]);
        let mut table = Table {
            table: t,
            one_line: true,
        };
        table.add_row([
            Cell::new("feature-2981"),
            Cell::new("someone.with.a.long.name@example.com"),
            cell("running 2/2", Color::Green),
        ]);
        let text = table.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        for line in &lines {
            let plain = console::strip_ansi_codes(line);
            assert!(console::measure_text_width(&plain) <= 40, "{line:?}");
        }
        assert!(lines[1].contains('…'), "{text}");
        // The colour is there, and every colour that starts is reset on the same line.
        assert!(lines[1].contains("\u{1b}["), "{:?}", lines[1]);
        assert_eq!(
            lines[1].matches("\u{1b}[38;5;").count() + lines[1].matches("\u{1b}[32m").count(),
            lines[1].matches("\u{1b}[39m").count() + lines[1].matches("\u{1b}[0m").count(),
            "{:?}",
            lines[1]
        );
    }
}
