//! `/v1/themes` and `/v1/themes/{id}`.

use super::resource::{get_handler, list_handler, serve_list, serve_record};
use crate::api::views::{ThemeDetailView, ThemeView};
use crate::db::queries::themes::{self, ThemeDetail, ThemeRecord};

/// Themes, as the generic handlers serve them.
pub struct Themes;

serve_list!(Themes, themes, ThemeRecord => ThemeView);
serve_record!(Themes, themes::get, ThemeDetail => ThemeDetailView);

list_handler! {
    /// List themes.
    ///
    /// The controlled vocabulary measures are tagged with (online healthcare, e-commerce,
    /// industrial internet, talent …), each with its keyword rules and number of measures.
    list: Themes at "/v1/themes" as "list_themes" in "themes",
    "A page of themes" => ThemeView
}

get_handler! {
    /// Get one theme with its measure counts per document.
    ///
    /// The theme and, for every document, how many of its measures carry the theme and how many
    /// measures it has: enough to draw a theme × jurisdiction comparison in one request. The
    /// measures themselves are at `/v1/measures?theme={id}`.
    get: Themes at "/v1/themes/{id}" as "get_theme" in "themes",
    id "Theme id" "online-healthcare",
    "The theme" => ThemeDetailView
}
