//! Every label a member sees on a control, in one place: the commands and options the bot
//! registers, the buttons under its replies, the moderator forms and the volunteer thread's
//! name. What the bot *says* is not here but in [`crate::answer::reply`].

use crate::discord::router::CustomId;
use crate::faq::store::EntryDraft;
use crate::text::truncate;
use serenity::all::{
    ButtonStyle, CommandOptionType, CommandType, CreateActionRow, CreateButton, CreateCommand,
    CreateCommandOption, CreateInputText, CreateModal, InputTextStyle, InteractionContext,
    Permissions,
};

/// `/ask`.
pub(crate) const ASK: &str = "ask";
/// `/faq` (members).
pub(crate) const FAQ: &str = "faq";
/// `/faq-admin` (moderators).
pub(crate) const FAQ_ADMIN: &str = "faq-admin";
/// The message context-menu command.
pub(crate) const ANSWER_FROM_FAQ: &str = "Answer from FAQ";

/// Subcommand and option names, as registered and as dispatched.
pub(crate) mod names {
    /// `/faq show`.
    pub(crate) const SHOW: &str = "show";
    /// `/faq list`.
    pub(crate) const LIST: &str = "list";
    /// `/faq help`.
    pub(crate) const HELP: &str = "help";
    /// `/faq-admin add`.
    pub(crate) const ADD: &str = "add";
    /// `/faq-admin edit`.
    pub(crate) const EDIT: &str = "edit";
    /// `/faq-admin remove`.
    pub(crate) const REMOVE: &str = "remove";
    /// `/faq-admin reload`.
    pub(crate) const RELOAD: &str = "reload";
    /// `/faq-admin gaps`.
    pub(crate) const GAPS: &str = "gaps";
    /// `/faq-admin stats`.
    pub(crate) const STATS: &str = "stats";
    /// `/ask question`.
    pub(crate) const QUESTION: &str = "question";
    /// `/ask private`: only the asker sees the answer.
    pub(crate) const PRIVATE: &str = "private";
    /// The entry option of `show`, `edit` and `remove` (autocompleted).
    pub(crate) const TOPIC: &str = "topic";
    /// `/faq-admin gaps days`.
    pub(crate) const DAYS: &str = "days";
}
use names::*;

/// Longest question accepted by `/ask`.
pub(crate) const QUESTION_MAX: u16 = 1_000;
/// Discord's limit on autocomplete choices.
pub(crate) const MAX_CHOICES: usize = 25;
/// Discord's limit on a choice's name.
pub(crate) const CHOICE_NAME_MAX: usize = 100;
/// Longest text a Discord form field holds.
pub(crate) const FIELD_MAX: usize = 4_000;
/// Discord's limit on a button label.
const LABEL_MAX: usize = 80;
/// Name of the thread opened for a volunteer.
pub(crate) const VOLUNTEER_THREAD: &str = "Talk to a volunteer";
/// Title of the `/faq-admin add` form.
pub(crate) const ADD_FORM: &str = "Add an FAQ entry";
/// Title of the `/faq-admin edit` form.
pub(crate) const EDIT_FORM: &str = "Edit an FAQ entry";

/// Ids of the entry form's fields.
pub(crate) mod fields {
    /// The question.
    pub(crate) const QUESTION: &str = "question";
    /// Other ways to ask it, one per line.
    pub(crate) const ALIASES: &str = "aliases";
    /// The answer's paragraphs.
    pub(crate) const ANSWER: &str = "answer";
}

fn topic_option(description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, TOPIC, description)
        .required(true)
        .set_autocomplete(true)
        .max_length(100)
}

/// `/ask question`.
pub(crate) fn ask_command() -> CreateCommand {
    CreateCommand::new(ASK)
        .description("Ask the FAQ a question")
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::String,
                QUESTION,
                "Your question, in your own words",
            )
            .required(true)
            .max_length(QUESTION_MAX),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::Boolean,
            PRIVATE,
            "Only you see the answer",
        ))
}

/// `/faq show | list | help`.
pub(crate) fn faq_command() -> CreateCommand {
    CreateCommand::new(FAQ)
        .description("Browse the FAQ")
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, SHOW, "Show one FAQ entry")
                .add_sub_option(topic_option("The FAQ topic")),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            LIST,
            "List every FAQ topic",
        ))
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            HELP,
            "How to ask the FAQ bot",
        ))
}

