//! Streaming decoding of a [`Server`] view: one pass over the JSON object, no `flatten`
//! buffering and no `serde_json::Value` round trip for plain fields, string enums, the
//! addresses, the image and the flavor (only the rare `fault` still goes through a `Value`).
//!
//! The behaviour is the one the derived decoder had: unknown keys are kept in `extra`, a
//! "strict" field (`#[serde(deserialize_with = "null_as_default")]`) reads `null` as its
//! default and fails the record on a wrong type, a "lenient" field reads `null` or a value of
//! the wrong shape as `None`, and a repeated known key is an error.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use secrecy::SecretString;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::link::Link;
use super::server::{
    Address, DiskConfig, EmbeddedFlavor, Fault, ImageRef, PowerState, Server, ServerFlavor,
    ServerImage, ServerStatus, TaskState, VmState,
};

/// A field value read leniently: `None` for `null` or a value of an unexpected shape.
pub(crate) struct Lenient<T>(pub(crate) Option<T>);

/// How a type is read by [`Lenient`].
pub(crate) trait LenientDecode: Sized {
    /// Reads one value; `Ok(None)` when it is `null` or has the wrong shape.
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

impl<'de, T: LenientDecode> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::decode(d).map(Lenient)
    }
}

/// Visitor methods that read `null` and every scalar as `None`.
macro_rules! scalars_are_none {
    () => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

/// A scalar that can come from one JSON scalar kind; anything else is "wrong shape".
trait Scalar: Sized {
    /// What the scalar is, for `Visitor::expecting`.
    const WHAT: &'static str;
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

macro_rules! integer_scalar {
    ($($t:ty),*) => {$(
        impl Scalar for $t {
            const WHAT: &'static str = "an integer";
            fn from_u64(n: u64) -> Option<Self> {
                <$t>::try_from(n).ok()
            }
            fn from_i64(n: i64) -> Option<Self> {
                <$t>::try_from(n).ok()
            }
        }
        impl LenientDecode for $t {
            fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(ScalarVisitor(PhantomData))
            }
        }
    )*};
}

integer_scalar!(u8, u32, u64, i64);

impl Scalar for String {
    const WHAT: &'static str = "a string";
    fn from_str(s: &str) -> Option<Self> {
        Some(s.to_owned())
    }
}

impl Scalar for bool {
    const WHAT: &'static str = "a boolean";
    fn from_bool(b: bool) -> Option<Self> {
        Some(b)
    }
}

impl LenientDecode for String {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor(PhantomData))
    }
}

impl LenientDecode for bool {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ScalarVisitor(PhantomData))
    }
}

/// Accepts any JSON value; yields `Some` only for the scalar kind `T` takes.
struct ScalarVisitor<T>(PhantomData<T>);

impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} or any other JSON value", T::WHAT)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(T::from_bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(T::from_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(T::from_u64(v))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(T::from_str(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| None)
    }
}

impl LenientDecode for Vec<String> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringListVisitor)
    }
}

/// A list of strings; any non-string element makes the whole list `None`.
struct StringListVisitor;

impl<'de> Visitor<'de> for StringListVisitor {
    type Value = Option<Vec<String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of strings or any other JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        let mut ok = true;
        while let Some(item) = seq.next_element::<Element<String>>()? {
            match item.0 {
                Some(s) if ok => out.push(s),
                Some(_) => {}
                None => ok = false,
            }
        }
        Ok(ok.then_some(out))
    }

    scalars_are_none!();

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_map(map).map(|_| None)
    }
}

/// One list element: `Some` when it is a `T` scalar (so `null` is *not* accepted).
struct Element<T>(Option<T>);

impl<'de, T: Scalar> Deserialize<'de> for Element<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(PhantomData)).map(Element)
    }
}

impl LenientDecode for PowerState {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(i64::decode(d)?.map(PowerState::from_code))
    }
}

impl LenientDecode for Map<String, Value> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Object(map) => Some(map),
            _ => None,
        })
    }
}

/// Types that are read leniently by way of a `Value` (small, nested, or with odd rules).
macro_rules! via_value {
    ($($t:ty),*) => {$(
        impl LenientDecode for $t {
            fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                let value = Value::deserialize(d)?;
                if value.is_null() {
                    return Ok(None);
                }
                Ok(<$t>::deserialize(value).ok())
            }
        }
    )*};
}

via_value!(Fault);

/// String enums (`Unknown(..)` fallback) read without a `Value` for the usual string case.
macro_rules! string_enum_lenient {
    ($($t:ty),*) => {$(
        impl LenientDecode for $t {
            fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(EnumVisitor(PhantomData))
            }
        }
    )*};
}

string_enum_lenient!(ServerStatus, DiskConfig, TaskState, VmState);

/// A string enum: `null` is `None`; a string is parsed; any other value becomes the value
/// `Unknown(<its JSON text>)` (no variant text looks like JSON that is not a string).
struct EnumVisitor<T>(PhantomData<T>);

impl<T: FromStr<Err = Infallible>> EnumVisitor<T> {
    fn text(text: &str) -> Option<T> {
        match text.parse::<T>() {
            Ok(v) => Some(v),
            Err(never) => match never {},
        }
    }
}

