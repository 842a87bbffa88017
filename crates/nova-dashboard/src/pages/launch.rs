//! `GET|POST /launch`: Horizon's Launch Instance steps on one page (Details, Source, Flavor,
//! Networks, Security groups, Key pair, Configuration, Server groups, Scheduler hints,
//! Metadata), and `POST /keypairs` to import a key pair from the same page.

use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use http::{HeaderMap, StatusCode};
use maud::{Markup, html};
use nova_v2::{CreateKeypair, Flavor, Keypair, Limits, ServerGroup, ServerGroupQuery};

use super::layout::{csrf_field, error_box, notice, page};
use super::view;
use super::{Authed, authed, csrf_rejected, failure, html_response, redirect};
use crate::SharedState;
use crate::cloud::{CloudConnection, ImageSummary, NetworkSummary};
use crate::error::DashboardError;
use crate::form::FormData;
use crate::launch::{GatedField, LaunchContext, MAX_COUNT, create_request, unavailable};

/// What the form offers, read from the cloud.
#[derive(Debug, Default)]
struct Choices {
    flavors: Vec<Flavor>,
    images: Vec<ImageSummary>,
    keypairs: Vec<Keypair>,
    zones: Vec<String>,
    groups: Vec<ServerGroup>,
    networks: Vec<NetworkSummary>,
    limits: Option<Limits>,
}

async fn choices(cloud: &CloudConnection) -> Result<Choices, DashboardError> {
    let compute = &cloud.compute;
    let (flavor_api, keypair_api, zone_api, group_api, limits_api) = (
        compute.flavors(),
        compute.keypairs(),
        compute.availability_zones(),
        compute.server_groups(),
        compute.limits(),
    );
    let group_query = ServerGroupQuery::default();
    let (flavor_query, keypair_query) = (Default::default(), Default::default());
    let (flavors, images, keypairs, zones, groups, networks, limits) = futures::join!(
        flavor_api.list_detail(&flavor_query),
        cloud.images(),
        keypair_api.list(&keypair_query),
        zone_api.list(),
        group_api.list(&group_query),
        cloud.networks(),
        limits_api.get(),
    );
    let mut flavors = flavors?.value.items;
    flavors
        .sort_by(|a, b| (a.vcpus, a.ram, a.disk, &a.name).cmp(&(b.vcpus, b.ram, b.disk, &b.name)));
    Ok(Choices {
        flavors,
        images: images?,
        keypairs: keypairs.map(|k| k.value.items).unwrap_or_default(),
        zones: zones
            .map(|z| {
                z.value
                    .into_iter()
                    .filter(|z| z.state.available)
                    .map(|z| z.name)
                    .collect()
            })
            .unwrap_or_default(),
        groups: groups.map(|g| g.value).unwrap_or_default(),
        networks: networks.unwrap_or_default(),
        limits: limits.ok().map(|l| l.value),
    })
}

fn has_volume_service(cloud: &CloudConnection) -> bool {
    ["volumev3", "block-storage", "volume", "volumev2"]
        .iter()
        .any(|t| has_service(cloud, t))
}

fn has_service(cloud: &CloudConnection, service_type: &str) -> bool {
    cloud.catalog_types.iter().any(|t| t == service_type)
}

fn context(cloud: &CloudConnection) -> LaunchContext {
    LaunchContext {
        microversion: cloud.microversion(),
        has_network_service: cloud.network.is_some(),
        has_volume_service: has_volume_service(cloud),
    }
}

/// `remaining / total` of a quota, or "unlimited".
fn remaining(max: Option<i64>, used: Option<i64>) -> (String, Option<i64>) {
    match max {
        Some(max) if max >= 0 => {
            let left = max - used.unwrap_or(0);
            (format!("{left} of {max} left"), Some(left))
        }
        _ => ("unlimited".into(), None),
    }
}

/// A text input with its label; disabled with the reason when the microversion cannot
/// carry it.
fn gated_input(
    field: GatedField,
    name: &str,
    form: &FormData,
    ctx: &LaunchContext,
    hint: &str,
) -> Markup {
    let why = unavailable(field, ctx.microversion);
    let note_id = format!("{name}-note");
    html! {
        label for=(name) { (field.label()) }
        input id=(name) name=(name) value=(form.raw(name).unwrap_or_default()) disabled[why.is_some()] aria-describedby=(note_id);
        small id=(note_id) class=(if why.is_some() { "note disabled" } else { "note" }) {
            @match &why { Some(reason) => { "Not available: " (reason) }, None => { (hint) } }
        }
    }
}

