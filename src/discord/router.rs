//! Routing interactions to their handlers, and the one way the bot answers them.
//!
//! Every custom id the bot puts on a button or form is a [`CustomId`], written and read only
//! here. Every command is one row of [`COMMANDS`]: its name, its registration and its handler
//! side by side. Handlers say what to answer ([`Handled`]: a [`Response`] or a [`Refusal`]) and
//! never send anything to the interaction themselves: [`send`] does, for all of them, pinging
//! nobody, within Discord's rate limits and its 3-second deadline ([`crate::discord::rest`]).

use crate::answer::{Refusal, Reply};
use crate::discord::admin;
use crate::discord::commands::{ask, buttons, context, faq, Options};
use crate::discord::render;
use crate::discord::rest::{Call, Pace, RestError};
use crate::discord::state::BotState;
use crate::discord::ui;
use serenity::all::{
    AutocompleteChoice, CommandInteraction, CommandType, ComponentInteraction, Context,
    CreateActionRow, CreateAutocompleteResponse, CreateCommand, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateModal, Interaction, InteractionId, ModalInteraction,
};
use serenity::futures::future::BoxFuture;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The custom id of a button or form the bot made: what it is for, and the key of whatever it
/// acts on. A key that does not parse reads as `None`, so the handler can say the button is
/// stale, exactly as for a key it no longer remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CustomId {
    /// "Helpful" / "Not helpful" under the answer to question `key`.
    Feedback {
        /// Which of the two.
        helpful: bool,
        /// The question's key ([`BotState::remember_answer`]).
        key: Option<u64>,
    },
    /// "Other matches" for question `key`.
    More(Option<u64>),
    /// "Talk to a volunteer" under the answer to question `key`.
    Volunteer(Option<u64>),
    /// 🗑 under a public answer: removes it, for the member who asked (this user id) or a
    /// moderator.
    RemoveAnswer(Option<u64>),
    /// "Remove" (`confirmed`) or "Keep it" for the pending removal `token`.
    Remove {
        /// The pending removal ([`BotState::stash_removal`]).
        token: String,
        /// "Remove" rather than "Keep it".
        confirmed: bool,
    },
    /// "Add as alias" for the stored question with this row id.
    GapAlias(Option<i64>),
    /// The add/edit form for the pending form `token`.
    Form(String),
}

const HELPFUL: &str = "fb:y:";
const NOT_HELPFUL: &str = "fb:n:";
const MORE: &str = "more:";
const VOLUNTEER: &str = "volunteer:";
const REMOVE_ANSWER: &str = "rm-answer:";
const REMOVE_YES: &str = "faq-rm:";
const REMOVE_NO: &str = "faq-rm-no:";
const GAP_ALIAS: &str = "gap-alias:";
const FORM: &str = "faq-form:";

impl fmt::Display for CustomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = |k: &Option<u64>| k.map(|k| k.to_string()).unwrap_or_default();
        match self {
            CustomId::Feedback { helpful, key: k } => {
                let prefix = if *helpful { HELPFUL } else { NOT_HELPFUL };
                write!(f, "{prefix}{}", key(k))
            }
            CustomId::More(k) => write!(f, "{MORE}{}", key(k)),
            CustomId::Volunteer(k) => write!(f, "{VOLUNTEER}{}", key(k)),
            CustomId::RemoveAnswer(k) => write!(f, "{REMOVE_ANSWER}{}", key(k)),
            CustomId::Remove { token, confirmed } => {
                let prefix = if *confirmed { REMOVE_YES } else { REMOVE_NO };
                write!(f, "{prefix}{token}")
            }
            CustomId::GapAlias(id) => {
                write!(
                    f,
                    "{GAP_ALIAS}{}",
                    id.map(|i| i.to_string()).unwrap_or_default()
                )
            }
            CustomId::Form(token) => write!(f, "{FORM}{token}"),
        }
    }
}

