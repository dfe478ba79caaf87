//! Checks the JSON the bot sends to Discord against Discord's own OpenAPI schemas
//! (`tests/fixtures/discord-schemas.json`, a trimmed copy of discord/discord-api-spec) and against
//! the limits Discord enforces but no schema states.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/discord-schemas.json");

fn fixture() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        serde_json::from_str(FIXTURE).expect("tests/fixtures/discord-schemas.json is JSON")
    })
}

/// Names of every schema in the fixture.
pub fn schema_names() -> Vec<String> {
    fixture()["components"]["schemas"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn validator(name: &str) -> Result<Arc<jsonschema::Validator>, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return Ok(Arc::clone(v));
    }
    let doc = fixture();
    if doc["components"]["schemas"].get(name).is_none() {
        return Err(format!(
            "no schema named {name} in tests/fixtures/discord-schemas.json"
        ));
    }
    // The root is a `$ref` to the wanted schema; `components` travels along so that every
    // `#/components/schemas/X` reference resolves inside this one document.
    let root = serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"].clone(),
    });
    let compiled = jsonschema::draft202012::options()
        .build(&root)
        .map_err(|e| format!("schema {name} does not compile: {e}"))?;
    let compiled = Arc::new(compiled);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_string(), Arc::clone(&compiled));
    Ok(compiled)
}

/// Known, accepted deviations between what serenity sends and what the spec says:
/// `default_member_permissions` goes out as a string of digits (the schema says integer;
/// Discord accepts both), so a string of digits is turned into the number before validation.
fn normalise(schema_name: &str, value: &Value) -> Value {
    let mut v = value.clone();
    if schema_name.starts_with("ApplicationCommand") {
        fn fix(obj: &mut Value) {
            if let Some(p) = obj.get_mut("default_member_permissions") {
                if let Some(s) = p.as_str() {
                    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
                        if let Ok(n) = s.parse::<u64>() {
                            *p = Value::from(n);
                        }
                    }
                }
            }
        }
        match &mut v {
            Value::Array(items) => items.iter_mut().for_each(fix),
            other => fix(other),
        }
    }
    v
}