fn selected(form: &FormData, name: &str, value: &str) -> bool {
    form.raw(name) == Some(value)
}

fn form_markup(
    authed: &Authed,
    c: &Choices,
    form: &FormData,
    ctx: &LaunchContext,
    error: Option<&DashboardError>,
) -> Markup {
    let limits = c.limits.as_ref().map(|l| &l.absolute);
    let (instances, _) = remaining(
        limits.and_then(|l| l.max_total_instances),
        limits.and_then(|l| l.total_instances_used),
    );
    let (cores, cores_left) = remaining(
        limits.and_then(|l| l.max_total_cores),
        limits.and_then(|l| l.total_cores_used),
    );
    let (ram, ram_left) = remaining(
        limits.and_then(|l| l.max_total_ram_size),
        limits.and_then(|l| l.total_ram_used),
    );
    let chosen_flavor = form
        .raw("flavor")
        .map(str::to_owned)
        .or_else(|| c.flavors.first().map(|f| f.id.clone()));
    let source = form.raw("source").unwrap_or("image");
    let auto_why = unavailable(GatedField::AutoNetwork, ctx.microversion);
    let network_mode = form.raw("network_mode").unwrap_or(if auto_why.is_some() {
        "default"
    } else {
        "auto"
    });
    html! {
        h1 { "Launch Instance" }
        @if let Some(error) = error { (error_box(error)) }
        form method="post" action="/launch" id="launch-form" class="launch" {
            (csrf_field(&authed.session.csrf))
            fieldset id="step-details" {
                legend { "Details" }
                label for="name" { "Instance name" }
                input id="name" name="name" required value=(form.raw("name").unwrap_or_default());
                (gated_input(GatedField::Description, "description", form, ctx, "Optional."))
                label for="availability_zone" { "Availability zone" }
                select id="availability_zone" name="availability_zone" {
                    option value="" { "Any availability zone" }
                    @for zone in &c.zones { option value=(zone) selected[selected(form, "availability_zone", zone)] { (zone) } }
                }
                label for="count" { "Count" }
                input id="count" name="count" type="number" min="1" max=(MAX_COUNT) value=(form.raw("count").unwrap_or("1"));
                small class="note" { "Instances: " (instances) }
            }
            fieldset id="step-source" {
                legend { "Source" }
                label for="image" { "Image" }
                @if c.images.is_empty() {
                    input id="image" name="image" value=(form.raw("image").unwrap_or_default()) aria-describedby="image-note";
                    small id="image-note" class="note" { "This cloud has no image service in its catalog: give an image ID." }
                } @else {
                    select id="image" name="image" {
                        @for image in &c.images {
                            option value=(image.id) selected[selected(form, "image", &image.id)] {
                                (image.name.clone().unwrap_or_else(|| image.id.clone()))
                                @if let Some(status) = &image.status { " (" (status) ")" }
                            }
                        }
                    }
                }
                div role="radiogroup" aria-label="Boot source" {
                    label { input type="radio" name="source" value="image" checked[source == "image"]; " Boot from the image (local disk)" }
                    label { input type="radio" name="source" value="volume" checked[source == "volume"] disabled[!ctx.has_volume_service]; " Boot from a new volume made from the image" }
                }
                @if !ctx.has_volume_service { small class="note disabled" { "Boot from volume is not available: the catalog has no block-storage service." } }
                label for="volume_size" { "Volume size (GiB)" }
                input id="volume_size" name="volume_size" type="number" min="1" value=(form.raw("volume_size").unwrap_or_default()) disabled[!ctx.has_volume_service];
                label { input type="checkbox" name="delete_on_terminate" checked[form.checked("delete_on_terminate")] disabled[!ctx.has_volume_service]; " Delete the volume with the instance" }
            }
            fieldset id="step-flavor" {
                legend { "Flavor" }
                p class="note" { "Quota: cores " (cores) ", RAM " (ram) "." }
                table class="flavors" {
                    thead { tr { th scope="col" { "Flavor" } th scope="col" { "vCPUs" } th scope="col" { "RAM" } th scope="col" { "Root disk" } th scope="col" { "Fits the quota" } } }
                    tbody {
                        @for flavor in &c.flavors {
                            @let fits = cores_left.is_none_or(|l| flavor.vcpus as i64 <= l) && ram_left.is_none_or(|l| flavor.ram as i64 <= l);
                            tr {
                                td { label { input type="radio" name="flavor" value=(flavor.id) checked[chosen_flavor.as_deref() == Some(flavor.id.as_str())]; " " (flavor.name) } }
                                td { (flavor.vcpus) } td { (flavor.ram) " MiB" } td { (flavor.disk) " GiB" }
                                td { @if fits { "yes" } @else { strong { "no" } } }
                            }
                        }
                    }
                }
            }
            fieldset id="step-networks" {
                legend { "Networks" }
                @if c.networks.is_empty() {
                    div role="radiogroup" aria-label="Network" {
                        label { input type="radio" name="network_mode" value="auto" checked[network_mode == "auto"] disabled[auto_why.is_some()]; " Allocate a network automatically (auto)" }
                        label { input type="radio" name="network_mode" value="none" checked[network_mode == "none"] disabled[auto_why.is_some()]; " No network (none)" }
                        @if let Some(why) = &auto_why {
                            label { input type="radio" name="network_mode" value="default" checked[network_mode == "default"]; " The cloud's default networks" }
                            small class="note disabled" { "auto and none: " (why) }
                        }
                    }
                } @else {
                    @for network in &c.networks {
                        label { input type="checkbox" name="network" value=(network.id) checked[form.all("network").contains(&network.id.as_str())]; " " (network.name.clone().unwrap_or_else(|| network.id.clone())) }
                    }
                    small class="note" { "None checked: Nova allocates a network (auto)." }
                    input type="hidden" name="network_mode" value="auto";
                }
            }
            fieldset id="step-security" {
                legend { "Security groups" }
                label for="security_groups" { "Security groups" }
                input id="security_groups" name="security_groups" value=(form.raw("security_groups").unwrap_or_default()) aria-describedby="sg-note";
                small id="sg-note" class="note" { "Names, comma separated; empty: the project's default group." }
            }
            fieldset id="step-keypair" {
                legend { "Key pair" }
                label for="key_name" { "Key pair" }
                select id="key_name" name="key_name" {
                    option value="" { "No key pair" }
                    @for key in &c.keypairs { option value=(key.name) selected[selected(form, "key_name", &key.name)] { (key.name) } }
                }
                small class="note" { "Import a key pair below the form." }
            }
            fieldset id="step-configuration" {
                legend { "Configuration" }
                label for="user_data" { "User data (customization script)" }
                textarea id="user_data" name="user_data" rows="5" { (form.raw("user_data").unwrap_or_default()) }
                label for="disk_config" { "Disk partition" }
                select id="disk_config" name="disk_config" {
                    option value="" { "Cloud default" }
                    option value="AUTO" selected[selected(form, "disk_config", "AUTO")] { "Automatic" }
                    option value="MANUAL" selected[selected(form, "disk_config", "MANUAL")] { "Manual" }
                }
                label { input type="checkbox" name="config_drive" checked[form.checked("config_drive")]; " Configuration drive" }
                label for="admin_pass" { "Admin password" }
                input id="admin_pass" name="admin_pass" type="password" autocomplete="new-password";
            }
            fieldset id="step-groups" {
                legend { "Server groups and scheduler hints" }
                label for="server_group" { "Server group" }
                select id="server_group" name="server_group" {
                    option value="" { "None" }
                    @for group in &c.groups {
                        option value=(group.id) selected[selected(form, "server_group", &group.id)] {
                            (group.name) " (" (group.policy.clone().or_else(|| group.policies.as_ref().and_then(|p| p.first().cloned())).unwrap_or_default()) ")"
                        }
                    }
                }
                label for="hints" { "Scheduler hints" }
                textarea id="hints" name="hints" rows="2" aria-describedby="hints-note" { (form.raw("hints").unwrap_or_default()) }
                small id="hints-note" class="note" { "KEY=VALUE per line, e.g. different_host=<server id>." }
            }
            fieldset id="step-metadata" {
                legend { "Metadata and tags" }
                label for="metadata" { "Metadata" }
                textarea id="metadata" name="metadata" rows="2" aria-describedby="metadata-note" { (form.raw("metadata").unwrap_or_default()) }
                small id="metadata-note" class="note" { "KEY=VALUE per line." }
                (gated_input(GatedField::Tags, "tags", form, ctx, "Comma separated."))
                (gated_input(GatedField::Hostname, "hostname", form, ctx, "The guest's hostname; optional."))
            }
            button type="submit" class="primary" id="launch" { "Launch Instance" }
        }
        form method="post" action="/keypairs" class="keypair-import" id="keypair-form" {
            (csrf_field(&authed.session.csrf))
            h2 { "Import a key pair" }
            label for="keypair_name" { "Key pair name" }
            input id="keypair_name" name="keypair_name";
            label for="public_key" { "Public key" }
            textarea id="public_key" name="public_key" rows="3" {}
            button type="submit" id="import-keypair" { "Import key pair" }
        }
    }
}

