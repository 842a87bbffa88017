//! The command line: global options and every command, with python-novaclient's names and
//! flags. Parsing does no I/O, so `nova --version` and `nova help` never authenticate.

use clap::{Args, Parser, Subcommand, ValueEnum};
use secrecy::SecretString;

use crate::error::EXIT_CODES_HELP;

/// Reads a secret option (a password, token or credential secret) straight into a
/// `SecretString`, so that no `Debug` of the parsed command line can show it.
pub fn secret(text: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(text))
}

/// `nova`: the OpenStack Compute command-line client.
#[derive(Debug, Parser)]
#[command(
    name = "nova",
    version,
    about = "Command-line interface to the OpenStack Compute API",
    long_about = "Command-line interface to the OpenStack Compute API, with python-novaclient's \
                  commands and flags. Credentials come from --os-cloud / OS_CLOUD (clouds.yaml and \
                  secure.yaml), OS_* environment variables, and the --os-* options below, in \
                  increasing order of precedence.",
    after_long_help = EXIT_CODES_HELP,
    disable_help_subcommand = true,
    infer_long_args = true
)]
pub struct Cli {
    /// Options that apply to every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// novaclient's bordered tables.
    #[default]
    Table,
    /// JSON (a list of objects, or one object).
    Json,
    /// YAML.
    Yaml,
    /// Bare values, one row per line, separated by spaces.
    Value,
}

