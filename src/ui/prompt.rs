//! Questions on a terminal; without one, a clear error naming the flag to pass.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, Select};

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

/// Asks for a value of type `T`: the answer is parsed as it is typed, and a
/// person is asked again until it parses.
pub fn value<T>(ui: &Ui, question: &str, default: Option<&T>, flag: &str) -> anyhow::Result<T>
where
    T: std::str::FromStr + std::fmt::Display,
    T::Err: std::fmt::Display,
{
    let answer = text(ui, question, default.map(T::to_string), flag, |s| {
        s.parse::<T>().map(|_| ()).map_err(|e| e.to_string())
    })?;
    answer
        .parse::<T>()
        .map_err(|e| UserError::usage(format!("{question}: {e}")).into())
}

/// Asks yes/no (the settings' confirmation policy decides whether to ask at all).
pub fn confirm(ui: &Ui, question: &str) -> anyhow::Result<bool> {
    if !ui.interactive {
        return Err(cannot_ask(question, "--yes to confirm"));
    }
    Ok(Confirm::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .default(false)
        .interact()?)
}

/// Asks to choose one of `items`; returns its index.
pub fn select(
    ui: &Ui,
    question: &str,
    items: &[String],
    default: usize,
    flag: &str,
) -> anyhow::Result<usize> {
    if !ui.interactive {
        return Err(cannot_ask(question, flag));
    }
    Ok(Select::with_theme(&ColorfulTheme::default())
        .with_prompt(question)
        .items(items)
        .default(default)
        .interact()?)
}