impl<'de, T: FromStr<Err = Infallible>> Visitor<'de> for EnumVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Self::text(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Self::text(&Value::from(v).to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Self::text(&Value::from(v).to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Self::text(&Value::from(v).to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Self::text(&Value::from(v).to_string()))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Self::text(&value.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Self::text(&value.to_string()))
    }
}

impl LenientDecode for std::collections::BTreeMap<String, String> {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringMapVisitor)
    }
}

/// A map of strings; any non-string value makes the whole map `None`.
struct StringMapVisitor;

impl<'de> Visitor<'de> for StringMapVisitor {
    type Value = Option<std::collections::BTreeMap<String, String>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map of strings or any other JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = std::collections::BTreeMap::new();
        let mut ok = true;
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value::<Element<String>>()?.0 {
                Some(v) if ok => {
                    out.insert(key, v);
                }
                Some(_) => {}
                None => ok = false,
            }
        }
        Ok(ok.then_some(out))
    }

    scalars_are_none!();

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| None)
    }
}

impl LenientDecode for ServerFlavor {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(FlavorVisitor)
    }
}

/// A server's flavor: a reference when `id` is a string (and `links`, if any, are links),
/// else the embedded description (2.47+), as the untagged `ServerFlavor` decides.
struct FlavorVisitor;

impl<'de> Visitor<'de> for FlavorVisitor {
    type Value = Option<ServerFlavor>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flavor or any other JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut f = EmbeddedFlavor::default();
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "original_name" => f.original_name = map.next_value::<Lenient<String>>()?.0,
                "vcpus" => f.vcpus = map.next_value::<Lenient<u64>>()?.0,
                "ram" => f.ram = map.next_value::<Lenient<u64>>()?.0,
                "disk" => f.disk = map.next_value::<Lenient<u64>>()?.0,
                "ephemeral" => f.ephemeral = map.next_value::<Lenient<u64>>()?.0,
                "swap" => f.swap = map.next_value::<Lenient<u64>>()?.0,
                "extra_specs" => f.extra_specs = map.next_value::<Lenient<_>>()?.0,
                _ => {
                    let value: Value = map.next_value()?;
                    f.extra.insert(key.into_string(), value);
                }
            }
        }
        if let Some(Value::String(id)) = f.extra.get("id") {
            let links = match f.extra.get("links") {
                None => Some(Vec::new()),
                Some(v) => Option::<Vec<Link>>::deserialize(v)
                    .ok()
                    .map(Option::unwrap_or_default),
            };
            if let Some(links) = links {
                return Ok(Some(ServerFlavor::Reference {
                    id: id.clone(),
                    links,
                }));
            }
        }
        Ok(Some(ServerFlavor::Embedded(f)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        // A list can only be a reference in field order; rare enough to buffer.
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(ServerFlavor::deserialize(value).ok())
    }

    scalars_are_none!();
}

impl LenientDecode for ServerImage {
    fn decode<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(ImageVisitor)
    }
}

/// A server's image: an object is an image reference (`None` if its `id` or `links` are of
/// the wrong type), any other non-null value means booted from volume.
struct ImageVisitor;

impl<'de> Visitor<'de> for ImageVisitor {
    type Value = Option<ServerImage>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an image or any other JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut image = ImageRef::default();
        let mut id_ok = true;
        let mut links_ok = true;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            match key.as_str() {
                "id" => {
                    (image.id, id_ok) = match map.next_value::<Value>()? {
                        Value::Null => (String::new(), true),
                        Value::String(s) => (s, true),
                        _ => (String::new(), false),
                    }
                }
                "links" => {
                    let value: Value = map.next_value()?;
                    (image.links, links_ok) = match Option::<Vec<Link>>::deserialize(value) {
                        Ok(links) => (links.unwrap_or_default(), true),
                        Err(_) => (Vec::new(), false),
                    }
                }
                "properties" => image.properties = map.next_value::<Lenient<_>>()?.0,
                _ => {
                    let value: Value = map.next_value()?;
                    image.extra.insert(key.into_string(), value);
                }
            }
        }
        Ok((id_ok && links_ok).then_some(ServerImage::Image(image)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        IgnoredAny
            .visit_seq(seq)
            .map(|_| Some(ServerImage::BootedFromVolume))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Some(ServerImage::BootedFromVolume))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Some(ServerImage::BootedFromVolume))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Some(ServerImage::BootedFromVolume))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Some(ServerImage::BootedFromVolume))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Some(ServerImage::BootedFromVolume))
    }
}