/// Global options: the cloud, credentials, transport and output.
#[derive(Debug, Args, Default)]
pub struct GlobalArgs {
    /// Cloud name in clouds.yaml.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_cloud: Option<String>,
    /// Authentication URL (Keystone v3).
    #[arg(long, global = true, value_name = "URL")]
    pub os_auth_url: Option<String>,
    /// Authentication type: password, token, v3applicationcredential, admin_token.
    #[arg(long, global = true, value_name = "TYPE")]
    pub os_auth_type: Option<String>,
    /// User name.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_username: Option<String>,
    /// User id.
    #[arg(long, global = true, value_name = "ID")]
    pub os_user_id: Option<String>,
    /// Password (prefer OS_PASSWORD or secure.yaml: arguments are visible to other users).
    #[arg(long, global = true, value_name = "PASSWORD", value_parser = secret)]
    pub os_password: Option<SecretString>,
    /// The user's domain name.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_user_domain_name: Option<String>,
    /// The user's domain id.
    #[arg(long, global = true, value_name = "ID")]
    pub os_user_domain_id: Option<String>,
    /// Project name to scope to.
    #[arg(long, global = true, value_name = "NAME", alias = "os-tenant-name")]
    pub os_project_name: Option<String>,
    /// Project id to scope to.
    #[arg(long, global = true, value_name = "ID", alias = "os-tenant-id")]
    pub os_project_id: Option<String>,
    /// The project's domain name.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_project_domain_name: Option<String>,
    /// The project's domain id.
    #[arg(long, global = true, value_name = "ID")]
    pub os_project_domain_id: Option<String>,
    /// Domain name to scope to.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_domain_name: Option<String>,
    /// Domain id to scope to.
    #[arg(long, global = true, value_name = "ID")]
    pub os_domain_id: Option<String>,
    /// Default domain id for user and project.
    #[arg(long, global = true, value_name = "ID")]
    pub os_default_domain_id: Option<String>,
    /// Default domain name for user and project.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_default_domain_name: Option<String>,
    /// System scope (`all`).
    #[arg(long, global = true, value_name = "SCOPE")]
    pub os_system_scope: Option<String>,
    /// An existing token.
    #[arg(long, global = true, value_name = "TOKEN", value_parser = secret)]
    pub os_token: Option<SecretString>,
    /// Application credential id.
    #[arg(long, global = true, value_name = "ID")]
    pub os_application_credential_id: Option<String>,
    /// Application credential name.
    #[arg(long, global = true, value_name = "NAME")]
    pub os_application_credential_name: Option<String>,
    /// Application credential secret.
    #[arg(long, global = true, value_name = "SECRET", value_parser = secret)]
    pub os_application_credential_secret: Option<SecretString>,
    /// Compute endpoint to use instead of the catalog's.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        alias = "os-endpoint-override"
    )]
    pub os_endpoint: Option<String>,
    /// Region of the endpoints.
    #[arg(long, global = true, value_name = "REGION")]
    pub os_region_name: Option<String>,
    /// Endpoint interface: public, internal or admin.
    #[arg(
        long,
        global = true,
        value_name = "INTERFACE",
        alias = "os-endpoint-type"
    )]
    pub os_interface: Option<String>,
    /// CA bundle to verify TLS servers with.
    #[arg(long, global = true, value_name = "FILE")]
    pub os_cacert: Option<std::path::PathBuf>,
    /// Client certificate (PEM).
    #[arg(long, global = true, value_name = "FILE")]
    pub os_cert: Option<std::path::PathBuf>,
    /// Client certificate key (PEM).
    #[arg(long, global = true, value_name = "FILE")]
    pub os_key: Option<std::path::PathBuf>,
    /// Do not verify TLS certificates.
    #[arg(long, global = true)]
    pub insecure: bool,
    /// Compute API version: X.Y pins it (and fails if the server does not support it); the
    /// default negotiates the highest version both sides support.
    #[arg(
        long,
        global = true,
        value_name = "VERSION",
        env = "OS_COMPUTE_API_VERSION",
        default_value = "latest"
    )]
    pub os_compute_api_version: String,
    /// Deadline for each HTTP request, in seconds, with its retries and the waits between
    /// them (`Retry-After` included); novaclient's default of 600.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 600.0)]
    pub timeout: f64,
    /// Extra attempts after a connection failure (the README's Reliability rules).
    #[arg(long, global = true, value_name = "N", default_value_t = 3)]
    pub connect_retries: u32,
    /// Do not print the warning `--insecure` / `OS_INSECURE` otherwise prints every time.
    #[arg(long, global = true, env = "NOVA_NO_INSECURE_WARNING")]
    pub no_insecure_warning: bool,
    /// Print each HTTP request as a curl command and each response (secrets masked) on stderr.
    #[arg(long, global = true)]
    pub debug: bool,
    /// Print a table of every HTTP request's time on stderr at exit.
    #[arg(long, global = true)]
    pub timings: bool,
    /// Output format.
    #[arg(long, short = 'f', global = true, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Seconds between polls while waiting (--poll, --wait).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 2.0)]
    pub poll_interval: f64,
    /// Seconds to wait before giving up (--poll, --wait).
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 600.0)]
    pub wait_timeout: f64,
}

/// One or more servers by name or id.
#[derive(Debug, Args)]
pub struct ServersArg {
    /// Name or ID of server(s).
    #[arg(required = true, value_name = "SERVER")]
    pub servers: Vec<String>,
}

