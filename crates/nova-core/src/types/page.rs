//! One page of a paginated listing.

/// One page of a listing plus the `next` link Nova gave, if the page was full.
#[derive(Debug, Clone, Default)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The `rel=next` href of `<collection>_links`, when Nova sent one.
    pub next: Option<String>,
}