async fn render(
    state: &SharedState,
    authed: &Authed,
    form: &FormData,
    error: Option<&DashboardError>,
    status: StatusCode,
) -> Response {
    let cloud = &authed.session.cloud;
    let choices = match choices(cloud).await {
        Ok(c) => c,
        Err(error) => return failure(state, authed, error),
    };
    let flash = state.sessions.take_flash(&authed.id);
    let body = html! {
        @if let Some(text) = &flash { (notice(text)) }
        (form_markup(authed, &choices, form, &context(cloud), error))
    };
    html_response(status, page("Launch Instance", Some(&authed.session), body))
}

/// `GET /launch`
pub async fn show(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    match authed(&state, &headers, false) {
        Ok(authed) => render(&state, &authed, &FormData::default(), None, StatusCode::OK).await,
        Err(rejected) => rejected.into_response(),
    }
}

/// `POST /launch`: creates the server(s) through nova-v2 and shows the new server's page,
/// where its status moves from BUILD to ACTIVE (or its fault appears).
pub async fn submit(State(state): State<SharedState>, headers: HeaderMap, body: Bytes) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let form = FormData::parse(&body);
    if !form.csrf_ok(&authed.session.csrf) {
        return csrf_rejected(Some(&authed.session));
    }
    let cloud = &authed.session.cloud;
    let request = match create_request(&form, &context(cloud)) {
        Ok(request) => request,
        Err(error) => {
            return render(
                &state,
                &authed,
                &form,
                Some(&error),
                StatusCode::BAD_REQUEST,
            )
            .await;
        }
    };
    match cloud.compute.servers().create(&request).await {
        Ok(created) => {
            let rid = created.request_id.clone().unwrap_or_else(|| "-".into());
            let server = created.value;
            tracing::info!(id = %server.id, request_id = %rid, "server created");
            state
                .sessions
                .set_flash(&authed.id, format!("Launch requested (request {rid})."));
            redirect(&view::server_path(&server.id, ""))
        }
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => {
            failure(&state, &authed, error.into())
        }
        Err(error) => {
            let error = DashboardError::Compute(error);
            render(
                &state,
                &authed,
                &form,
                Some(&error),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}

/// `POST /keypairs`: imports a public key, back to the launch form.
pub async fn import_keypair(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let authed = match authed(&state, &headers, false) {
        Ok(a) => a,
        Err(rejected) => return rejected.into_response(),
    };
    let form = FormData::parse(&body);
    if !form.csrf_ok(&authed.session.csrf) {
        return csrf_rejected(Some(&authed.session));
    }
    let (Some(name), Some(key)) = (form.get("keypair_name"), form.get("public_key")) else {
        let error = DashboardError::field("Key pair name", "and the public key are both required");
        return render(
            &state,
            &authed,
            &FormData::default(),
            Some(&error),
            StatusCode::BAD_REQUEST,
        )
        .await;
    };
    match authed
        .session
        .cloud
        .compute
        .keypairs()
        .create(&CreateKeypair::new(name).public_key(key))
        .await
    {
        Ok(created) => {
            state.sessions.set_flash(
                &authed.id,
                format!("Key pair {} imported.", created.value.name),
            );
            redirect("/launch")
        }
        Err(error) => {
            let error = DashboardError::Compute(error);
            render(
                &state,
                &authed,
                &FormData::default(),
                Some(&error),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}