/// `/faq-admin add | edit | remove | reload | gaps | stats`: a top-level command of its own,
/// because Discord applies `default_member_permissions` per top-level command.
pub(crate) fn faq_admin_command() -> CreateCommand {
    CreateCommand::new(FAQ_ADMIN)
        .description("Edit the FAQ (moderators)")
        .default_member_permissions(Permissions::MANAGE_MESSAGES)
        .contexts(vec![InteractionContext::Guild])
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            ADD,
            "Add an FAQ entry",
        ))
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, EDIT, "Edit an FAQ entry")
                .add_sub_option(topic_option("The entry to edit")),
        )
        .add_option(
            CreateCommandOption::new(CommandOptionType::SubCommand, REMOVE, "Remove an FAQ entry")
                .add_sub_option(topic_option("The entry to remove")),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            RELOAD,
            "Re-read the FAQ files",
        ))
        .add_option(
            CreateCommandOption::new(
                CommandOptionType::SubCommand,
                GAPS,
                "The most frequent unanswered and \"Not helpful\" questions",
            )
            .add_sub_option(
                CreateCommandOption::new(
                    CommandOptionType::Integer,
                    DAYS,
                    "How many days back to look (default 30)",
                )
                .min_int_value(1)
                .max_int_value(365),
            ),
        )
        .add_option(CreateCommandOption::new(
            CommandOptionType::SubCommand,
            STATS,
            "Questions, answer rate and helpful rate over 7 and 30 days",
        ))
}

/// The message context-menu command "Answer from FAQ".
pub(crate) fn answer_from_faq_command() -> CreateCommand {
    CreateCommand::new(ANSWER_FROM_FAQ).kind(CommandType::Message)
}

/// The buttons under a reply to the question remembered under `key`: "Helpful" and "Not
/// helpful" when it answered, "Other matches" when there are some, and "Talk to a volunteer"
/// when helpers can be asked. One row, or none.
pub(crate) fn answer_buttons(
    key: u64,
    answered: bool,
    has_more: bool,
    volunteer: bool,
    removable_by: Option<u64>,
) -> Vec<CreateActionRow> {
    let mut row = Vec::new();
    if answered {
        row.push(
            CreateButton::new(
                CustomId::Feedback {
                    helpful: true,
                    key: Some(key),
                }
                .to_string(),
            )
            .label("Helpful")
            .style(ButtonStyle::Success),
        );
        row.push(
            CreateButton::new(
                CustomId::Feedback {
                    helpful: false,
                    key: Some(key),
                }
                .to_string(),
            )
            .label("Not helpful")
            .style(ButtonStyle::Secondary),
        );
    }
    if has_more {
        row.push(
            CreateButton::new(CustomId::More(Some(key)).to_string())
                .label("Other matches")
                .style(ButtonStyle::Primary),
        );
    }
    if volunteer {
        row.push(
            CreateButton::new(CustomId::Volunteer(Some(key)).to_string())
                .label("Talk to a volunteer")
                .style(ButtonStyle::Secondary),
        );
    }
    if let Some(asker) = removable_by {
        row.push(
            CreateButton::new(CustomId::RemoveAnswer(Some(asker)).to_string())
                .label("🗑")
                .style(ButtonStyle::Secondary),
        );
    }
    if row.is_empty() {
        Vec::new()
    } else {
        vec![CreateActionRow::Buttons(row)]
    }
}

/// "Remove" and "Keep it" under a removal's confirmation.
pub(crate) fn removal_buttons(token: &str) -> Vec<CreateActionRow> {
    let remove = |confirmed| {
        CustomId::Remove {
            token: token.to_string(),
            confirmed,
        }
        .to_string()
    };
    vec![CreateActionRow::Buttons(vec![
        CreateButton::new(remove(true))
            .label("Remove")
            .style(ButtonStyle::Danger),
        CreateButton::new(remove(false))
            .label("Keep it")
            .style(ButtonStyle::Secondary),
    ])]
}

/// An "Add as alias" button under the gap report: group `number` (from 1) becomes an alias of
/// the entry `entry`, from the stored question `question_id`.
pub(crate) fn alias_button(number: usize, entry: &str, question_id: i64) -> CreateActionRow {
    CreateActionRow::Buttons(vec![CreateButton::new(
        CustomId::GapAlias(Some(question_id)).to_string(),
    )
    .label(truncate(
        &format!("Add {number} as alias of {entry}"),
        LABEL_MAX,
    ))
    .style(ButtonStyle::Primary)])
}

/// The add/edit form (pre-filled from `draft` for an edit), remembered under `token`.
pub(crate) fn entry_form(token: &str, title: &str, draft: Option<&EntryDraft>) -> CreateModal {
    let mut question = CreateInputText::new(InputTextStyle::Short, "Question", fields::QUESTION)
        .required(true)
        .max_length(300)
        .placeholder("How is IL-2 given?");
    let mut aliases = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Other ways to ask it (one per line)",
        fields::ALIASES,
    )
    .required(false)
    .max_length(FIELD_MAX as u16);
    let mut answer = CreateInputText::new(
        InputTextStyle::Paragraph,
        "Answer (paragraphs separated by a blank line)",
        fields::ANSWER,
    )
    .required(true)
    .max_length(FIELD_MAX as u16);
    if let Some(d) = draft {
        question = question.value(truncate(&d.question, 300));
        if !d.aliases.is_empty() {
            aliases = aliases.value(truncate(&d.aliases.join("\n"), FIELD_MAX));
        }
        answer = answer.value(d.body.clone());
    }
    CreateModal::new(CustomId::Form(token.to_string()).to_string(), title).components(vec![
        CreateActionRow::InputText(question),
        CreateActionRow::InputText(aliases),
        CreateActionRow::InputText(answer),
    ])
}
