//! Ids of the five documents of `data/`.

/// 渝北区 plan for the online economy (2020).
pub const YUBEI: &str = "yubei-2020-online-economy-plan";
/// 重庆市 "Internet+" action plan (2015).
pub const CHONGQING_PLAN: &str = "chongqing-2015-internet-plus-plan";
/// 虹口区 opinions on the online new economy (2020).
pub const HONGKOU: &str = "hongkou-2020-online-new-economy-opinions";
/// The reply of 重庆市大数据应用发展管理局 to suggestion 0040 (2020).
pub const REPLY: &str = "chongqing-bigdata-2020-reply-0040";
/// 天津市 opinions on the online service economy, the draft for consultation (2020).
pub const TIANJIN: &str = "tianjin-2020-online-services-opinions";
