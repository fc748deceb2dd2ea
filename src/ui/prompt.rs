//! Questions on a terminal; without one, a clear error naming the flag to pass.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input};

use super::Ui;
use crate::error::UserError;

fn cannot_ask(question: &str, flag: &str) -> anyhow::Error {
    UserError::usage(format!("{question}: cannot ask without a terminal"))
        .hint(format!("pass {flag}"))
        .into()
}

/// Asks for text, offering `default`; `validate` runs on the answer.
pub fn text(
    ui: &Ui,
    question: &str,
    default: Option<String>,
    flag: &str,
    validate: impl Fn(&String) -> Result<(), String>,
) -> anyhow::Result<String> {
    if !ui.interactive {
        return Err(cannot_ask(question, flag));
    }
    let theme = ColorfulTheme::default();
    let mut input = Input::<String>::with_theme(&theme)
        .with_prompt(question)
        .validate_with(|s: &String| validate(s));
    if let Some(d) = default {
        input = input.default(d);
    }
    Ok(input.interact_text()?)
}

/// Asks yes/no; `--yes` answers yes; without a terminal, `--yes` is required.
pub fn confirm(ui: &Ui, yes: bool, question: &str) -> anyhow::Result<bool> {
    if yes {
        return Ok(true);
    }
    if !ui.interactive {
        return Err(cannot_ask(question, "--yes to confirm"));
    }
    Ok(Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .default(false)
        .interact()?)
}
