#!/usr/bin/python3
# check-export.py: checks of exported files that need outside tools
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-export.py EXPORT_DIR [NEWSML_SCHEMA]
#
# EXPORT_DIR holds what test-export writes: all.jsonl (the reference text),
# all.xml and newsml/ID.xml (NewsML-G2), all.docx and docx/ID.docx,
# markdown/ID.md.
#  - every NewsML-G2 file validates against the 2.35 schema (xmllint, offline);
#  - every DOCX opens with python-docx, its paragraphs equal the JSON Lines
#    text and carry the expected styles;
#  - Markdown front matter parses as YAML (python3-yaml) and the body
#    renders (python3-markdown) to the exact paragraphs;
#  - LibreOffice, if installed, converts each DOCX to text (skipped if not).

import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def expected_paragraphs(article):
    """(style, text) of each paragraph the DOCX writer makes for an article."""
    out = []
    # A byline the body opens with (a dateline) is not repeated above it.
    byline = "" if article["body"].startswith(article["byline"]) else article["byline"]
    head = [("Kicker", article["kicker"]), ("Title", article["title"]),
            ("Subtitle", article["subtitle"]), ("Byline", byline),
            ("Byline", article["date"] or "")]
    for style, text in head:
        if text or style == "Title":
            out.append((style, text))
    intertitles = set(article["intertitles"])
    if article["body"]:
        for para in article["body"].split("\n"):
            out.append(("Heading 2" if para in intertitles else "Normal", para))
    for caption in article["captions"]:
        out.append(("Caption", caption))
    return out


def check_newsml(paths, schema):
    if shutil.which("xmllint") is None:
        print("SKIP: xmllint not installed, NewsML-G2 not validated")
        return
    for path in paths:
        result = subprocess.run(["xmllint", "--noout", "--nonet", "--schema", schema, path],
                                capture_output=True, text=True)
        if result.returncode != 0:
            fail("%s does not validate:\n%s" % (path, result.stderr))
        else:
            print("ok: %s validates against NewsML-G2 2.35" % os.path.basename(path))


def docx_paragraphs(path):
    import docx
    document = docx.Document(path)
    return [(p.style.name, p.text) for p in document.paragraphs], document


def check_docx(path, articles):
    before = len(failures)
    got, document = docx_paragraphs(path)
    want = [p for a in articles for p in expected_paragraphs(a)]
    if len(got) != len(want):
        fail("%s: %d paragraphs, expected %d" % (path, len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            fail("%s: paragraph %d is %r, expected %r" % (path, i, g, w))
            break
    title = articles[0]["title"] if len(articles) == 1 else None
    if title is not None and document.core_properties.title != title:
        fail("%s: core title %r, expected %r" % (path, document.core_properties.title, title))
    if len(failures) == before:
        print("ok: %s has the exact text and styles (%d paragraphs)" % (os.path.basename(path), len(got)))


class ParagraphParser(html.parser.HTMLParser):
    """Text of the <p> and <h2> elements of rendered Markdown."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "h2"):
            self.current = [tag, ""]
        elif self.current is not None:
            self.current[0] = "other"

    def handle_endtag(self, tag):
        if tag in ("p", "h2") and self.current is not None:
            self.paragraphs.append(tuple(self.current))
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current[1] += data


def check_markdown(folder, articles):
    try:
        import markdown
        import yaml
    except ImportError:
        print("SKIP: python3-yaml or python3-markdown not installed, Markdown not read")
        return
    for a in articles:
        path = os.path.join(folder, "markdown", "%d.md" % a["id"])
        with open(path, encoding="utf-8") as f:
            text = f.read()
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front)
        want = {"title": a["title"], "kicker": a["kicker"], "subtitle": a["subtitle"],
                "byline": a["byline"], "date": a["date"], "reporters": a["reporters"],
                "correspondents": a["correspondents"],
                "tags": a["tags"], "source": a["source_file"], "status": a["status"]}
        if meta != want:
            fail("%s: front matter %r, expected %r" % (path, meta, want))
            continue
        parser = ParagraphParser()
        parser.feed(markdown.markdown(body))
        intertitles = set(a["intertitles"])
        paras = [p for p in a["body"].split("\n") if p] if a["body"] else []
        expected = [("h2" if p in intertitles else "p", p) for p in paras]
        # Captions render as emphasised paragraphs after the body.
        got = [p for p in parser.paragraphs if p[0] != "other"]
        if got != expected:
            fail("%s: rendered %r, expected %r" % (path, got, expected))
            continue
        print("ok: %s front matter and rendered text are exact" % os.path.basename(path))


def check_libreoffice(paths, articles_by_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("SKIP: LibreOffice not installed, DOCX not converted")
        return
    with tempfile.TemporaryDirectory() as tmp:
        profile = "file://" + os.path.join(tmp, "profile")
        result = subprocess.run([soffice, "-env:UserInstallation=" + profile, "--headless",
                                 "--convert-to", "txt:Text (encoded):UTF8", "--outdir", tmp] + paths,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            fail("LibreOffice failed: %s" % result.stderr)
            return
        for path in paths:
            name = os.path.splitext(os.path.basename(path))[0] + ".txt"
            try:
                with open(os.path.join(tmp, name), encoding="utf-8-sig") as f:
                    lines = f.read().splitlines()
            except OSError:
                fail("LibreOffice did not convert %s" % path)
                continue
            want = [text for a in articles_by_path[path] for _, text in expected_paragraphs(a)]
            for text in want:
                # Line breaks inside a title come out as separate lines.
                for part in text.split("\n"):
                    if part and part not in lines:
                        fail("%s: LibreOffice text lacks %r" % (path, part))
                        return
            print("ok: LibreOffice opens %s and finds every paragraph" % os.path.basename(path))


def main():
    if len(sys.argv) < 2:
        print(__doc__ or "usage: check-export.py EXPORT_DIR [SCHEMA]")
        return 2
    folder = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    schema = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "data", "newsml-g2", "NewsML-G2_2.35-spec-All-Power.xsd")

    with open(os.path.join(folder, "all.jsonl"), encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    if not articles:
        fail("all.jsonl is empty")

    newsml = [os.path.join(folder, "all.xml")]
    newsml += [os.path.join(folder, "newsml", "%d.xml" % a["id"]) for a in articles]
    check_newsml(newsml, schema)

    try:
        import docx  # noqa: F401
    except ImportError:
        print("SKIP: python3-docx not installed, DOCX not read")
        docx_ok = False
    else:
        docx_ok = True

    articles_by_path = {os.path.join(folder, "all.docx"): articles}
    for a in articles:
        articles_by_path[os.path.join(folder, "docx", "%d.docx" % a["id"])] = [a]
    if docx_ok:
        for path, subset in articles_by_path.items():
            check_docx(path, subset)
    check_markdown(folder, articles)
    check_libreoffice(list(articles_by_path), articles_by_path)

    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all export checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
