#!/usr/bin/env python3
"""Writes the PDF fixtures of tests/extract.rs into tests/fixtures/formats/.

The PDFs are committed, so that the tests need nothing at run time; this script says how
they were made and makes them again:

    pip install fpdf2==2.8.9          # PyPI; draws PDFs with embedded TrueType/OpenType fonts
    apt-get install fonts-droid-fallback fonts-dejavu-core   # Debian; TrueType CJK and Latin fonts
    python3 scripts/gen-format-fixtures.py

- policy.pdf: a short 工作方案 with Chinese text in an embedded TrueType CID font
  (Identity-H, as Word and WPS write Chinese PDFs) with a ToUnicode map, wrapped lines, first-line indents, a page break inside a paragraph, page numbers
  and a 任务分工 table.
- encrypted.pdf: the same text, encrypted with a user password.
- scanned.pdf: a page holding only an image (no text layer), as a scan is.
"""

import datetime
import os
import sys

from fpdf import FPDF
from fpdf.enums import EncryptionMethod

# A TrueType (glyf) font: fpdf2 embeds it as CIDFontType2 with Identity-H, the form of
# the PDFs that Word and WPS export. (An OpenType/CFF font such as Noto Sans CJK would be
# embedded with a code-to-CID CMap instead, which few PDFs of the genre use.)
FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
# Droid Sans Fallback has no Latin letters or digits: DejaVu Sans (fonts-dejavu-core)
# draws those, as a second font on the same lines.
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "formats")

TITLE = "渝北区推进数字经济发展工作方案"
PARAGRAPHS = [
    "为加快数字经济发展，推动数字技术与实体经济深度融合，结合我区实际，制定本方案。",
    "一、总体要求",
    "到2025年，全区数字经济核心产业增加值达到500亿元以上，数字经济成为全区经济增长的重要引擎。",
    "二、重点任务",
    "（一）加快数字基础设施建设",
    "1.推进5G网络建设。到2023年底前建成5G基站3000个，实现城区和重点园区全覆盖，推动千兆光网进小区、进楼宇、进园区，持续提升网络服务能力和质量。（牵头单位：区经济信息委；配合单位：区住房城乡建委）",
    "2.建设城市大数据中心。整合政务数据资源，建立数据共享交换机制，推动公共数据有序开放，提升数据治理和应用水平，为企业和群众提供便捷服务。（责任单位：区大数据发展局）",
]
ROWS = [
    ("序号", "任务", "牵头单位", "完成时限"),
    ("1", "建成5G基站3000个", "区经济信息委", "2023年底前"),
    ("2", "建设城市大数据中心", "区大数据发展局", "2022年底前"),
]


def document(pdf: FPDF) -> None:
    pdf.add_font("cjk", fname=FONT)
    pdf.add_font("latin", fname=LATIN)
    pdf.set_fallback_fonts(["latin"])
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_margins(25, 25, 25)
    pdf.add_page()
    pdf.set_font("cjk", size=18)
    pdf.cell(0, 14, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("cjk", size=12)
    for index, paragraph in enumerate(PARAGRAPHS):
        # Headings stand flush; body paragraphs open with a two-character indent.
        heading = paragraph.startswith(("一、", "二、", "（一）"))
        text = paragraph if heading else "\u3000\u3000" + paragraph
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        if index == 5:
            # The next paragraph starts low on the page so that it runs on to the next one.
            pdf.set_y(pdf.h - 25 - 8 * 2)
    pdf.ln(6)
    widths = (16, 70, 40, 34)
    for row in ROWS:
        for width, cell in zip(widths, row):
            pdf.cell(width, 9, cell, border=1)
        pdf.ln(9)


# A fixed creation date, so that the files come out the same each time.
CREATED = datetime.datetime(2021, 3, 1, tzinfo=datetime.timezone.utc)


class Numbered(FPDF):
    """Pages numbered `- N -` at the foot, as official documents print them."""

    def __init__(self) -> None:
        super().__init__()
        self.set_creation_date(CREATED)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("cjk", size=10)
        self.cell(0, 10, f"- {self.page_no()} -", align="C")


def main() -> int:
    os.makedirs(OUT, exist_ok=True)

    pdf = Numbered()
    document(pdf)
    pdf.output(os.path.join(OUT, "policy.pdf"))

    pdf = Numbered()
    document(pdf)
    pdf.set_encryption(
        owner_password="owner-secret",
        user_password="user-secret",
        encryption_method=EncryptionMethod.RC4,
    )
    pdf.output(os.path.join(OUT, "encrypted.pdf"))

    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for y in range(80, 760, 40):
        draw.rectangle((60, y, 540, y + 14), fill=40)
    path = os.path.join(OUT, "scan.png")
    image.save(path)
    pdf = FPDF()
    pdf.set_creation_date(CREATED)
    pdf.add_page()
    pdf.image(path, x=10, y=10, w=190)
    pdf.output(os.path.join(OUT, "scanned.pdf"))
    os.remove(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
