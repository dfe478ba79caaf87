//! Who counts as staff: the one rule behind the moderator commands and behind the quiet period
//! that follows a helper's message.

use crate::config::DiscordConfig;
use serenity::all::{Member, Permissions, RoleId};

/// A member's standing, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Staff {
    /// Holds `[discord] helper_role_id`: the bot leaves a conversation to them, but they may not
    /// edit the FAQ.
    Helper,
    /// Manage Messages or Administrator, or a role in `[discord] moderator_role_ids`: may edit
    /// the FAQ and read its reports.
    Moderator,
}

/// The member's standing from their server-wide `permissions` and `roles` (Discord computes
/// the permissions for an interaction; for a plain message the bot sums its roles'), or `None`
/// for a member who is not staff.
pub(crate) fn standing(
    discord: &DiscordConfig,
    permissions: Permissions,
    roles: &[RoleId],
) -> Option<Staff> {
    let moderator = permissions.contains(Permissions::MANAGE_MESSAGES)
        || permissions.contains(Permissions::ADMINISTRATOR)
        || roles
            .iter()
            .any(|r| discord.moderator_role_ids.contains(&r.get()));
    if moderator {
        Some(Staff::Moderator)
    } else if roles
        .iter()
        .any(|r| discord.helper_role_id == Some(r.get()))
    {
        Some(Staff::Helper)
    } else {
        None
    }
}

/// Whether the member behind an interaction may edit the FAQ, with the permissions Discord
/// computed for the interaction (no member: a direct message, never a moderator).
pub(crate) fn is_moderator(discord: &DiscordConfig, member: Option<&Member>) -> bool {
    member.is_some_and(|m| {
        let permissions = m.permissions.unwrap_or_else(Permissions::empty);
        standing(discord, permissions, &m.roles) == Some(Staff::Moderator)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> DiscordConfig {
        DiscordConfig {
            moderator_role_ids: vec![7],
            helper_role_id: Some(8),
            ..DiscordConfig::default()
        }
    }

    #[test]
    fn manage_messages_administrator_or_a_moderator_role_make_a_moderator() {
        let c = cfg();
        let none = Permissions::empty();
        assert_eq!(
            standing(&c, Permissions::MANAGE_MESSAGES, &[]),
            Some(Staff::Moderator)
        );
        assert_eq!(
            standing(&c, Permissions::ADMINISTRATOR, &[]),
            Some(Staff::Moderator)
        );
        assert_eq!(
            standing(&c, none, &[RoleId::new(7)]),
            Some(Staff::Moderator)
        );
        assert_eq!(
            standing(&c, none, &[RoleId::new(8), RoleId::new(7)]),
            Some(Staff::Moderator)
        );
    }

    #[test]
    fn the_helper_role_makes_a_helper_and_nothing_else_counts() {
        let c = cfg();
        let none = Permissions::empty();
        assert_eq!(standing(&c, none, &[RoleId::new(8)]), Some(Staff::Helper));
        assert_eq!(standing(&c, none, &[RoleId::new(9)]), None);
        assert_eq!(standing(&c, Permissions::SEND_MESSAGES, &[]), None);
    }
}
