"""Reading the TSV files of data/ (standard library only): leading '# ' comment lines, a
header line, then rows of as many tab-separated columns as the header, LF line endings."""


def read_tsv(path, header, exact=True):
    """Reads the TSV file `path` whose header is `header` (or starts with it, unless
    `exact`). Returns (rows, problems, has_cr): the rows as (line number, {column: value}),
    None when the header is wrong; the problems as (line number or None, message); whether
    the file holds CR characters."""
    with open(path, "rb") as f:
        raw = f.read()
    lines = raw.decode("utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    problems = []
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        if not (lines[i] == "#" or lines[i].startswith("# ")):
            problems.append((i + 1, "comment must start with '# '"))
        i += 1
    if i == 0:
        problems.append((None, "no leading comment lines"))
    columns = lines[i].split("\t") if i < len(lines) else []
    if (columns if exact else columns[: len(header)]) != header:
        must = "be" if exact else "start with"
        problems.append((i + 1, f"header must {must} {chr(9).join(header)!r}"))
        return None, problems, b"\r" in raw
    rows = []
    for n, line in enumerate(lines[i + 1:], start=i + 2):
        cols = line.split("\t")
        if len(cols) != len(columns):
            problems.append((n, f"{len(cols)} columns, expected {len(columns)}"))
            continue
        rows.append((n, dict(zip(columns, cols))))
    return rows, problems, b"\r" in raw
