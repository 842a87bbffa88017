//! Server states: `vm_state`, `task_state`, `power_state`, and the API `status` derived from them
//! (Nova's `_STATE_MAP` in `nova/api/openstack/common.py`).

/// `OS-EXT-STS:vm_state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmState {
    /// `active`
    Active,
    /// `building`
    Building,
    /// `paused`
    Paused,
    /// `suspended`
    Suspended,
    /// `stopped`
    Stopped,
    /// `rescued`
    Rescued,
    /// `resized`
    Resized,
    /// `soft-delete`
    SoftDeleted,
    /// `error`
    Error,
    /// `shelved`
    Shelved,
    /// `shelved_offloaded`
    ShelvedOffloaded,
}

impl VmState {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            VmState::Active => "active",
            VmState::Building => "building",
            VmState::Paused => "paused",
            VmState::Suspended => "suspended",
            VmState::Stopped => "stopped",
            VmState::Rescued => "rescued",
            VmState::Resized => "resized",
            VmState::SoftDeleted => "soft-delete",
            VmState::Error => "error",
            VmState::Shelved => "shelved",
            VmState::ShelvedOffloaded => "shelved_offloaded",
        }
    }

    /// The power state a server settles in when idle in this vm_state.
    pub fn resting_power_state(self) -> PowerState {
        match self {
            VmState::Active | VmState::Rescued | VmState::Resized => PowerState::Running,
            VmState::Paused => PowerState::Paused,
            VmState::Suspended => PowerState::Suspended,
            VmState::Stopped | VmState::Shelved | VmState::ShelvedOffloaded => PowerState::Shutdown,
            VmState::Building | VmState::SoftDeleted | VmState::Error => PowerState::NoState,
        }
    }
}

/// `OS-EXT-STS:task_state` values the mock uses (null when idle).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    /// `spawning`
    Spawning,
    /// `rebooting`
    Rebooting,
    /// `rebooting_hard`
    RebootingHard,
    /// `powering-off`
    PoweringOff,
    /// `powering-on`
    PoweringOn,
    /// `pausing`
    Pausing,
    /// `unpausing`
    Unpausing,
    /// `suspending`
    Suspending,
    /// `resuming`
    Resuming,
    /// `rescuing`
    Rescuing,
    /// `unrescuing`
    Unrescuing,
    /// `resize_prep`
    ResizePrep,
    /// `resize_reverting`
    ResizeReverting,
    /// `rebuilding`
    Rebuilding,
    /// `image_snapshot`
    ImageSnapshot,
    /// `image_backup` (createBackup)
    ImageBackup,
    /// `shelving`
    Shelving,
    /// `shelving_offloading`
    ShelvingOffloading,
    /// `unshelving`
    Unshelving,
    /// `deleting`
    Deleting,
    /// `resize_migrating` (resize and cold migration)
    ResizeMigrating,
    /// `resize_migrated`
    ResizeMigrated,
    /// `resize_finish`
    ResizeFinish,
    /// `migrating` (live migration)
    Migrating,
}

impl TaskState {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskState::Spawning => "spawning",
            TaskState::Rebooting => "rebooting",
            TaskState::RebootingHard => "rebooting_hard",
            TaskState::PoweringOff => "powering-off",
            TaskState::PoweringOn => "powering-on",
            TaskState::Pausing => "pausing",
            TaskState::Unpausing => "unpausing",
            TaskState::Suspending => "suspending",
            TaskState::Resuming => "resuming",
            TaskState::Rescuing => "rescuing",
            TaskState::Unrescuing => "unrescuing",
            TaskState::ResizePrep => "resize_prep",
            TaskState::ResizeReverting => "resize_reverting",
            TaskState::Rebuilding => "rebuilding",
            TaskState::ImageSnapshot => "image_snapshot",
            TaskState::ImageBackup => "image_backup",
            TaskState::Shelving => "shelving",
            TaskState::ShelvingOffloading => "shelving_offloading",
            TaskState::Unshelving => "unshelving",
            TaskState::Deleting => "deleting",
            TaskState::ResizeMigrating => "resize_migrating",
            TaskState::ResizeMigrated => "resize_migrated",
            TaskState::ResizeFinish => "resize_finish",
            TaskState::Migrating => "migrating",
        }
    }
}

/// `OS-EXT-STS:power_state` (an integer on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerState {
    /// 0
    NoState,
    /// 1
    Running,
    /// 3
    Paused,
    /// 4
    Shutdown,
    /// 7
    Suspended,
}

impl PowerState {
    /// The wire value.
    pub fn code(self) -> u8 {
        match self {
            PowerState::NoState => 0,
            PowerState::Running => 1,
            PowerState::Paused => 3,
            PowerState::Shutdown => 4,
            PowerState::Suspended => 7,
        }
    }
}

