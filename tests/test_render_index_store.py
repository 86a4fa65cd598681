"""The index's rows from the on-disk store equal a sort of all records in Python."""

from __future__ import annotations

import random
import re

from lxml import etree

from tei.render.index import IndexStore, index_rows, render_index_html


def python_rows(records: list[bytes]) -> list[tuple[str, ...]]:
    """The rows as the index made them before the store: everything in memory."""
    pages: dict[str, tuple[str, ...]] = {}
    entries: list[tuple[str, list[str]]] = []
    docs: list[tuple[str, list[str]]] = []
    for data in records:
        a = etree.fromstring(data).attrib
        src = a.get("src", "")
        keys = ("href", "kind", "archive", "lang", "tei", "pdf")
        pages.setdefault(src, tuple(a.get(k, "") for k in keys))
        if a.get("kind") == "listing":
            for e in etree.fromstring(data):
                b = e.attrib
                file = " ".join(b.get("corresp", "").split()).split("#", 1)[0].rsplit("/", 1)[-1]
                fields = ["key", "date", "title", "summary", "", "archive", "lang", "", ""]
                entries.append((file, [b.get(k, "") if k else "" for k in fields]))
        else:
            row = [a.get(k, "") for k in ("key", "date", "title", "summary", "href")]
            row[2] = row[2] or src
            rest = [a.get(k, "") for k in ("archive", "lang", "tei", "pdf")]
            docs.append((src, [*row, *rest]))
    named = {f for f, _ in entries}
    rows, seen = [], set()
    for file, row in entries:
        page = pages.get(file) if file else None
        group = page[0] if page else f"{row[2]}|{row[0]}"
        if group in seen:
            continue
        seen.add(group)
        if page:
            if page[1] != "other":
                row[5], row[6] = page[2], page[3]
            row[4], row[7], row[8] = page[0], page[4], page[5]
        rows.append(tuple(row))
    rows.extend(tuple(r) for s, r in docs if s not in named)
    rows.sort(key=lambda x: (x[0] == "", x[0], x[2].lower(), x[4]))
    return rows


def random_records(rng: random.Random, n: int) -> list[bytes]:
    words = ["Ä", "a", "B", "b", "é", "Zhou", "zhou", "Ωmega", "", "1950", "Mao"]
    keys = ["", "1950", "1950-05", "1950-05-14", "1951", "undated"]
    out = []
    for i in range(n):
        src = f"p{rng.randrange(n)}.xml"  # some sources twice: the first record wins
        kind = rng.choice(["document", "document", "listing", "other"])
        r = etree.Element("record", src=src, href=src[:-4] + ".html", kind=kind)
        for attr in ("archive", "lang", "tei", "pdf", "summary"):
            if rng.random() < 0.6:
                r.set(attr, rng.choice(words))
        r.set("title", " ".join(rng.choice(words) for _ in range(rng.randrange(3))))
        r.set("key", rng.choice(keys))
        r.set("date", rng.choice(words))
        if kind == "listing":
            r.set("heading", rng.choice(words))
            for _ in range(rng.randrange(5)):
                e = etree.SubElement(r, "entry", title=rng.choice(words), key=rng.choice(keys))
                e.set("corresp", rng.choice(["", f"p{rng.randrange(n)}.xml#d", f"x/p{i}.xml"]))
                for attr in ("date", "summary", "archive", "lang"):
                    e.set(attr, rng.choice(words))
        out.append(etree.tostring(r))
    return out


def test_store_rows_equal_the_python_sort():
    rng = random.Random(13)
    for n in (1, 5, 40, 300):
        records = random_records(rng, n)
        rows, _ = index_rows(records)
        assert [tuple(r) for r in rows] == python_rows(records), n


def test_store_on_disk_gives_the_same_page(tmp_path):
    records = random_records(random.Random(1), 200)
    store = IndexStore(tmp_path / "index.sqlite")
    for data in records:
        store.add(data)
    try:
        on_disk = render_index_html(store)
    finally:
        store.close()
    assert on_disk == render_index_html(records)
    assert len(re.findall(r'data-pos="\d+"', on_disk)) == len(index_rows(records)[0])
