//! Integration tests: consoles. Below 2.6 the client uses the `os-get*Console` actions, from
//! 2.6 `remote-consoles`; tokens resolve through `os-console-auth-tokens` for admins.

use integration_tests::{TestCloud, act_and_wait};
use nova_core::Error;
use nova_v2::{ConsoleProtocol, ConsoleType};

#[tokio::test]
async fn a_vnc_console_comes_from_the_action_below_2_6_and_remote_consoles_from_2_6() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("needs WebMKS consoles, which Nova's fake driver does not offer")
        .is_none()
    {
        return;
    }

    let Some(admin) = cloud.admin_compute("2.31").await else {
        return;
    };
    let (_created, old, id) = cloud.active_server("2.5", "vnc").await;

    let legacy = old
        .consoles()
        .vnc_console(&id, ConsoleType::Novnc)
        .await
        .expect("os-getVNCConsole")
        .value;
    assert_eq!(legacy.protocol, Some(ConsoleProtocol::Vnc));
    assert_eq!(legacy.console_type, Some(ConsoleType::Novnc));
    let new = cloud.compute("2.8").await;
    let remote = new
        .consoles()
        .vnc_console(&id, ConsoleType::Novnc)
        .await
        .expect("remote-consoles")
        .value;
    assert_eq!(remote.protocol, Some(ConsoleProtocol::Vnc));
    let token = remote.token().expect("token in the URL");
    assert_ne!(
        Some(token.clone()),
        legacy.token(),
        "a fresh token per console"
    );
    let mks = new.consoles().mks_console(&id).await.expect("mks").value;
    assert_eq!(mks.console_type, Some(ConsoleType::Webmks));

    let info = admin
        .consoles()
        .connect_info(&token)
        .await
        .expect("admin reads the token")
        .value;
    assert_eq!(info.instance_uuid, id);
    assert!(info.port.is_some());
    let denied = new.consoles().connect_info(&token).await;
    assert!(matches!(denied, Err(Error::Forbidden(_))), "{denied:?}");
    let unknown = admin.consoles().connect_info("no-such-token").await;
    assert!(matches!(unknown, Err(Error::NotFound(_))), "{unknown:?}");
}

#[tokio::test]
async fn console_types_are_checked_against_protocol_and_microversion_before_sending() {
    let cloud = TestCloud::start().await;
    let client = cloud.compute("2.7").await;
    let consoles = client.consoles();
    let error = consoles
        .mks_console("any")
        .await
        .expect_err("mks needs 2.8");
    assert!(
        matches!(error, Error::VersionNotSupported { .. }),
        "{error:?}"
    );
    let error = consoles
        .vnc_console("any", ConsoleType::SpiceHtml5)
        .await
        .expect_err("not a vnc type");
    assert!(matches!(error, Error::InvalidInput { .. }), "{error:?}");
    let error = consoles
        .spice_console("any", ConsoleType::SpiceDirect)
        .await
        .expect_err("spice-direct needs 2.99");
    assert!(
        matches!(error, Error::FieldNotSupported { .. }),
        "{error:?}"
    );
    assert!(!error.may_have_reached_server());
}

#[tokio::test]
async fn a_console_of_a_stopped_server_is_a_409() {
    let cloud = TestCloud::start().await;
    if cloud
        .require_mock("needs serial consoles, which the conformance Nova does not enable")
        .is_none()
    {
        return;
    }

    let (_created, client, id) = cloud.active_server("2.6", "off").await;
    act_and_wait(
        &*client,
        &id,
        &nova_v2::ServerAction::Stop,
        nova_v2::ServerStatus::Shutoff,
    )
    .await;
    let error = client
        .consoles()
        .serial_console(&id, ConsoleType::Serial)
        .await
        .expect_err("not ready");
    assert!(matches!(error, Error::Conflict(_)), "{error:?}");
}