/// Every command.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Boot a new server.
    Boot(Box<BootArgs>),
    /// List servers.
    List(Box<ListArgs>),
    /// Show details about the given server.
    Show {
        /// Name or ID of server.
        server: String,
        /// Skip the flavor and image name lookups.
        #[arg(long)]
        minimal: bool,
    },
    /// Immediately shut down and delete specified server(s).
    Delete {
        /// Servers to delete.
        #[command(flatten)]
        servers: ServersArg,
        /// Wait until the servers are gone.
        #[arg(long)]
        wait: bool,
        /// Delete server(s) in another tenant by name (Admin only).
        #[arg(long = "all-tenants")]
        all_tenants: bool,
    },
    /// Reboot a server.
    Reboot {
        /// Servers to reboot.
        #[command(flatten)]
        servers: ServersArg,
        /// Perform a hard reboot (instead of a soft one).
        #[arg(long)]
        hard: bool,
        /// Wait until reboot is complete.
        #[arg(long)]
        poll: bool,
    },
    /// Stop the server(s).
    Stop(AllTenantsServers),
    /// Start the server(s).
    Start(AllTenantsServers),
    /// Pause a server.
    Pause(PollableServers),
    /// Unpause a server.
    Unpause(PollableServers),
    /// Suspend a server.
    Suspend(PollableServers),
    /// Resume a server.
    Resume(PollableServers),
    /// Lock a server.
    Lock {
        /// Servers to lock.
        #[command(flatten)]
        servers: ServersArg,
        /// Reason for locking the server (2.73+).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Unlock a server.
    Unlock(ServersArg),
    /// Resize a server.
    Resize {
        /// Name or ID of server.
        server: String,
        /// Name or ID of new flavor.
        flavor: String,
        /// Wait until the resize is ready to confirm (VERIFY_RESIZE).
        #[arg(long)]
        poll: bool,
    },
    /// Confirm a previous resize.
    #[command(name = "resize-confirm")]
    ResizeConfirm {
        /// Name or ID of server.
        server: String,
    },
    /// Revert a previous resize (and return to the previous VM).
    #[command(name = "resize-revert")]
    ResizeRevert {
        /// Name or ID of server.
        server: String,
    },
    /// Shut down, re-image, and re-boot a server.
    Rebuild(Box<RebuildArgs>),
    /// Update the name or the description for a server.
    Update(Box<UpdateArgs>),
    /// Create a new image by taking a snapshot of a running server.
    #[command(name = "image-create")]
    ImageCreate {
        /// Name or ID of server.
        server: String,
        /// Name of snapshot.
        name: String,
        /// Record arbitrary key/value metadata (repeatable).
        #[arg(long = "metadata", value_name = "KEY=VALUE")]
        metadata: Vec<String>,
        /// Print the server's details after the snapshot is taken.
        #[arg(long)]
        show: bool,
        /// Wait until the snapshot finishes (the server's task state is idle).
        #[arg(long)]
        poll: bool,
    },
    /// Get console log output of a server.
    #[command(name = "console-log")]
    ConsoleLog {
        /// Name or ID of server.
        server: String,
        /// Length in lines to tail.
        #[arg(long)]
        length: Option<u32>,
        /// Print the console bytes as they are, control characters included (by default
        /// they are shown escaped when stdout is a terminal).
        #[arg(long)]
        raw: bool,
    },
    /// Set or delete metadata on a server.
    Meta {
        /// Name or ID of server.
        server: String,
        /// Actions: 'set' or 'delete'.
        #[arg(value_parser = ["set", "delete"])]
        action: String,
        /// Metadata to set or delete (only key is necessary on delete).
        #[arg(required = true, value_name = "KEY=VALUE")]
        metadata: Vec<String>,
    },
    /// Get list of tags from a server (2.26+).
    #[command(name = "server-tag-list")]
    ServerTagList {
        /// Name or ID of server.
        server: String,
    },
    /// Add one or more tags to a server (2.26+).
    #[command(name = "server-tag-add")]
    ServerTagAdd {
        /// Name or ID of server.
        server: String,
        /// Tag(s) to add.
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Set list of tags to a server, replacing the existing ones (2.26+).
    #[command(name = "server-tag-set")]
    ServerTagSet {
        /// Name or ID of server.
        server: String,
        /// Tag(s) to set.
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Delete one or more tags from a server (2.26+).
    #[command(name = "server-tag-delete")]
    ServerTagDelete {
        /// Name or ID of server.
        server: String,
        /// Tag(s) to delete.
        #[arg(required = true)]
        tags: Vec<String>,
    },
    /// Delete all tags from a server (2.26+).
    #[command(name = "server-tag-delete-all")]
    ServerTagDeleteAll {
        /// Name or ID of server.
        server: String,
    },
    /// Print a list of available 'flavors' (sizes of servers).
    #[command(name = "flavor-list")]
    FlavorList(crate::commands::flavors::FlavorListArgs),
    /// Show details about the given flavor.
    #[command(name = "flavor-show")]
    FlavorShow {
        /// Name or ID of flavor.
        flavor: String,
    },
    /// Create a new key pair for use with servers.
    #[command(name = "keypair-add")]
    KeypairAdd {
        /// Name of key.
        name: String,
        /// Path to a public ssh key (without it, Nova generates one below 2.92).
        #[arg(long = "pub-key", value_name = "FILE")]
        pub_key: Option<std::path::PathBuf>,
        /// Keypair type: ssh or x509 (2.2+).
        #[arg(long = "key-type")]
        key_type: Option<String>,
        /// ID of the user the keypair belongs to (admin, 2.10+).
        #[arg(long)]
        user: Option<String>,
    },
    /// Print a list of keypairs for a user.
    #[command(name = "keypair-list")]
    KeypairList {
        /// List key-pairs of specified user ID (Admin only, 2.10+).
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
        /// The last keypair of the previous page; displays list of keypairs after "marker" (2.35+).
        #[arg(long, value_name = "marker")]
        marker: Option<String>,
        /// Maximum number of keypairs to display (2.35+; Nova caps it at its `max_limit`).
        #[arg(long, value_name = "limit")]
        limit: Option<u32>,
    },
    /// Show details about the given keypair.
    #[command(name = "keypair-show")]
    KeypairShow {
        /// Name of keypair.
        keypair: String,
        /// ID of key-pair owner (Admin only, 2.10+).
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
    },
    /// Delete keypair given by its name.
    #[command(name = "keypair-delete")]
    KeypairDelete {
        /// Name of keypair.
        name: String,
        /// ID of key-pair owner (Admin only, 2.10+).
        #[arg(long, value_name = "user-id")]
        user: Option<String>,
    },
    /// Print absolute limits for a user.
    Limits {
        /// Display information from single tenant (Admin only; without a value: ignored).
        #[arg(long, value_name = "tenant", num_args = 0..=1)]
        tenant: Option<String>,
        /// Include reservations count (always 0 on Nova; not sent from 2.75, which refuses it).
        #[arg(long)]
        reserved: bool,
    },
    /// List all the availability zones.
    #[command(name = "availability-zone-list")]
    AvailabilityZoneList,
    /// List all API versions of the compute endpoint.
    #[command(name = "version-list")]
    VersionList,
    /// Display help about this program or one of its commands.
    Help {
        /// The command to describe.
        command: Option<String>,
    },
    /// Moving servers: migrate, live-migration, evacuate, server migrations, migration list.
    #[command(flatten)]
    Moves(crate::commands::moves::MoveCommand),
    /// More server actions: restore, trigger-crash-dump, backup, set-password, security groups, floating IPs, passwords.
    #[command(flatten)]
    ServerAdmin(crate::commands::server_admin::ServerAdminCommand),
    /// Interfaces and volume attachments.
    #[command(flatten)]
    Attachments(crate::commands::attachments::AttachmentCommand),
    /// Remote consoles.
    #[command(flatten)]
    Consoles(crate::commands::consoles::ConsoleCommand),
    /// Instance actions, diagnostics and topology.
    #[command(flatten)]
    ServerInfo(crate::commands::server_info::ServerInfoCommand),
    /// Hypervisors.
    #[command(flatten)]
    Hypervisors(crate::commands::hypervisors::HypervisorCommand),
    /// Compute services.
    #[command(flatten)]
    Services(crate::commands::services::ServiceCommand),
    /// Host aggregates.
    #[command(flatten)]
    Aggregates(crate::commands::aggregates::AggregateCommand),
    /// Simple tenant usage.
    #[command(flatten)]
    Usage(crate::commands::usage::UsageCommand),
    /// Server groups.
    #[command(flatten)]
    ServerGroups(crate::commands::server_groups::ServerGroupCommand),
    /// Quotas and quota classes.
    #[command(flatten)]
    Quotas(crate::commands::quotas::QuotaCommand),
    /// Flavor management: create, delete, update, extra specs, access.
    #[command(flatten)]
    FlavorAdmin(crate::commands::flavor_admin::FlavorAdminCommand),
    /// Rescue, shelve and force-delete.
    #[command(flatten)]
    RescueShelve(crate::commands::rescue_shelve::RescueShelveCommand),
    /// The instance usage audit log.
    #[command(flatten)]
    UsageAudit(crate::commands::usage_audit::UsageAuditCommand),
    /// Host-wide loops: host-evacuate-live, host-servers-migrate, host-meta.
    #[command(flatten)]
    HostLoops(crate::commands::host_loops::HostLoopCommand),
    /// Commands for APIs Nova removed (agent-*, reset-network): they show Nova's answer.
    #[command(flatten)]
    Removed(crate::commands::removed::RemovedCommand),
    /// SSH into a server.
    Ssh(crate::commands::ssh::SshArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completion {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the bash completion script (`nova completion bash`).
    #[command(name = "bash-completion", alias = "bash_completion")]
    BashCompletion,
}

/// `start` / `stop`: servers, `--poll` and `--all-tenants`.
#[derive(Debug, Args)]
pub struct AllTenantsServers {
    /// Servers and `--poll`.
    #[command(flatten)]
    pub inner: PollableServers,
    /// Act on server(s) in another tenant by name (Admin only).
    #[arg(long = "all-tenants")]
    pub all_tenants: bool,
}

/// Servers plus `--poll`.
#[derive(Debug, Args)]
pub struct PollableServers {
    /// Servers.
    #[command(flatten)]
    pub servers: ServersArg,
    /// Wait until the action has completed.
    #[arg(long)]
    pub poll: bool,
}

/// `nova boot`.
#[derive(Debug, Args)]
pub struct BootArgs {
    /// Name for the new server.
    pub name: String,
    /// Name or ID of flavor.
    #[arg(long, required = true)]
    pub flavor: String,
    /// Name or ID of image.
    #[arg(long)]
    pub image: Option<String>,
    /// Volume ID to boot from.
    #[arg(long = "boot-volume", value_name = "VOLUME_ID")]
    pub boot_volume: Option<String>,
    /// Snapshot ID to boot from (creates a volume).
    #[arg(long, value_name = "SNAPSHOT_ID")]
    pub snapshot: Option<String>,
    /// Boot at least this many servers (limited by quota).
    #[arg(long = "min-count", value_name = "N")]
    pub min_count: Option<u32>,
    /// Boot up to this many servers (limited by quota).
    #[arg(long = "max-count", value_name = "N")]
    pub max_count: Option<u32>,
    /// Record arbitrary key/value metadata (repeatable).
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    pub meta: Vec<String>,
    /// Key name of keypair to inject.
    #[arg(long = "key-name")]
    pub key_name: Option<String>,
    /// User data file to pass to the metadata server.
    #[arg(long = "user-data", value_name = "FILE")]
    pub user_data: Option<std::path::PathBuf>,
    /// The availability zone for server placement.
    #[arg(long = "availability-zone")]
    pub availability_zone: Option<String>,
    /// Comma separated list of security group names.
    #[arg(long = "security-groups")]
    pub security_groups: Option<String>,
    /// Block device mapping: `<dev-name>=<id>:<type>:<size(GiB)>:<delete-on-terminate>`
    /// (repeatable).
    #[arg(long = "block-device-mapping", value_name = "DEV=MAPPING")]
    pub block_device_mapping: Vec<String>,
    /// Block device mapping v2: `id=,source=,dest=,bus=,device=,size=,format=,bootindex=,
    /// type=,shutdown=,tag=,volume_type=` (repeatable).
    #[arg(long = "block-device", value_name = "KEY=VALUE,...")]
    pub block_device: Vec<String>,
    /// Send arbitrary key/value pairs to the scheduler (repeatable).
    #[arg(long = "hint", value_name = "KEY=VALUE")]
    pub hint: Vec<String>,
    /// A NIC: `net-id=<uuid>,v4-fixed-ip=<ip>,v6-fixed-ip=<ip>,port-id=<uuid>,tag=<tag>`, or
    /// `auto`, or `none` (repeatable).
    #[arg(long = "nic", value_name = "SPEC")]
    pub nic: Vec<String>,
    /// Enable config drive.
    #[arg(long = "config-drive", value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub config_drive: Option<String>,
    /// Description for the server (2.19+).
    #[arg(long)]
    pub description: Option<String>,
    /// Tags for the server, comma separated (2.52+).
    #[arg(long)]
    pub tags: Option<String>,
    /// Hostname for the server (2.90+).
    #[arg(long)]
    pub hostname: Option<String>,
    /// Admin password for the server.
    #[arg(long = "admin-pass", value_parser = secret)]
    pub admin_pass: Option<SecretString>,
    /// Return a reservation id instead of the server.
    #[arg(long = "return-reservation-id")]
    pub return_reservation_id: bool,
    /// Report the new server's boot progress until it completes.
    #[arg(long)]
    pub poll: bool,
    /// Store the local file <src-path> as <dst-path> on the new server (personality, below
    /// 2.57; repeatable).
    #[arg(long = "file", value_name = "dst-path=src-path")]
    pub files: Vec<String>,
    /// Create and attach a local swap block device of <swap_size> MiB.
    #[arg(long, value_name = "swap_size")]
    pub swap: Option<u64>,
    /// Create and attach a local ephemeral block device of <size> GiB and format it to
    /// <format> (repeatable).
    #[arg(long, value_name = "size=<size>[,format=<format>]")]
    pub ephemeral: Vec<String>,
    /// Alternative access IPv4 of the instance.
    #[arg(long = "access-ip-v4", value_name = "value")]
    pub access_ip_v4: Option<std::net::Ipv4Addr>,
    /// Alternative access IPv6 of the instance.
    #[arg(long = "access-ip-v6", value_name = "value")]
    pub access_ip_v6: Option<std::net::Ipv6Addr>,
    /// Trusted image certificate IDs used to validate certificates during the image
    /// signature verification process (2.63+; repeatable; defaults to
    /// OS_TRUSTED_IMAGE_CERTIFICATE_IDS, comma separated).
    #[arg(
        long = "trusted-image-certificate-id",
        value_name = "trusted-image-certificate-id",
        env = "OS_TRUSTED_IMAGE_CERTIFICATE_IDS",
        value_delimiter = ','
    )]
    pub trusted_image_certificates: Vec<String>,
    /// Requested host to create servers (Admin only by default, 2.74+).
    #[arg(long, value_name = "host")]
    pub host: Option<String>,
    /// Requested hypervisor hostname to create servers (Admin only by default, 2.74+).
    #[arg(long = "hypervisor-hostname", value_name = "hypervisor-hostname")]
    pub hypervisor_hostname: Option<String>,
}

/// `nova list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only return servers that match reservation-id.
    #[arg(long = "reservation-id")]
    pub reservation_id: Option<String>,
    /// Search with regular expression match by IP address.
    #[arg(long)]
    pub ip: Option<String>,
    /// Search with regular expression match by IPv6 address.
    #[arg(long)]
    pub ip6: Option<String>,
    /// Search with regular expression match by name.
    #[arg(long)]
    pub name: Option<String>,
    /// Search by server status.
    #[arg(long)]
    pub status: Option<String>,
    /// Search by flavor name or ID.
    #[arg(long)]
    pub flavor: Option<String>,
    /// Search by image name or ID.
    #[arg(long)]
    pub image: Option<String>,
    /// Search servers by hostname to which they are assigned (admin).
    #[arg(long)]
    pub host: Option<String>,
    /// Display information from all tenants (admin): `--all-tenants` alone is 1, `0` is off
    /// (novaclient's `nargs='?'`; the default comes from ALL_TENANTS).
    #[arg(
        long = "all-tenants",
        value_name = "0|1",
        num_args = 0..=1,
        default_missing_value = "1"
    )]
    pub all_tenants: Option<i64>,
    /// Display information from a single tenant (admin; the option without a value is
    /// ignored, as in novaclient).
    #[arg(long, value_name = "tenant", num_args = 0..=1)]
    pub tenant: Option<String>,
    /// Display information from a single user (admin before 2.83; without a value: ignored).
    #[arg(long, value_name = "user", num_args = 0..=1)]
    pub user: Option<String>,
    /// Only display deleted servers (admin).
    #[arg(long)]
    pub deleted: bool,
    /// Comma-separated list of fields to display.
    #[arg(long)]
    pub fields: Option<String>,
    /// Get only UUID and name.
    #[arg(long)]
    pub minimal: bool,
    /// Comma-separated list of sort keys and directions: `key1[:dir1],key2[:dir2]`.
    #[arg(long)]
    pub sort: Option<String>,
    /// The last server UUID of the previous page.
    #[arg(long)]
    pub marker: Option<String>,
    /// Maximum number of servers to display; -1 displays all (following pages).
    #[arg(long, allow_hyphen_values = true)]
    pub limit: Option<i64>,
    /// Only servers changed since this time (ISO 8601).
    #[arg(long = "changes-since")]
    pub changes_since: Option<String>,
    /// Only servers changed before this time (ISO 8601, 2.66+).
    #[arg(long = "changes-before")]
    pub changes_before: Option<String>,
    /// Servers with all these tags, comma separated (2.26+).
    #[arg(long)]
    pub tags: Option<String>,
    /// Servers with any of these tags (2.26+).
    #[arg(long = "tags-any")]
    pub tags_any: Option<String>,
    /// Servers without all of these tags (2.26+).
    #[arg(long = "not-tags")]
    pub not_tags: Option<String>,
    /// Servers without any of these tags (2.26+).
    #[arg(long = "not-tags-any")]
    pub not_tags_any: Option<String>,
    /// Only locked (true) or unlocked (false) servers (2.73+).
    #[arg(long)]
    pub locked: Option<bool>,
    /// Search by availability zone (admin only before 2.83).
    #[arg(long = "availability-zone")]
    pub availability_zone: Option<String>,
    /// Search by keypair name (admin only before 2.83).
    #[arg(long = "key-name")]
    pub key_name: Option<String>,
    /// Only display servers with a config drive attached (admin only before 2.83).
    #[arg(long = "config-drive", conflicts_with = "no_config_drive")]
    pub config_drive: bool,
    /// Only display servers without a config drive attached (admin only before 2.83).
    #[arg(long = "no-config-drive")]
    pub no_config_drive: bool,
    /// Search by progress value in percent (admin only before 2.83).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub progress: Option<u8>,
    /// Search by vm_state value (admin only before 2.83).
    #[arg(long = "vm-state", value_name = "state", value_parser = [
        "active", "building", "deleted", "error", "paused", "stopped", "suspended", "rescued",
        "resized", "shelved", "shelved_offloaded", "soft-delete",
    ])]
    pub vm_state: Option<String>,
    /// Search by task_state value (admin only before 2.83).
    #[arg(long = "task-state", value_name = "state", value_parser = [
        "block_device_mapping", "deleting", "image_backup", "image_pending_upload",
        "image_snapshot", "image_snapshot_pending", "image_uploading", "migrating",
        "networking", "pausing", "powering-off", "powering-on", "rebooting", "reboot_pending",
        "reboot_started", "reboot_pending_hard", "reboot_started_hard", "rebooting_hard",
        "rebuilding", "rebuild_block_device_mapping", "rebuild_spawning", "rescuing",
        "resize_confirming", "resize_finish", "resize_migrated", "resize_migrating",
        "resize_prep", "resize_reverting", "restoring", "resuming", "scheduling", "shelving",
        "shelving_image_pending_upload", "shelving_image_uploading", "shelving_offloading",
        "soft-deleting", "spawning", "suspending", "updating_password", "unpausing",
        "unrescuing", "unshelving",
    ])]
    pub task_state: Option<String>,
    /// Search by power_state value (admin only before 2.83).
    #[arg(long = "power-state", value_name = "state", value_parser = [
        "pending", "running", "paused", "shutdown", "crashed", "suspended",
    ])]
    pub power_state: Option<String>,
}

