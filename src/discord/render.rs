//! Laying a [`Reply`] out as a Discord message within Discord's limits, pinging nobody. The
//! words are the reply's own ([`crate::answer::reply`]); this only places them.
//!
//! A reply with a title becomes an embed (title, description, source line in the footer, the
//! referral as the last field); one without becomes plain content ending with the referral
//! ([`Reply::body_and_referral`]). Truncation only ever shortens the body, so the referral is
//! never cut off.

use crate::answer::reply::REFERRAL_HEADING;
use crate::answer::Reply;
use crate::text::truncate;
use serenity::all::{
    CreateActionRow, CreateAllowedMentions, CreateEmbed, CreateEmbedFooter,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse,
};

/// Discord's limit on message content.
pub const CONTENT_MAX: usize = 2_000;
/// Discord's limit on an embed title.
pub const TITLE_MAX: usize = 256;
/// Discord's limit on an embed description.
pub const DESCRIPTION_MAX: usize = 4_096;
/// Discord's limit on an embed field value.
pub const FIELD_MAX: usize = 1_024;
/// Discord's limit on an embed footer.
pub const FOOTER_MAX: usize = 2_048;
/// Discord's limit on all embeds of a message together.
pub const EMBEDS_TOTAL_MAX: usize = 6_000;
/// Embed colour (a calm teal).
const COLOUR: u32 = 0x2a9d8f;

/// Allowed mentions that ping nobody: no @everyone, no roles, no users, not even the replied-to
/// author.
pub fn no_pings() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .empty_users()
        .empty_roles()
        .everyone(false)
        .replied_user(false)
}

/// An embed as plain data (so limits can be checked without serenity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedParts {
    /// Title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Footer text, if any.
    pub footer: Option<String>,
    /// The referral field: (name, value).
    pub referral: (String, String),
}

impl EmbedParts {
    /// Characters that count towards the 6,000 limit.
    pub fn total_chars(&self) -> usize {
        self.title.chars().count()
            + self.description.chars().count()
            + self.footer.as_ref().map_or(0, |f| f.chars().count())
            + self.referral.0.chars().count()
            + self.referral.1.chars().count()
    }
}

/// A rendered message as plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Message content (may be empty when there is an embed).
    pub content: String,
    /// The embed, if any.
    pub embed: Option<EmbedParts>,
}

/// Renders a reply within Discord's limits.
pub fn render(reply: &Reply) -> Rendered {
    let referral = truncate(reply.referral(), FIELD_MAX);
    match &reply.title {
        Some(title) => {
            let title = truncate(title, TITLE_MAX);
            let footer = reply.source_line().map(|s| truncate(&s, FOOTER_MAX));
            let fixed = title.chars().count()
                + footer.as_ref().map_or(0, |f| f.chars().count())
                + REFERRAL_HEADING.chars().count()
                + referral.chars().count();
            let room = DESCRIPTION_MAX.min(EMBEDS_TOTAL_MAX.saturating_sub(fixed));
            let body = if reply.body.trim().is_empty() {
                "—".to_string()
            } else {
                truncate(&reply.body, room)
            };
            Rendered {
                content: String::new(),
                embed: Some(EmbedParts {
                    title,
                    description: body,
                    footer,
                    referral: (REFERRAL_HEADING.to_string(), referral),
                }),
            }
        }
        None => Rendered {
            content: reply.body_and_referral(CONTENT_MAX),
            embed: None,
        },
    }
}

fn embed(parts: &EmbedParts) -> CreateEmbed {
    let mut e = CreateEmbed::new()
        .title(parts.title.clone())
        .description(parts.description.clone())
        .colour(COLOUR)
        .field(parts.referral.0.clone(), parts.referral.1.clone(), false);
    if let Some(f) = &parts.footer {
        e = e.footer(CreateEmbedFooter::new(f.clone()));
    }
    e
}

/// An interaction response message for a reply.
pub fn interaction_message(
    reply: &Reply,
    components: Vec<CreateActionRow>,
    ephemeral: bool,
) -> CreateInteractionResponseMessage {
    let r = render(reply);
    let mut m = CreateInteractionResponseMessage::new()
        .allowed_mentions(no_pings())
        .ephemeral(ephemeral)
        .components(components);
    if !r.content.is_empty() {
        m = m.content(r.content);
    }
    if let Some(e) = &r.embed {
        m = m.embed(embed(e));
    }
    m
}

/// An edit of a deferred response. Sets allowed mentions itself: serenity's
/// `EditInteractionResponse` does not apply the client's defaults.
pub fn interaction_edit(
    reply: &Reply,
    components: Vec<CreateActionRow>,
) -> EditInteractionResponse {
    let r = render(reply);
    let mut m = EditInteractionResponse::new()
        .allowed_mentions(no_pings())
        .components(components)
        .content(r.content);
    if let Some(e) = &r.embed {
        m = m.embed(embed(e));
    }
    m
}

/// A channel message for a reply.
pub fn channel_message(reply: &Reply, components: Vec<CreateActionRow>) -> CreateMessage {
    let r = render(reply);
    let mut m = CreateMessage::new()
        .allowed_mentions(no_pings())
        .components(components);
    if !r.content.is_empty() {
        m = m.content(r.content);
    }
    if let Some(e) = &r.embed {
        m = m.embed(embed(e));
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::{Referral, ReplyKind};

    #[test]
    fn long_bodies_are_cut_but_the_referral_stays() {
        let referral = Referral::default();
        let long = "x".repeat(10_000);
        for title in [None, Some("T".repeat(400))] {
            let reply = Reply::new(
                ReplyKind::Answer,
                title,
                long.clone(),
                Some("s".repeat(3000)),
                &referral,
            );
            let r = render(&reply);
            assert!(r.content.chars().count() <= CONTENT_MAX);
            match &r.embed {
                Some(e) => {
                    assert!(e.total_chars() <= EMBEDS_TOTAL_MAX);
                    assert!(e.description.chars().count() <= DESCRIPTION_MAX);
                    assert!(e.title.chars().count() <= TITLE_MAX);
                    assert_eq!(e.referral.1, referral.text());
                }
                None => assert!(r.content.ends_with(referral.text())),
            }
        }
    }
}
