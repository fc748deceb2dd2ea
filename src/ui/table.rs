//! Tables for results: box-drawn on a terminal, plain aligned columns otherwise.

use std::io::IsTerminal;

use comfy_table::{ContentArrangement, Table, presets};

/// A table with these column headers.
pub fn new(headers: &[&str]) -> Table {
    let mut table = Table::new();
    if std::io::stdout().is_terminal() {
        table
            .load_style(presets::UTF8_HORIZONTAL_ONLY)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.load_style(presets::NOTHING);
    }
    table.set_header(headers.to_vec());
    table
}