/// `nova update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Name (old name) or ID of server.
    pub server: String,
    /// New name for the server.
    #[arg(long)]
    pub name: Option<String>,
    /// New description for the server (2.19+); an empty string removes it.
    #[arg(long)]
    pub description: Option<String>,
    /// New hostname for the instance (2.90+).
    #[arg(long)]
    pub hostname: Option<String>,
}

/// `nova rebuild`.
#[derive(Debug, Args)]
pub struct RebuildArgs {
    /// Name or ID of server.
    pub server: String,
    /// Name or ID of new image.
    pub image: String,
    /// Set the provided admin password on the rebuilt server.
    #[arg(long = "rebuild-password", alias = "password", value_parser = secret)]
    pub password: Option<SecretString>,
    /// Name for the new server.
    #[arg(long)]
    pub name: Option<String>,
    /// New description for the server (2.19+).
    #[arg(long)]
    pub description: Option<String>,
    /// Record arbitrary key/value metadata (repeatable).
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    pub meta: Vec<String>,
    /// Keypair name to set (2.54+).
    #[arg(long = "key-name")]
    pub key_name: Option<String>,
    /// Unset keypair in the server (2.54+).
    #[arg(long = "key-unset", conflicts_with = "key_name")]
    pub key_unset: bool,
    /// User data file (2.57+).
    #[arg(long = "user-data", value_name = "FILE")]
    pub user_data: Option<std::path::PathBuf>,
    /// Unset user_data in the server (2.57+).
    #[arg(long = "user-data-unset", conflicts_with = "user_data")]
    pub user_data_unset: bool,
    /// Trusted image certificate IDs used to validate certificates during the image
    /// signature verification process (repeatable, 2.63+).
    #[arg(
        long = "trusted-image-certificate-id",
        value_name = "trusted-image-certificate-id"
    )]
    pub trusted_image_certificate_ids: Vec<String>,
    /// Unset trusted_image_certificates in the server (2.63+).
    #[arg(
        long = "trusted-image-certificates-unset",
        conflicts_with = "trusted_image_certificate_ids"
    )]
    pub trusted_image_certificates_unset: bool,
    /// New hostname for the instance (2.90+).
    #[arg(long)]
    pub hostname: Option<String>,
    /// Skips flavor/image lookups when showing servers (nothing is looked up anyway).
    #[arg(long)]
    pub minimal: bool,
    /// Preserve the default ephemeral storage partition on rebuild.
    #[arg(long = "preserve-ephemeral")]
    pub preserve_ephemeral: bool,
    /// Wait until rebuild is complete.
    #[arg(long)]
    pub poll: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn secrets_given_as_options_never_show_in_debug() {
        let cli = Cli::try_parse_from([
            "nova",
            "--os-password",
            "pw-SECRET-1",
            "--os-token",
            "tok-SECRET-2",
            "--os-application-credential-secret",
            "ac-SECRET-3",
            "boot",
            "--admin-pass",
            "ap-SECRET-4",
            "--flavor",
            "m1.tiny",
            "--image",
            "cirros",
            "web-1",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let text = format!("{cli:?}");
        assert!(!text.contains("SECRET"), "{text}");
        let password = cli.global.os_password.as_ref().map(|p| p.expose_secret());
        assert_eq!(password, Some("pw-SECRET-1"));
        let Command::Boot(boot) = &cli.command else {
            panic!("boot parsed as {:?}", cli.command);
        };
        let admin_pass = boot.admin_pass.as_ref().map(|p| p.expose_secret());
        assert_eq!(admin_pass, Some("ap-SECRET-4"));
    }
}
