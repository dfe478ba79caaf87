//! Which of Discord's schemas and limits apply to a request body, by route: every JSON body the
//! bot sends to a route that has one is checked, and what is wrong is recorded as a violation.

use serde_json::Value;

use crate::schema;

/// Schema and limit violations of a request body (`segs`: the route's path segments after
/// `/api/v10`).
pub(super) fn check_body(method: &str, segs: &[&str], body: Option<&Value>) -> Vec<String> {
    let schema_name: Option<&str>;
    let mut limits = true;
    let mut errors = Vec::new();
    let Some(body) = body else {
        return match (method, segs) {
            ("POST", ["interactions", _, _, "callback"]) => {
                vec!["interaction callback without a JSON body".into()]
            }
            _ => vec![],
        };
    };
    match (method, segs) {
        ("POST", ["interactions", _, _, "callback"]) => {
            if let Err(es) = schema::validate_callback(body) {
                errors.extend(es);
            }
            schema_name = None;
        }
        ("PUT", ["applications", _, "commands"])
        | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            if let Err(es) = schema::validate_bulk_commands(body) {
                errors.extend(es);
            }
            schema_name = None;
        }
        ("POST", ["applications", _, "commands"])
        | ("POST", ["applications", _, "guilds", _, "commands"]) => {
            schema_name = Some("ApplicationCommandCreateRequest");
        }
        ("POST", ["channels", _, "messages"]) => schema_name = Some("MessageCreateRequest"),
        ("POST", ["channels", _, "messages", _, "threads"]) => {
            // Start Thread from Message: no schema in the trimmed spec; Discord's stated limits.
            let name = body["name"].as_str().unwrap_or("");
            if !(1..=100).contains(&name.chars().count()) {
                errors.push(format!("thread name must be 1-100 characters: {name:?}"));
            }
            if let Some(d) = body.get("auto_archive_duration").filter(|d| !d.is_null()) {
                if ![60, 1440, 4320, 10080].contains(&d.as_u64().unwrap_or(0)) {
                    errors.push(format!(
                        "auto_archive_duration must be 60, 1440, 4320 or 10080: {d}"
                    ));
                }
            }
            schema_name = None;
            limits = false;
        }
        ("PATCH", ["channels", _, "messages", _]) => schema_name = None,
        ("POST", ["webhooks", _, _]) => schema_name = Some("IncomingWebhookRequestPartial"),
        ("PATCH", ["webhooks", _, _, "messages", _]) => {
            schema_name = Some("IncomingWebhookUpdateRequestPartial")
        }
        _ => {
            schema_name = None;
            limits = false;
        }
    }
    if let Some(name) = schema_name {
        if let Err(es) = schema::validate(name, body) {
            errors.extend(es);
        }
    }
    if limits {
        if let Err(es) = schema::check_discord_limits(body) {
            errors.extend(es);
        }
    }
    errors
}