impl CustomId {
    /// Reads a custom id; `None` when it is not one the bot makes.
    pub(crate) fn parse(id: &str) -> Option<CustomId> {
        let key = |k: &str| k.parse::<u64>().ok();
        if let Some(k) = id.strip_prefix(HELPFUL) {
            Some(CustomId::Feedback {
                helpful: true,
                key: key(k),
            })
        } else if let Some(k) = id.strip_prefix(NOT_HELPFUL) {
            Some(CustomId::Feedback {
                helpful: false,
                key: key(k),
            })
        } else if let Some(k) = id.strip_prefix(VOLUNTEER) {
            Some(CustomId::Volunteer(key(k)))
        } else if let Some(k) = id.strip_prefix(REMOVE_ANSWER) {
            Some(CustomId::RemoveAnswer(key(k)))
        } else if let Some(k) = id.strip_prefix(MORE) {
            Some(CustomId::More(key(k)))
        } else if let Some(t) = id.strip_prefix(REMOVE_NO) {
            Some(CustomId::Remove {
                token: t.to_string(),
                confirmed: false,
            })
        } else if let Some(t) = id.strip_prefix(REMOVE_YES) {
            Some(CustomId::Remove {
                token: t.to_string(),
                confirmed: true,
            })
        } else if let Some(i) = id.strip_prefix(GAP_ALIAS) {
            Some(CustomId::GapAlias(i.parse::<i64>().ok()))
        } else {
            id.strip_prefix(FORM).map(|t| CustomId::Form(t.to_string()))
        }
    }
}

/// How to acknowledge an interaction whose answer takes longer than Discord's 3 seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ack {
    /// "Thinking…", seen only by the member; the answer replaces it.
    Ephemeral,
    /// Nothing visible (a button press): the answer replaces the message the button was on.
    Update,
}

/// A reply and the buttons under it.
pub(crate) type Shown = (Reply, Vec<CreateActionRow>);

/// What a handler answers an interaction with.
pub(crate) enum Response<'a> {
    /// A message: public, or seen only by the member (`ephemeral`).
    Message {
        /// The reply.
        reply: Reply,
        /// Its buttons.
        buttons: Vec<CreateActionRow>,
        /// Seen only by the member.
        ephemeral: bool,
    },
    /// A form to fill in.
    Form(CreateModal),
    /// Autocomplete choices.
    Choices(Vec<AutocompleteChoice>),
    /// Slow work (writing files, re-indexing, reports, threads): acknowledged at once, then
    /// the acknowledgement is edited with what `work` gives.
    Later {
        /// The acknowledgement.
        ack: Ack,
        /// The work; a refusal is shown like any reply.
        work: BoxFuture<'a, Result<Shown, Refusal>>,
    },
}

impl<'a> Response<'a> {
    /// A reply only the member sees, without buttons.
    pub(crate) fn private(reply: Reply) -> Self {
        Response::Message {
            reply,
            buttons: Vec::new(),
            ephemeral: true,
        }
    }

    /// A reply everyone in the channel sees, with its buttons.
    pub(crate) fn public(reply: Reply, buttons: Vec<CreateActionRow>) -> Self {
        Response::Message {
            reply,
            buttons,
            ephemeral: false,
        }
    }

    /// Acknowledges now and shows what `work` gives when it is done.
    pub(crate) fn later(
        ack: Ack,
        work: impl std::future::Future<Output = Result<Shown, Refusal>> + Send + 'a,
    ) -> Self {
        Response::Later {
            ack,
            work: Box::pin(work),
        }
    }
}

/// What every handler returns: a response, or a refusal (shown to the member only).
pub(crate) type Handled<'a> = Result<Response<'a>, Refusal>;

/// A command being handled: what every command handler gets.
pub(crate) struct Invocation<'a> {
    /// Serenity's context (HTTP, cache).
    pub ctx: &'a Context,
    /// The bot's state.
    pub state: &'a Arc<BotState>,
    /// The interaction.
    pub cmd: &'a CommandInteraction,
    /// Its options, flattened.
    pub opts: Options,
}

