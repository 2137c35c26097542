//! Documents in the formats they are published in, built by the tests themselves: a
//! gov.cn-style HTML page, a DOCX file with Word's auto-numbering and a 任务分工 table, and
//! data folders holding them.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's data folder.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// A committed fixture of `tests/fixtures/formats/` (made by `scripts/gen-format-fixtures.py`).
pub fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/formats")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A data folder with the reference files of `data/`, an empty manifest and the given
/// documents (file name, bytes).
pub fn data_folder(documents: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir(data_dir()).expect("data/") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .to_string();
        if path.is_file() && name != "documents.toml" {
            std::fs::copy(&path, dir.path().join(&name)).expect("copy reference file");
        }
    }
    std::fs::write(dir.path().join("documents.toml"), "").expect("manifest");
    std::fs::create_dir(dir.path().join("documents")).expect("documents/");
    for (name, bytes) in documents {
        std::fs::write(dir.path().join("documents").join(name), bytes).expect("document");
    }
    dir
}

/// A copy of `data/` (all documents and the manifest) with some documents replaced:
/// each `(id, file name, bytes)` removes `documents/<id>.txt` and writes the file.
pub fn data_copy_replacing(replacements: &[(&str, &str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for entry in std::fs::read_dir(data_dir()).expect("data/") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().expect("name")))
                .expect("copy reference file");
        }
    }
    let documents = dir.path().join("documents");
    std::fs::create_dir(&documents).expect("documents/");
    for entry in std::fs::read_dir(data_dir().join("documents")).expect("documents/") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, documents.join(path.file_name().expect("name"))).expect("copy");
    }
    for (id, name, bytes) in replacements {
        std::fs::remove_file(documents.join(format!("{id}.txt"))).expect("remove the text");
        std::fs::write(documents.join(name), bytes).expect("write the rendering");
    }
    dir
}

/// Escapes text for HTML and XML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A portal page around an article: navigation, breadcrumbs, an info bar, a share bar,
/// related links, a footer and scripts, as gov.cn and TRS layouts have them. `charset` is
/// declared in a `<meta>`.
pub fn portal_page(title: &str, article_html: &str, charset: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title}_政策文件_重庆市渝北区人民政府</title>
<meta name="ArticleTitle" content="{title}">
<meta name="PubDate" content="2021-03-15 10:30">
<meta name="ContentSource" content="重庆市渝北区人民政府办公室">
<style>.nav {{ color: red }}</style>
<script>var tracking = "首页 统计代码";</script>
</head>
<body>
<div class="header"><img src="logo.png" alt="渝北区人民政府"><div class="search">站内搜索</div></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/zwfw">政务服务</a></li><li><a href="/hdjl">互动交流</a></li></ul></div>
<div class="wrapper">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/zcwj">政策文件</a></div>
  <div class="article">
    <h1 class="article-title">{title}</h1>
    <div class="info">发布时间：2021-03-15　来源：区政府办公室　字号：<a>大</a> <a>中</a> <a>小</a></div>
    <div id="UCAP-CONTENT" class="TRS_Editor">
{article_html}
    </div>
    <div class="share-bar">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a> <a href="javascript:window.print()">打印本页</a></div>
    <div class="related"><h3>相关文章</h3><ul><li><a href="/a">关于做好春季安全生产工作的通知</a></li><li><a href="/b">渝北区2020年政府工作报告</a></li></ul></div>
  </div>
</div>
<div class="footer"><p>主办：重庆市渝北区人民政府办公室　版权所有　渝ICP备00000000号</p><p>地址：重庆市渝北区双龙湖街道　联系电话：023-00000000</p></div>
<script>document.write("访问统计");</script>
</body>
</html>
"#
    )
}

/// The article of the test page: a 工作方案 with parts, sections, annotated items, a goal
/// and a 任务分工 table.
pub const ARTICLE_HTML: &str = r#"<p style="text-align:center"><strong>渝北区推进数字经济发展工作方案</strong></p>
<p>　　为加快数字经济发展，推动数字技术与实体经济深度融合，结合我区实际，制定本方案。</p>
<p>　　一、总体要求</p>
<p>　　到2025年，全区数字经济核心产业增加值达到500亿元以上。</p>
<p>　　二、重点任务</p>
<p>　　（一）加快数字基础设施建设</p>
<p>　　1.推进5G网络建设。到2023年底前建成5G基站3000个，实现城区全覆盖。（牵头单位：区经济信息委；配合单位：区住房城乡建委）</p>
<div>　　2.建设城市大数据中心。整合政务数据资源，推动公共数据有序开放。<br>提升数据治理和应用水平。（责任单位：区大数据发展局）</div>
<p>附件：任务分工表</p>
<table border="1">
<tr><th>序号</th><th>任务</th><th>牵头单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>建成5G基站<br>3000个</td><td>区经济信息委</td><td>2023年底前</td></tr>
<tr><td>2</td><td><p>建设城市</p><p>大数据中心</p></td><td>区大数据发展局</td><td>2022年底前</td></tr>
</table>"#;

/// The title of the test page.
pub const TITLE: &str = "渝北区推进数字经济发展工作方案";

