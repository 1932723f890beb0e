#!/usr/bin/env python3
"""Writes a deterministic plainsight site of N Markdown pages for benchmarks.

The site holds the example site's configuration, theme overrides, plans, budget and pipeline
(realistic data of the sizes a council publishes) plus N generated pages spread over sections
and news, each with front matter, headings, lists, links to other pages and a GFM table.
The same N always gives the same bytes: the text comes from a seeded generator.

    bench/generate_corpus.py --pages 10000 --out /tmp/corpus-10000 [--shape standard|long|nested]

Three shapes of the same N pages:

- standard: pages of about 2 KB of Markdown in 10 sections a thousand pages, and news;
- long: pages three times as long, each with a GFM table of 30 rows and 6 columns and about 30
  links to other pages;
- nested: short pages (a paragraph and a list), ten to a section, in sections nested four
  deep (topics/t?/s?/l?/, each with its own _index.md), with front matter tags.
"""
import argparse
import random
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

WORDS = """council budget service road library school care adult children transport highway gritting
winter flood carbon recycling waste park community grant housing planning licence parking
health wellbeing employment skills apprenticeship broadband business economy tourism heritage
museum archive leisure youth family support safeguarding foster adoption disability elderly
home independent living partnership contract supplier tender procurement value saving income
council tax reserve capital revenue investment scheme project programme strategy review report
performance measure target deliverable priority outcome resident district parish town village
bridge footpath cycle bus rail station street lighting pothole drainage climate energy solar
""".split()

SECTIONS_PER_THOUSAND = 10


def sentence(rng, words=12):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences=4):
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def title(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).capitalize()


def page_text(rng, urls):
    links = ", ".join(f"[{title(rng).lower()}]({rng.choice(urls)})" for _ in range(3))
    rows = "\n".join(f"| {title(rng)} | £{rng.randint(1, 900) * 1000:,} | {rng.randint(1, 100)}% |" for _ in range(rng.randint(3, 8)))
    items = "\n".join(f"- {sentence(rng, rng.randint(4, 9))}" for _ in range(rng.randint(3, 6)))
    return f"""{paragraph(rng)}

## What we are doing

{paragraph(rng, 5)}

{items}

## Costs

| Item | Cost | Complete |
| --- | ---: | ---: |
{rows}

## Related pages

Read more about {links}.

### Background

{paragraph(rng, 3)}

1. {sentence(rng)}
2. {sentence(rng)}
3. {sentence(rng)}
"""


def long_page_text(rng, urls):
    def links(count):
        return ", ".join(f"[{title(rng).lower()}]({rng.choice(urls)})" for _ in range(count))
    header = "| Scheme | Ward | Budget | Spent | Complete | Next step |\n| --- | --- | ---: | ---: | ---: | --- |"
    rows = "\n".join(
        f"| [{title(rng)}]({rng.choice(urls)}) | {title(rng)} | £{rng.randint(1, 900) * 1000:,} | £{rng.randint(1, 900) * 1000:,} | "
        f"{rng.randint(1, 100)}% | {sentence(rng, 5)} |" for _ in range(30))
    parts = [paragraph(rng, 6)]
    for heading in ("What we are doing", "Why it matters", "Who it is for", "What happens next"):
        parts.append(f"## {heading}\n\n{paragraph(rng, 6)} See {links(4)}.\n\n" + "\n".join(f"- {sentence(rng, 9)}" for _ in range(5)))
    parts.append(f"## Schemes\n\n{header}\n{rows}")
    parts.append(f"## Related pages\n\n{links(6)}.")
    return "\n\n".join(parts) + "\n"


def nested_page_text(rng, urls):
    items = "\n".join(f"- {sentence(rng, rng.randint(4, 8))}" for _ in range(3))
    return f"{paragraph(rng, 2)} See [{title(rng).lower()}]({rng.choice(urls)}).\n\n{items}\n"


TAGS = [f"{a} {b}" for a in ("roads", "schools", "care", "waste", "housing", "leisure") for b in ("plan", "report", "notice", "consultation", "update")]


def write_nested(rng, pages, content):
    """Short pages, ten to a section, four levels deep, with tags."""
    leaves = max(1, pages // 10)
    def leaf(i):
        return f"topics/t{i % 10}/s{i // 10 % 10}/l{i // 100}"
    urls = [f"/{leaf(i % leaves)}/page-{i + 1:05}/" for i in range(pages)]
    folders = set()
    for i in range(leaves):
        parts = leaf(i).split("/")
        folders.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    for folder in sorted(folders):
        path = content / folder
        path.mkdir(parents=True, exist_ok=True)
        (path / "_index.md").write_text(f"---\ntitle: \"{title(rng)} {folder.rsplit('/', 1)[-1]}\"\nsummary: \"{sentence(rng, 8)}\"\n---\n\n{sentence(rng)}\n")
    for i in range(pages):
        tags = ", ".join(sorted(set(rng.choice(TAGS) for _ in range(rng.randint(1, 3)))))
        (content / urls[i].strip("/")).with_suffix(".md").write_text(
            f"---\ntitle: \"{title(rng)} {i + 1}\"\ntags: [{tags}]\nweight: {i % 10}\n---\n\n{nested_page_text(rng, urls)}")


def write_corpus(pages, out, shape="standard"):
    rng = random.Random(pages)
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    shutil.copytree(REPO / "content", content)  # the whole example, so that its links all resolve
    shutil.copy(REPO / "site.json", out / "site.json")
    shutil.copytree(REPO / "themes", out / "themes")
    if shape == "nested":
        write_nested(rng, pages, content)
        return
    text_of = long_page_text if shape == "long" else page_text

    sections = max(1, pages * SECTIONS_PER_THOUSAND // 1000)
    news_count = pages // 5
    service_count = pages - news_count
    urls = [f"/services/area-{i % sections + 1:03}/page-{i + 1:05}/" for i in range(service_count)]
    urls += [f"/news/update-{i + 1:05}/" for i in range(news_count)]

    (content / "services").mkdir()
    (content / "services" / "_index.md").write_text("---\ntitle: Services\nsummary: Every service the council runs.\n---\n\nThe council's services.\n")
    for s in range(sections):
        folder = content / "services" / f"area-{s + 1:03}"
        folder.mkdir()
        (folder / "_index.md").write_text(f"---\ntitle: Service area {s + 1}\nsummary: {sentence(rng, 8)}\n---\n\n{paragraph(rng)}\n")
    for i in range(service_count):
        path = content / urls[i].strip("/")
        body = text_of(rng, urls)
        path.with_suffix(".md").write_text(f"---\ntitle: \"{title(rng)} {i + 1}\"\nsummary: \"{sentence(rng, 10)}\"\nweight: {i % 50}\n---\n\n{body}")
    for i in range(news_count):
        date = f"{2019 + i % 6}-{i % 12 + 1:02}-{i % 28 + 1:02}"
        body = text_of(rng, urls)
        (content / "news" / f"{date}-update-{i + 1:05}.md").write_text(f"---\ntitle: \"{title(rng)} update {i + 1}\"\ndate: {date}\nsummary: \"{sentence(rng, 10)}\"\n---\n\n{body}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, required=True, help="how many Markdown pages to generate")
    parser.add_argument("--out", type=Path, required=True, help="the site folder to (re)create")
    parser.add_argument("--shape", choices=["standard", "long", "nested"], default="standard")
    args = parser.parse_args()
    write_corpus(args.pages, args.out, args.shape)


if __name__ == "__main__":
    main()
