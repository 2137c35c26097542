//! `/v1/themes` and `/v1/themes/{id}`.

use super::resource::resource;
use crate::api::views::{ThemeDetailView, ThemeView};
use crate::db::queries::themes;

resource! {
    /// Themes, as the generic handlers serve them.
    Themes in "themes";
    /// List themes.
    ///
    /// The controlled vocabulary measures are tagged with (online healthcare, e-commerce,
    /// industrial internet, talent …), each with its keyword rules and number of measures.
    list themes => ThemeView at "/v1/themes" as list_themes;
    /// Get one theme with its measure counts per document.
    ///
    /// The theme and, for every document, how many of its measures carry the theme and how many
    /// measures it has: enough to draw a theme × jurisdiction comparison in one request. The
    /// measures themselves are at `/v1/measures?theme={id}`.
    get themes::get => ThemeDetailView at "/v1/themes/{id}" as get_theme, "The theme",
        id "Theme id" "online-healthcare";
}
