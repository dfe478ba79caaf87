//! The members' commands and buttons, one file per group: `ask.rs` (/ask), `faq.rs` (/faq),
//! `context.rs` ("Answer from FAQ"), `buttons.rs` (the buttons under answers). Moderator
//! commands live in [`crate::discord::admin`]; registration in [`crate::discord::ui`].

pub(crate) mod ask;
pub(crate) mod buttons;
pub(crate) mod context;
pub(crate) mod faq;

use serenity::all::{CommandDataOption, CommandDataOptionValue};
use std::collections::HashMap;

/// A command's options flattened: the subcommand path, string values, and the focused
/// (autocomplete) option's name and partial value.
#[derive(Debug, Default)]
pub(crate) struct Options {
    /// Subcommand names, outermost first.
    pub path: Vec<String>,
    /// String-like option values by name.
    pub values: HashMap<String, String>,
    /// The option being typed, for autocomplete.
    pub focused: Option<(String, String)>,
}

impl Options {
    /// Flattens raw options.
    pub(crate) fn parse(options: &[CommandDataOption]) -> Self {
        let mut out = Options::default();
        out.walk(options);
        out
    }

    fn walk(&mut self, options: &[CommandDataOption]) {
        for o in options {
            match &o.value {
                CommandDataOptionValue::SubCommand(inner)
                | CommandDataOptionValue::SubCommandGroup(inner) => {
                    self.path.push(o.name.clone());
                    self.walk(inner);
                }
                CommandDataOptionValue::String(s) => {
                    self.values.insert(o.name.clone(), s.clone());
                }
                CommandDataOptionValue::Autocomplete { value, .. } => {
                    self.focused = Some((o.name.clone(), value.clone()));
                }
                CommandDataOptionValue::Integer(i) => {
                    self.values.insert(o.name.clone(), i.to_string());
                }
                CommandDataOptionValue::Boolean(b) => {
                    self.values.insert(o.name.clone(), b.to_string());
                }
                _ => {}
            }
        }
    }

    /// The first subcommand name, or "".
    pub(crate) fn sub(&self) -> &str {
        self.path.first().map(String::as_str).unwrap_or("")
    }

    /// A string option.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A boolean option: true only when given and true.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }
}
