//! How a server's fields read on a page: status, power and task state, addresses, flavor,
//! image and age.

use std::collections::HashMap;

use maud::{Markup, html};
use nova_v2::{PowerState, Server, ServerFlavor, ServerImage, ServerStatus};

/// Names of images and flavors by id, for showing names instead of ids.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Image id -> name.
    pub images: HashMap<String, String>,
    /// Flavor id -> name.
    pub flavors: HashMap<String, String>,
}

/// Whether the server is moving between states (its row keeps polling).
pub fn in_transition(server: &Server) -> bool {
    server.task_state.is_some()
        || matches!(
            server.status,
            ServerStatus::Build
                | ServerStatus::Reboot
                | ServerStatus::HardReboot
                | ServerStatus::Resize
                | ServerStatus::Migrating
                | ServerStatus::Rebuild
                | ServerStatus::Password
        )
}

/// The status as a labelled badge.
pub fn status_badge(server: &Server) -> Markup {
    let status = server.status.to_string();
    let class = match server.status {
        ServerStatus::Active => "badge ok",
        ServerStatus::Error => "badge bad",
        ServerStatus::Shutoff => "badge off",
        _ => "badge busy",
    };
    html! { span class=(class) data-status=(status) { (status) } }
}

/// The power state in Horizon's words.
pub fn power_state(server: &Server) -> String {
    match server.power_state {
        None => "-".into(),
        Some(PowerState::NoState) => "No State".into(),
        Some(PowerState::Running) => "Running".into(),
        Some(PowerState::Paused) => "Paused".into(),
        Some(PowerState::Shutdown) => "Shut Down".into(),
        Some(PowerState::Crashed) => "Crashed".into(),
        Some(PowerState::Suspended) => "Suspended".into(),
        Some(other) => format!("{other:?}"),
    }
}

/// The task state, or `None` (shown as a dash).
pub fn task_state(server: &Server) -> String {
    server
        .task_state
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| "None".into())
}

/// Every address, `net: a, b` per network.
pub fn addresses(server: &Server) -> Vec<String> {
    server
        .addresses
        .iter()
        .map(|(network, list)| {
            let ips: Vec<&str> = list.iter().map(|a| a.addr.as_str()).collect();
            format!("{network}: {}", ips.join(", "))
        })
        .collect()
}

/// The flavor's name (embedded from 2.47, else looked up by id).
pub fn flavor_name(server: &Server, names: &Names) -> String {
    match &server.flavor {
        Some(ServerFlavor::Embedded(f)) => f.original_name.clone().unwrap_or_else(|| "-".into()),
        Some(flavor) => {
            let id = flavor.id().unwrap_or("-");
            names
                .flavors
                .get(id)
                .cloned()
                .unwrap_or_else(|| id.to_owned())
        }
        None => "-".into(),
    }
}

/// The image's name, or "(booted from volume)".
pub fn image_name(server: &Server, names: &Names) -> String {
    match &server.image {
        Some(ServerImage::Image(image)) => names
            .images
            .get(&image.id)
            .cloned()
            .unwrap_or_else(|| image.id.clone()),
        _ => "(booted from volume)".into(),
    }
}

/// "3 minutes" since `created` (RFC 3339), or the text as given.
pub fn age(created: Option<&str>) -> String {
    let Some(text) = created else {
        return "-".into();
    };
    let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) else {
        return text.to_owned();
    };
    let seconds = (chrono::Utc::now() - time.with_timezone(&chrono::Utc))
        .num_seconds()
        .max(0);
    match seconds {
        0..=59 => format!("{seconds} s"),
        60..=3599 => format!("{} min", seconds / 60),
        3600..=86_399 => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{} days", seconds / 86_400),
    }
}

/// The path of a server's page (ids are percent-encoded).
pub fn server_path(id: &str, tail: &str) -> String {
    let id: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/instances/{id}{tail}")
}
