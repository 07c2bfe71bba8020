"""Refresh the zh_CN translation: lupdate over gui/, fill from the dictionary, lrelease.

    .venv/bin/python scripts/update_translations.py          # update .ts and .qm
    .venv/bin/python scripts/update_translations.py --check  # exit 1 if any text is missing

The sources live in ``resources/translations/``; the compiled ``.qm`` files the app loads
are written into ``mixtimer_gui/resources/translations/`` by ``scripts/build_resources.py``
(called here). The dictionary ``resources/translations/zh_CN.json`` maps an English source
string to its Chinese text; a key ``"Context|source"`` applies to one context only and wins
over the plain key. Strings lupdate cannot see (``translate()`` with a variable context)
are added to the .ts from the ``"Context|source"`` keys. Plural strings (``%n``) take the
one Chinese form. Existing translations in the .ts are kept unless the dictionary has one.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from build_resources import compile_translations, tool

ROOT = Path(__file__).resolve().parent.parent
GUI = ROOT / "mixtimer_gui" / "gui"
TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "mixtimer_zh_CN.ts"
DICTIONARY = TRANSLATIONS / "zh_CN.json"
# English needs a catalogue only for plurals: "%n day(s)" reads "1 day" / "3 days".
EN_TS = TRANSLATIONS / "mixtimer_en.ts"
# Plural sources whose singular is more than dropping "(s)".
EN_SINGULAR = {
    "%n bad row(s) were left out.": "%n bad row was left out.",
    "%n maintenance task(s) need attention": "%n maintenance task needs attention",
    "%n existing object(s) were updated.": "%n existing object was updated.",
}


def run_lupdate() -> None:
    sources = [str(p) for p in sorted(GUI.glob("*.py"))]
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none",
                    *sources, "-ts", str(TS)], check=True, cwd=ROOT)


def english_forms(source: str) -> tuple[str, str]:
    """The singular and plural English of a ``%n …(s)`` source."""
    singular = EN_SINGULAR.get(source, source.replace("(s)", ""))
    return singular, source.replace("(s)", "s")


def write_english_plurals() -> None:
    """``mixtimer_en.ts``: the plural sources of the zh_CN catalogue with their two English
    forms; every other English text is the source itself and needs no entry."""
    zh = ET.parse(TS).getroot()
    root = ET.Element("TS", {"version": "2.1", "language": "en_US"})
    for context in zh.iter("context"):
        plurals = [m for m in context.iter("message") if m.get("numerus") == "yes"]
        if not plurals:
            continue
        out = ET.SubElement(root, "context")
        ET.SubElement(out, "name").text = context.findtext("name")
        for message in plurals:
            source = message.findtext("source") or ""
            entry = ET.SubElement(out, "message", {"numerus": "yes"})
            ET.SubElement(entry, "source").text = source
            translation = ET.SubElement(entry, "translation")
            for form in english_forms(source):
                ET.SubElement(translation, "numerusform").text = form
    tree = ET.ElementTree(root)
    ET.indent(tree)
    EN_TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                     + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")


def load_dictionary() -> dict[str, str]:
    return json.loads(DICTIONARY.read_text(encoding="utf-8"))


def lookup(words: dict[str, str], context: str, source: str) -> str:
    return words.get(f"{context}|{source}") or words.get(source, "")


def is_translated(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "obsolete",
                                                          "vanished"):
        return False
    forms = translation.findall("numerusform")
    if forms:
        return all((f.text or "").strip() for f in forms)
    return bool((translation.text or "").strip())


def set_translation(message: ET.Element, text: str) -> None:
    translation = message.find("translation")
    if translation is None:
        translation = ET.SubElement(message, "translation")
    translation.attrib.pop("type", None)
    for child in list(translation):
        translation.remove(child)
    if message.get("numerus") == "yes":
        translation.text = None
        ET.SubElement(translation, "numerusform").text = text
    else:
        translation.text = text


def add_missing_contexts(root: ET.Element, words: dict[str, str]) -> None:
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for key in words:
        if "|" not in key:
            continue
        context_name, source = key.split("|", 1)
        context = contexts.get(context_name)
        if context is None:
            context = ET.SubElement(root, "context")
            ET.SubElement(context, "name").text = context_name
            contexts[context_name] = context
        if any(m.findtext("source") == source for m in context.iter("message")):
            continue
        message = ET.SubElement(context, "message")
        if "%n" in source:
            message.set("numerus", "yes")
        ET.SubElement(message, "source").text = source
        ET.SubElement(message, "translation", {"type": "unfinished"})


def fill(words: dict[str, str]) -> list[str]:
    """Fill the .ts from ``words``; returns the sources still without a translation."""
    tree = ET.parse(TS)
    root = tree.getroot()
    add_missing_contexts(root, words)
    missing: list[str] = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            text = lookup(words, name, source)
            if text:
                set_translation(message, text)
            elif not is_translated(message):
                missing.append(f"{name}|{source}")
    ET.indent(tree)
    TS.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                  + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return missing


def missing_in_ts() -> list[str]:
    root = ET.parse(TS).getroot()
    return [f"{c.findtext('name')}|{m.findtext('source')}"
            for c in root.iter("context") for m in c.iter("message") if not is_translated(m)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only report untranslated strings; exit 1 if there are any")
    args = parser.parse_args(argv)
    if args.check:
        missing = missing_in_ts()
    else:
        run_lupdate()
        missing = fill(load_dictionary())
        write_english_plurals()
        compile_translations()
    for source in missing:
        print(f"untranslated: {source!r}")
    print(f"{len(missing)} untranslated string(s)")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