/// Validates `value` against the fixture schema `schema_name`.
pub fn validate(schema_name: &str, value: &Value) -> Result<(), Vec<String>> {
    let validator = validator(schema_name).map_err(|e| vec![e])?;
    let value = normalise(schema_name, value);
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| {
            let at = e.instance_path.to_string();
            format!(
                "{schema_name} at '{}': {e}",
                if at.is_empty() { "/" } else { &at }
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The schema an interaction callback body must follow, chosen by its `type` (the endpoint's
/// body is an `anyOf` of these; most allow extra properties, so the branch matters).
pub fn callback_schema_for(callback_type: i64) -> Option<&'static str> {
    match callback_type {
        4 | 5 => Some("CreateMessageInteractionCallbackRequest"),
        6 | 7 => Some("UpdateMessageInteractionCallbackRequest"),
        8 => Some("ApplicationCommandAutocompleteCallbackRequest"),
        9 => Some("ModalInteractionCallbackRequest"),
        _ => None,
    }
}

/// Validates an interaction callback body (`POST /interactions/{id}/{token}/callback`).
pub fn validate_callback(body: &Value) -> Result<(), Vec<String>> {
    let ty = body.get("type").and_then(Value::as_i64);
    match ty.and_then(callback_schema_for) {
        Some(name) => validate(name, body),
        None => Err(vec![format!(
            "interaction callback with unknown type {:?}",
            body.get("type")
        )]),
    }
}

/// Validates a bulk overwrite body (`PUT .../commands`): an array of `ApplicationCommandUpdateRequest`.
pub fn validate_bulk_commands(body: &Value) -> Result<(), Vec<String>> {
    let Some(items) = body.as_array() else {
        return Err(vec!["bulk command overwrite body is not an array".into()]);
    };
    let mut errors = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if let Err(es) = validate("ApplicationCommandUpdateRequest", item) {
            errors.extend(es.into_iter().map(|e| format!("[{i}] {e}")));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

// ---------------------------------------------------------------------------------------------
// Limits Discord enforces that the schema does not state (or states differently).

fn chars(v: Option<&Value>) -> usize {
    v.and_then(Value::as_str).map_or(0, |s| s.chars().count())
}

fn check_len(errors: &mut Vec<String>, what: &str, v: Option<&Value>, min: usize, max: usize) {
    if let Some(s) = v.and_then(Value::as_str) {
        let n = s.chars().count();
        if n < min || n > max {
            errors.push(format!("{what} has {n} characters (allowed {min}..={max})"));
        }
    }
}

/// Message limits: content ≤ 2000; ≤ 10 embeds; per embed title ≤ 256, description ≤ 4096,
/// ≤ 25 fields, field name ≤ 256 / value ≤ 1024, footer ≤ 2048, author name ≤ 256; all embed
/// text of the message together ≤ 6000.
pub fn check_message_limits(msg: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    check_len(&mut errors, "content", msg.get("content"), 0, 2000);
    if let Some(embeds) = msg.get("embeds").and_then(Value::as_array) {
        if embeds.len() > 10 {
            errors.push(format!("{} embeds (at most 10)", embeds.len()));
        }
        let mut total = 0usize;
        for (i, e) in embeds.iter().enumerate() {
            check_len(
                &mut errors,
                &format!("embeds[{i}].title"),
                e.get("title"),
                0,
                256,
            );
            check_len(
                &mut errors,
                &format!("embeds[{i}].description"),
                e.get("description"),
                0,
                4096,
            );
            check_len(
                &mut errors,
                &format!("embeds[{i}].footer.text"),
                e.pointer("/footer/text"),
                0,
                2048,
            );
            check_len(
                &mut errors,
                &format!("embeds[{i}].author.name"),
                e.pointer("/author/name"),
                0,
                256,
            );
            total += chars(e.get("title"))
                + chars(e.get("description"))
                + chars(e.pointer("/footer/text"))
                + chars(e.pointer("/author/name"));
            if let Some(fields) = e.get("fields").and_then(Value::as_array) {
                if fields.len() > 25 {
                    errors.push(format!(
                        "embeds[{i}] has {} fields (at most 25)",
                        fields.len()
                    ));
                }
                for (j, f) in fields.iter().enumerate() {
                    check_len(
                        &mut errors,
                        &format!("embeds[{i}].fields[{j}].name"),
                        f.get("name"),
                        1,
                        256,
                    );
                    check_len(
                        &mut errors,
                        &format!("embeds[{i}].fields[{j}].value"),
                        f.get("value"),
                        1,
                        1024,
                    );
                    total += chars(f.get("name")) + chars(f.get("value"));
                }
            }
        }
        if total > 6000 {
            errors.push(format!(
                "embeds hold {total} characters together (at most 6000)"
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Autocomplete result limits: ≤ 25 choices, each name 1–100 characters (string values ≤ 100).
pub fn check_autocomplete_limits(data: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    match data.get("choices").and_then(Value::as_array) {
        Some(choices) => {
            if choices.len() > 25 {
                errors.push(format!(
                    "{} autocomplete choices (at most 25)",
                    choices.len()
                ));
            }
            for (i, c) in choices.iter().enumerate() {
                check_len(
                    &mut errors,
                    &format!("choices[{i}].name"),
                    c.get("name"),
                    1,
                    100,
                );
                if c.get("name").and_then(Value::as_str).is_none() {
                    errors.push(format!("choices[{i}] has no name"));
                }
                check_len(
                    &mut errors,
                    &format!("choices[{i}].value"),
                    c.get("value"),
                    0,
                    100,
                );
            }
        }
        None => errors.push("autocomplete data has no choices array".into()),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$`, lowercase (approximated with
/// `char::is_alphanumeric`, which covers letters, numbers and the Devanagari/Thai vowel signs).
pub fn is_valid_chat_input_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=32).contains(&n)
        && name
            .chars()
            .all(|c| c == '-' || c == '_' || c == '\'' || c.is_alphanumeric())
        && name.to_lowercase() == name
}

fn check_option(errors: &mut Vec<String>, at: &str, opt: &Value) {
    let name = opt.get("name").and_then(Value::as_str).unwrap_or("");
    if !is_valid_chat_input_name(name) {
        errors.push(format!("{at}.name {name:?} is not a valid option name"));
    }
    check_len(
        errors,
        &format!("{at}.description"),
        opt.get("description"),
        1,
        100,
    );
    if opt.get("description").and_then(Value::as_str).is_none() {
        errors.push(format!("{at} has no description"));
    }
    if let Some(choices) = opt.get("choices").and_then(Value::as_array) {
        if choices.len() > 25 {
            errors.push(format!("{at} has {} choices (at most 25)", choices.len()));
        }
        for (i, c) in choices.iter().enumerate() {
            check_len(
                errors,
                &format!("{at}.choices[{i}].name"),
                c.get("name"),
                1,
                100,
            );
        }
    }
    if let Some(subs) = opt.get("options").and_then(Value::as_array) {
        if subs.len() > 25 {
            errors.push(format!("{at} has {} options (at most 25)", subs.len()));
        }
        for (i, s) in subs.iter().enumerate() {
            check_option(errors, &format!("{at}.options[{i}]"), s);
        }
    }
}

/// Command limits: chat-input (type 1 or absent) names match the lowercase name pattern,
/// descriptions 1–100; user/message context-menu commands (type 2/3) have a 1–32 character name
/// (spaces and capitals allowed) and an empty description; ≤ 25 options, recursively.
pub fn check_command_limits(cmd: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let ty = cmd.get("type").and_then(Value::as_i64).unwrap_or(1);
    let name = cmd.get("name").and_then(Value::as_str).unwrap_or("");
    if ty == 1 {
        if !is_valid_chat_input_name(name) {
            errors.push(format!(
                "command name {name:?} is not a valid chat-input command name"
            ));
        }
        check_len(
            &mut errors,
            &format!("command {name:?} description"),
            cmd.get("description"),
            1,
            100,
        );
        if cmd.get("description").and_then(Value::as_str).is_none() {
            errors.push(format!("command {name:?} has no description"));
        }
    } else {
        check_len(
            &mut errors,
            "context-menu command name",
            cmd.get("name"),
            1,
            32,
        );
        if chars(cmd.get("description")) != 0 {
            errors.push(format!(
                "context-menu command {name:?} must have an empty description"
            ));
        }
    }
    if let Some(opts) = cmd.get("options").and_then(Value::as_array) {
        if opts.len() > 25 {
            errors.push(format!(
                "command {name:?} has {} options (at most 25)",
                opts.len()
            ));
        }
        for (i, o) in opts.iter().enumerate() {
            check_option(&mut errors, &format!("command {name:?} options[{i}]"), o);
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Modal limits: title 1–45, custom_id 1–100, 1–5 top-level components.
pub fn check_modal_limits(data: &Value) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    check_len(&mut errors, "modal title", data.get("title"), 1, 45);
    check_len(
        &mut errors,
        "modal custom_id",
        data.get("custom_id"),
        1,
        100,
    );
    let n = data
        .get("components")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if !(1..=5).contains(&n) {
        errors.push(format!("modal has {n} components (1..=5)"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Checks what the schema does not state, recognising the body by its shape: an array (bulk
/// command overwrite), an interaction callback (`type` + optional `data`, no `content`/`name`), a
/// command (`name` without message fields), or else a message body.
pub fn check_discord_limits(body: &Value) -> Result<(), Vec<String>> {
    if let Some(items) = body.as_array() {
        let mut errors = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Err(es) = check_command_limits(item) {
                errors.extend(es.into_iter().map(|e| format!("[{i}] {e}")));
            }
        }
        return if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        };
    }
    let is_message_like = [
        "content",
        "embeds",
        "components",
        "allowed_mentions",
        "attachments",
    ]
    .iter()
    .any(|k| body.get(*k).is_some());
    if body.get("type").and_then(Value::as_i64).is_some()
        && !is_message_like
        && body.get("name").is_none()
    {
        let data = body.get("data").cloned().unwrap_or(Value::Null);
        return match body["type"].as_i64().unwrap_or(0) {
            4..=7 if data.is_object() => check_message_limits(&data),
            8 => check_autocomplete_limits(&data),
            9 => check_modal_limits(&data),
            _ => Ok(()),
        };
    }
    if body.get("name").is_some() && !is_message_like {
        return check_command_limits(body);
    }
    check_message_limits(body)
}

/// True when the body (a message body, or an interaction callback whose `data` is one) cannot
/// ping anyone: it has `allowed_mentions` whose `parse` is empty or absent, whose `users` and
/// `roles` are empty or absent, and whose `replied_user` is false or absent.
pub fn pings_nobody(body: &Value) -> bool {
    let am = body
        .get("allowed_mentions")
        .or_else(|| body.pointer("/data/allowed_mentions"));
    let Some(am) = am.filter(|v| v.is_object()) else {
        return false;
    };
    let empty = |k: &str| match am.get(k) {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(_) => false,
    };
    let replied = am
        .get("replied_user")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    empty("parse") && empty("users") && empty("roles") && !replied
}