/// One paragraph of a DOCX body.
pub enum Block {
    /// A paragraph: style, numbering (numId, level) and text.
    Paragraph {
        style: Option<&'static str>,
        numbering: Option<(u32, u32)>,
        text: String,
    },
    /// A table of rows of cells (each cell one or more paragraphs).
    Table(Vec<Vec<Vec<String>>>),
}

/// A paragraph without numbering.
pub fn plain(text: &str) -> Block {
    Block::Paragraph {
        style: None,
        numbering: None,
        text: text.to_string(),
    }
}

/// A paragraph numbered by list 1 at a level (0: `一、`, 1: `（一）`, 2: `1.`).
pub fn numbered(level: u32, text: &str) -> Block {
    Block::Paragraph {
        style: None,
        numbering: Some((1, level)),
        text: text.to_string(),
    }
}

/// A paragraph of the style `Heading1`, numbered through its style (`一、`).
pub fn heading(text: &str) -> Block {
    Block::Paragraph {
        style: Some("Heading1"),
        numbering: None,
        text: text.to_string(),
    }
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn paragraph_xml(style: Option<&str>, numbering: Option<(u32, u32)>, text: &str) -> String {
    let mut ppr = String::new();
    if let Some(style) = style {
        ppr.push_str(&format!(r#"<w:pStyle w:val="{style}"/>"#));
    }
    if let Some((num, level)) = numbering {
        ppr.push_str(&format!(
            r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#
        ));
    }
    // Split the text over two runs, as Word does at a change of formatting.
    let split = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(text.len(), |(i, _)| i);
    let (a, b) = text.split_at(split);
    format!(
        r#"<w:p><w:pPr>{ppr}</w:pPr><w:r><w:rPr><w:rFonts w:eastAsia="仿宋"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r><w:r><w:t>{}</w:t></w:r></w:p>"#,
        escape(a),
        escape(b)
    )
}

/// A DOCX package of the blocks, with a numbering definition of list 1 (`%1、`
/// chineseCounting, `（%2）` chineseCounting, `%3.` decimal) that style `Heading1` uses at
/// level 0.
pub fn docx(blocks: &[Block]) -> Vec<u8> {
    let mut body = String::new();
    for block in blocks {
        match block {
            Block::Paragraph {
                style,
                numbering,
                text,
            } => body.push_str(&paragraph_xml(*style, *numbering, text)),
            Block::Table(rows) => {
                body.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr>");
                for row in rows {
                    body.push_str("<w:tr>");
                    for cell in row {
                        body.push_str(
                            "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/></w:tcPr>",
                        );
                        for paragraph in cell {
                            body.push_str(&paragraph_xml(None, None, paragraph));
                        }
                        body.push_str("</w:tc>");
                    }
                    body.push_str("</w:tr>");
                }
                body.push_str("</w:tbl>");
            }
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>"#
    );
    let numbering = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W}">
<w:abstractNum w:abstractNumId="0">
<w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#
    );
    let styles = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
</w:styles>"#
    );
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let mut bytes = Vec::new();
    {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, content) in [
            ("[Content_Types].xml", content_types.to_string()),
            ("_rels/.rels", rels.to_string()),
            ("word/document.xml", document),
            ("word/numbering.xml", numbering),
            ("word/styles.xml", styles),
        ] {
            zip.start_file(name, options).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
    }
    bytes
}

/// The test 工作方案 as a DOCX file: headings numbered through their style, sections and
/// items numbered directly, a bullet, and the 任务分工 table.
pub fn policy_docx() -> Vec<u8> {
    docx(&[
        plain(TITLE),
        plain("为加快数字经济发展，推动数字技术与实体经济深度融合，结合我区实际，制定本方案。"),
        heading("总体要求"),
        plain("到2025年，全区数字经济核心产业增加值达到500亿元以上。"),
        heading("重点任务"),
        numbered(1, "加快数字基础设施建设"),
        numbered(
            2,
            "推进5G网络建设。到2023年底前建成5G基站3000个，实现城区全覆盖。（牵头单位：区经济信息委；配合单位：区住房城乡建委）",
        ),
        numbered(
            2,
            "建设城市大数据中心。整合政务数据资源，推动公共数据有序开放。（责任单位：区大数据发展局）",
        ),
        numbered(1, "培育数字产业"),
        numbered(2, "引进数字企业。到2023年引进数字经济企业100家。（牵头单位：区商务委）"),
        Block::Paragraph {
            style: None,
            numbering: Some((2, 0)),
            text: "重点引进软件和信息服务企业".to_string(),
        },
        plain("附件：任务分工表"),
        Block::Table(vec![
            vec![
                vec!["序号".into()],
                vec!["任务".into()],
                vec!["牵头单位".into()],
                vec!["完成时限".into()],
            ],
            vec![
                vec!["1".into()],
                vec!["建成5G基站".into(), "3000个".into()],
                vec!["区经济信息委".into()],
                vec!["2023年底前".into()],
            ],
            vec![
                vec!["2".into()],
                vec!["建设城市大数据中心".into()],
                vec!["区大数据发展局".into()],
                vec!["2022年底前".into()],
            ],
        ]),
    ])
}