/// The API `status` for a vm_state / task_state pair, exactly as Nova's `_STATE_MAP`.
pub fn status_of(vm: VmState, task: Option<TaskState>) -> &'static str {
    use TaskState as T;
    match vm {
        VmState::Active => match task {
            Some(T::Rebooting) => "REBOOT",
            Some(T::RebootingHard) => "HARD_REBOOT",
            Some(T::Rebuilding) => "REBUILD",
            Some(T::ResizePrep) => "RESIZE",
            Some(T::ResizeMigrating | T::ResizeMigrated | T::ResizeFinish) => "RESIZE",
            Some(T::Migrating) => "MIGRATING",
            _ => "ACTIVE",
        },
        VmState::Building => "BUILD",
        VmState::Stopped => match task {
            Some(T::ResizePrep) => "RESIZE",
            Some(T::ResizeMigrating | T::ResizeMigrated | T::ResizeFinish) => "RESIZE",
            Some(T::Rebuilding) => "REBUILD",
            _ => "SHUTOFF",
        },
        VmState::Resized => match task {
            Some(T::ResizeReverting) => "REVERT_RESIZE",
            _ => "VERIFY_RESIZE",
        },
        VmState::Paused => match task {
            Some(T::Migrating) => "MIGRATING",
            _ => "PAUSED",
        },
        VmState::Suspended => "SUSPENDED",
        VmState::Rescued => "RESCUE",
        VmState::Error => match task {
            Some(T::Rebuilding) => "REBUILD",
            _ => "ERROR",
        },
        VmState::SoftDeleted => "SOFT_DELETED",
        VmState::Shelved => "SHELVED",
        VmState::ShelvedOffloaded => "SHELVED_OFFLOADED",
    }
}

/// Whether `progress` is shown for this status (README 4(f)).
pub fn shows_progress(status: &str) -> bool {
    matches!(
        status,
        "ACTIVE" | "BUILD" | "REBUILD" | "RESIZE" | "VERIFY_RESIZE" | "MIGRATING"
    )
}

/// The vm_states a `status` list filter selects (Nova's `task_and_vm_state_from_status`).
/// Unknown statuses give `None`.
pub fn vm_states_for_status(status: &str) -> Option<&'static [&'static str]> {
    Some(match status.to_ascii_uppercase().as_str() {
        "ACTIVE" | "REBOOT" | "HARD_REBOOT" | "PASSWORD" | "MIGRATING" => &["active"],
        "BUILD" => &["building"],
        "SHUTOFF" => &["stopped"],
        "VERIFY_RESIZE" | "REVERT_RESIZE" => &["resized"],
        "RESIZE" => &["active", "stopped"],
        "REBUILD" => &["active", "stopped", "error"],
        "PAUSED" => &["paused"],
        "SUSPENDED" => &["suspended"],
        "RESCUE" => &["rescued"],
        "ERROR" => &["error"],
        "DELETED" => &["deleted"],
        "SOFT_DELETED" => &["soft-delete"],
        "SHELVED" => &["shelved"],
        "SHELVED_OFFLOADED" => &["shelved_offloaded"],
        "UNKNOWN" => &[],
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_map_follows_nova() {
        assert_eq!(status_of(VmState::Active, None), "ACTIVE");
        assert_eq!(
            status_of(VmState::Active, Some(TaskState::Rebooting)),
            "REBOOT"
        );
        assert_eq!(
            status_of(VmState::Active, Some(TaskState::RebootingHard)),
            "HARD_REBOOT"
        );
        assert_eq!(
            status_of(VmState::Active, Some(TaskState::PoweringOff)),
            "ACTIVE"
        );
        assert_eq!(
            status_of(VmState::Stopped, Some(TaskState::ResizePrep)),
            "RESIZE"
        );
        assert_eq!(status_of(VmState::Stopped, None), "SHUTOFF");
        assert_eq!(status_of(VmState::Resized, None), "VERIFY_RESIZE");
        assert_eq!(
            status_of(VmState::Resized, Some(TaskState::ResizeReverting)),
            "REVERT_RESIZE"
        );
        assert_eq!(
            status_of(VmState::Error, Some(TaskState::Rebuilding)),
            "REBUILD"
        );
        assert_eq!(
            status_of(VmState::ShelvedOffloaded, None),
            "SHELVED_OFFLOADED"
        );
        assert_eq!(
            status_of(VmState::Building, Some(TaskState::Spawning)),
            "BUILD"
        );
        assert_eq!(
            status_of(VmState::Active, Some(TaskState::Migrating)),
            "MIGRATING"
        );
        assert_eq!(
            status_of(VmState::Stopped, Some(TaskState::ResizeMigrating)),
            "RESIZE"
        );
    }

    #[test]
    fn progress_only_in_named_statuses() {
        assert!(shows_progress("BUILD"));
        assert!(shows_progress("VERIFY_RESIZE"));
        assert!(!shows_progress("SHUTOFF"));
        assert!(!shows_progress("ERROR"));
    }

    #[test]
    fn status_filter_maps_to_vm_states() {
        assert_eq!(vm_states_for_status("shutoff"), Some(&["stopped"][..]));
        assert_eq!(vm_states_for_status("BOGUS"), None);
    }
}