/// A command handler.
type Run = for<'a> fn(Invocation<'a>) -> BoxFuture<'a, Handled<'a>>;

/// One command: how it is registered and who handles it.
pub(crate) struct CommandSpec {
    /// Its name, as registered and as Discord sends it back.
    pub name: &'static str,
    /// Slash command or context-menu command.
    pub kind: CommandType,
    /// Its registration.
    pub define: fn() -> CreateCommand,
    /// Its handler.
    pub run: Run,
}

/// Every command the bot registers, in registration order.
pub(crate) const COMMANDS: [CommandSpec; 4] = [
    CommandSpec {
        name: ui::ASK,
        kind: CommandType::ChatInput,
        define: ui::ask_command,
        run: ask::run,
    },
    CommandSpec {
        name: ui::FAQ,
        kind: CommandType::ChatInput,
        define: ui::faq_command,
        run: faq::run,
    },
    CommandSpec {
        name: ui::FAQ_ADMIN,
        kind: CommandType::ChatInput,
        define: ui::faq_admin_command,
        run: admin::run,
    },
    CommandSpec {
        name: ui::ANSWER_FROM_FAQ,
        kind: CommandType::Message,
        define: ui::answer_from_faq_command,
        run: context::run,
    },
];

/// Every command's registration.
pub(crate) fn definitions() -> Vec<CreateCommand> {
    COMMANDS.iter().map(|c| (c.define)()).collect()
}

/// Handles one interaction, from routing to the last edit.
pub(crate) async fn route(ctx: &Context, state: &Arc<BotState>, interaction: &Interaction) {
    let received = Instant::now();
    match interaction {
        Interaction::Command(cmd) => {
            let spec = COMMANDS
                .iter()
                .find(|c| c.kind == cmd.data.kind && c.name == cmd.data.name);
            let handled = match spec {
                Some(spec) => {
                    let opts = Options::parse(&cmd.data.options);
                    (spec.run)(Invocation {
                        ctx,
                        state,
                        cmd,
                        opts,
                    })
                    .await
                }
                None => {
                    tracing::warn!(command = cmd.data.name, "unknown command");
                    Err(Refusal::UnknownCommand)
                }
            };
            let to = To::new(ctx, state, (cmd.id, &cmd.token), &cmd.data.name, received);
            send(&to, state, handled).await;
        }
        Interaction::Autocomplete(ac) => {
            let handled = faq::autocomplete(state, ac);
            send(
                &To::new(ctx, state, (ac.id, &ac.token), "autocomplete", received),
                state,
                handled,
            )
            .await;
        }
        Interaction::Component(press) => {
            let handled = press_button(ctx, state, press);
            send(
                &To::new(ctx, state, (press.id, &press.token), "button", received),
                state,
                handled,
            )
            .await;
        }
        Interaction::Modal(modal) => {
            let handled = submit_form(state, modal);
            send(
                &To::new(ctx, state, (modal.id, &modal.token), "form", received),
                state,
                handled,
            )
            .await;
        }
        _ => {}
    }
}

/// The handler of a button press, by its custom id.
fn press_button<'a>(
    ctx: &'a Context,
    state: &'a Arc<BotState>,
    press: &'a ComponentInteraction,
) -> Handled<'a> {
    match CustomId::parse(&press.data.custom_id) {
        Some(CustomId::Feedback { helpful, key }) => buttons::feedback(state, press, helpful, key),
        Some(CustomId::More(key)) => buttons::other_matches(state, key),
        Some(CustomId::Volunteer(key)) => buttons::volunteer(ctx, state, press, key),
        Some(CustomId::RemoveAnswer(asker)) => buttons::remove_answer(ctx, state, press, asker),
        Some(CustomId::Remove { token, confirmed }) => {
            Ok(admin::remove::confirm(state, press, token, confirmed))
        }
        Some(CustomId::GapAlias(id)) => admin::reports::alias_button(state, press, id),
        Some(CustomId::Form(_)) | None => Err(Refusal::ButtonExpired),
    }
}