/// A map key, borrowed from the input when it can be.
enum Key<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Borrowed(s) => s,
            Key::Owned(s) => s,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Borrowed(s) => s.to_owned(),
            Key::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key::Borrowed(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key::Owned(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key::Owned(v))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads one field value by its kind.
macro_rules! read_field {
    (strict, $ty:ty, $map:ident) => {
        $map.next_value::<Option<$ty>>()?.unwrap_or_default()
    };
    (lenient, $ty:ty, $map:ident) => {
        $map.next_value::<Lenient<$ty>>()?.0
    };
    (lenient_or_default, $ty:ty, $map:ident) => {
        $map.next_value::<Lenient<$ty>>()?.0.unwrap_or_default()
    };
    (plain, $ty:ty, $map:ident) => {
        $map.next_value::<Option<$ty>>()?
    };
}

/// Generates a map visitor for a struct whose unknown keys go to `extra`.
macro_rules! struct_visitor {
    ($visitor:ident, $target:ident, $expecting:literal,
     { $( $field:ident : $kind:ident $ty:ty = $wire:literal, )* }) => {
        struct $visitor;

        impl<'de> Visitor<'de> for $visitor {
            type Value = $target;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str($expecting)
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$target, A::Error> {
                $( let mut $field = None; )*
                let mut extra = Map::new();
                while let Some(key) = map.next_key::<Key<'de>>()? {
                    match key.as_str() {
                        $(
                            $wire => {
                                if $field.is_some() {
                                    return Err(de::Error::duplicate_field($wire));
                                }
                                $field = Some(read_field!($kind, $ty, map));
                            }
                        )*
                        _ => {
                            let value: Value = map.next_value()?;
                            extra.insert(key.into_string(), value);
                        }
                    }
                }
                Ok($target {
                    $( $field: $field.unwrap_or_default(), )*
                    extra,
                })
            }
        }
    };
}

struct_visitor!(ServerVisitor, Server, "struct Server", {
    id: strict String = "id",
    name: strict String = "name",
    status: lenient_or_default ServerStatus = "status",
    tenant_id: lenient String = "tenant_id",
    user_id: lenient String = "user_id",
    metadata: strict std::collections::BTreeMap<String, String> = "metadata",
    host_id: lenient String = "hostId",
    image: lenient ServerImage = "image",
    flavor: lenient ServerFlavor = "flavor",
    created: lenient String = "created",
    updated: lenient String = "updated",
    addresses: strict std::collections::BTreeMap<String, Vec<super::server::Address>> = "addresses",
    access_ipv4: lenient String = "accessIPv4",
    access_ipv6: lenient String = "accessIPv6",
    links: strict Vec<super::link::Link> = "links",
    disk_config: lenient DiskConfig = "OS-DCF:diskConfig",
    progress: lenient u32 = "progress",
    availability_zone: lenient String = "OS-EXT-AZ:availability_zone",
    config_drive: lenient String = "config_drive",
    key_name: lenient String = "key_name",
    host: lenient String = "OS-EXT-SRV-ATTR:host",
    hypervisor_hostname: lenient String = "OS-EXT-SRV-ATTR:hypervisor_hostname",
    instance_name: lenient String = "OS-EXT-SRV-ATTR:instance_name",
    reservation_id: lenient String = "OS-EXT-SRV-ATTR:reservation_id",
    launch_index: lenient i64 = "OS-EXT-SRV-ATTR:launch_index",
    kernel_id: lenient String = "OS-EXT-SRV-ATTR:kernel_id",
    ramdisk_id: lenient String = "OS-EXT-SRV-ATTR:ramdisk_id",
    hostname: lenient String = "OS-EXT-SRV-ATTR:hostname",
    root_device_name: lenient String = "OS-EXT-SRV-ATTR:root_device_name",
    user_data: lenient String = "OS-EXT-SRV-ATTR:user_data",
    power_state: lenient PowerState = "OS-EXT-STS:power_state",
    task_state: lenient TaskState = "OS-EXT-STS:task_state",
    vm_state: lenient VmState = "OS-EXT-STS:vm_state",
    volumes_attached: strict Vec<super::server::AttachedVolume> = "os-extended-volumes:volumes_attached",
    launched_at: lenient String = "OS-SRV-USG:launched_at",
    terminated_at: lenient String = "OS-SRV-USG:terminated_at",
    security_groups: strict Vec<super::server::SecurityGroupRef> = "security_groups",
    fault: lenient Fault = "fault",
    description: lenient String = "description",
    tags: lenient Vec<String> = "tags",
    locked: lenient bool = "locked",
    locked_reason: lenient String = "locked_reason",
    host_status: lenient String = "host_status",
    trusted_image_certificates: lenient Vec<String> = "trusted_image_certificates",
    server_groups: lenient Vec<String> = "server_groups",
    pinned_availability_zone: lenient String = "pinned_availability_zone",
    scheduler_hints: lenient Map<String, Value> = "scheduler_hints",
    rebuild_user_data: lenient String = "user_data",
    admin_pass: plain SecretString = "adminPass",
});

impl<'de> Deserialize<'de> for Server {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ServerVisitor)
    }
}

struct_visitor!(AddressVisitor, Address, "struct Address", {
    addr: strict String = "addr",
    version: lenient u8 = "version",
    ip_type: lenient String = "OS-EXT-IPS:type",
    mac_addr: lenient String = "OS-EXT-IPS-MAC:mac_addr",
});

impl<'de> Deserialize<'de> for Address {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(AddressVisitor)
    }
}

#[cfg(test)]
#[path = "server_de_tests.rs"]
mod tests;