/// The handler of a submitted form, by its custom id.
fn submit_form<'a>(state: &'a Arc<BotState>, modal: &'a ModalInteraction) -> Handled<'a> {
    match CustomId::parse(&modal.data.custom_id) {
        Some(CustomId::Form(token)) => admin::forms::submit(state, modal, token),
        _ => Err(Refusal::FormExpired),
    }
}

/// Discord drops an interaction whose first response comes later than this after it was sent.
const FIRST_RESPONSE_DEADLINE: Duration = Duration::from_secs(3);

/// Kept in hand within the deadline for the gateway's and the response's own trips.
const DEADLINE_MARGIN: Duration = Duration::from_millis(400);

/// The interaction being answered.
struct To<'a> {
    ctx: &'a Context,
    state: &'a BotState,
    id: InteractionId,
    token: &'a str,
    /// For the log: which route answered.
    what: &'a str,
    /// When the first response must have gone out.
    deadline: Instant,
}

impl<'a> To<'a> {
    fn new(
        ctx: &'a Context,
        state: &'a BotState,
        (id, token): (InteractionId, &'a str),
        what: &'a str,
        received: Instant,
    ) -> Self {
        To {
            ctx,
            state,
            id,
            token,
            what,
            deadline: received + FIRST_RESPONSE_DEADLINE - DEADLINE_MARGIN,
        }
    }

    /// Sends the interaction's response.
    async fn respond(
        &self,
        response: &CreateInteractionResponse,
        pace: Pace,
    ) -> Result<(), RestError> {
        let call = Call::interaction_response(self.id, self.token, response)?;
        self.state.rest.send(&self.ctx.http, &call, pace).await?;
        Ok(())
    }

    /// Replaces the acknowledged response with a reply.
    async fn edit(&self, (reply, buttons): Shown) {
        let body = render::interaction_edit(&reply, buttons);
        let sent = match Call::edit_original(&self.ctx.http, self.token, &body) {
            Ok(call) => {
                self.state
                    .rest
                    .send(&self.ctx.http, &call, Pace::Patient)
                    .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            tracing::error!("{}: the answer could not be shown: {e}", self.what);
        }
    }

    /// Logs a first response that did not go through.
    fn failed(&self, e: &RestError) {
        tracing::error!("{}: the response failed: {e}", self.what);
    }
}

/// The deferral ("thinking…") of a message response, seen by the member only if `ephemeral`.
fn deferral(ephemeral: bool) -> CreateInteractionResponse {
    CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(ephemeral))
}

/// The one way an interaction is answered: whatever the handler said, as Discord wants it.
///
/// A message that Discord's rate limit would hold past the 3-second deadline is deferred at
/// once and shown by an edit when the wait is over.
async fn send(to: &To<'_>, state: &BotState, handled: Handled<'_>) {
    let refusal = |r: Refusal| Reply::refusal(&r, &state.referral);
    let first = Pace::FirstResponse(to.deadline);
    let response = match handled.unwrap_or_else(|r| Response::private(refusal(r))) {
        Response::Message {
            reply,
            buttons,
            ephemeral,
        } => {
            let message = CreateInteractionResponse::Message(render::interaction_message(
                &reply,
                buttons.clone(),
                ephemeral,
            ));
            match to.respond(&message, first).await {
                Ok(()) => {}
                Err(RestError::PastDeadline(wait)) => {
                    tracing::warn!(
                        "{}: the rate limit's {wait:.2?} would miss the deadline; deferring",
                        to.what
                    );
                    match to
                        .respond(&deferral(ephemeral), Pace::Deferral(to.deadline))
                        .await
                    {
                        Ok(()) => to.edit((reply, buttons)).await,
                        Err(e) => to.failed(&e),
                    }
                }
                Err(e) => to.failed(&e),
            }
            return;
        }
        Response::Form(modal) => CreateInteractionResponse::Modal(modal),
        Response::Choices(choices) => CreateInteractionResponse::Autocomplete(
            CreateAutocompleteResponse::new().set_choices(choices),
        ),
        Response::Later { ack, work } => {
            let ack = match ack {
                Ack::Ephemeral => deferral(true),
                Ack::Update => CreateInteractionResponse::Acknowledge,
            };
            if let Err(e) = to.respond(&ack, Pace::Deferral(to.deadline)).await {
                to.failed(&e);
            }
            // The work runs even so: a moderator's edit is written whether or not Discord
            // took the acknowledgement.
            let shown = work.await.unwrap_or_else(|r| (refusal(r), Vec::new()));
            to.edit(shown).await;
            return;
        }
    };
    if let Err(e) = to.respond(&response, first).await {
        to.failed(&e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_ids_read_back_as_written() {
        for id in [
            CustomId::Feedback {
                helpful: true,
                key: Some(7),
            },
            CustomId::Feedback {
                helpful: false,
                key: Some(7),
            },
            CustomId::More(Some(3)),
            CustomId::Volunteer(Some(9)),
            CustomId::RemoveAnswer(Some(44)),
            CustomId::Remove {
                token: "123".into(),
                confirmed: true,
            },
            CustomId::Remove {
                token: "123".into(),
                confirmed: false,
            },
            CustomId::GapAlias(Some(-4)),
            CustomId::Form("55".into()),
        ] {
            assert_eq!(CustomId::parse(&id.to_string()), Some(id));
        }
    }

    /// The ids stay as buttons already posted in Discord carry them.
    #[test]
    fn custom_ids_keep_their_wire_form() {
        let ids = [
            (
                "fb:y:7",
                CustomId::Feedback {
                    helpful: true,
                    key: Some(7),
                },
            ),
            (
                "fb:n:7",
                CustomId::Feedback {
                    helpful: false,
                    key: Some(7),
                },
            ),
            ("more:3", CustomId::More(Some(3))),
            ("volunteer:9", CustomId::Volunteer(Some(9))),
            ("rm-answer:44", CustomId::RemoveAnswer(Some(44))),
            (
                "faq-rm:1",
                CustomId::Remove {
                    token: "1".into(),
                    confirmed: true,
                },
            ),
            (
                "faq-rm-no:1",
                CustomId::Remove {
                    token: "1".into(),
                    confirmed: false,
                },
            ),
            ("gap-alias:12", CustomId::GapAlias(Some(12))),
            ("faq-form:5", CustomId::Form("5".into())),
        ];
        for (wire, id) in ids {
            assert_eq!(id.to_string(), wire);
            assert_eq!(CustomId::parse(wire), Some(id));
        }
    }

    #[test]
    fn unreadable_keys_are_stale_buttons_and_strangers_are_none() {
        assert_eq!(
            CustomId::parse("fb:y:x"),
            Some(CustomId::Feedback {
                helpful: true,
                key: None
            })
        );
        assert_eq!(CustomId::parse("more:"), Some(CustomId::More(None)));
        assert_eq!(
            CustomId::parse("gap-alias:x"),
            Some(CustomId::GapAlias(None))
        );
        assert_eq!(CustomId::parse("someone-else:1"), None);
        assert_eq!(CustomId::parse(""), None);
    }

    #[test]
    fn every_command_is_registered_under_the_name_it_is_routed_by() {
        let defs = serde_json::to_value(definitions()).expect("serialises");
        let names: Vec<&str> = defs
            .as_array()
            .expect("a list")
            .iter()
            .filter_map(|d| d["name"].as_str())
            .collect();
        let routed: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        assert_eq!(names, routed);
    }
}
