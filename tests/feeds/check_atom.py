"""Reads Atom feeds (RFC 4287) with Python's own XML parser and checks what readers rely on.

Usage: python3 check_atom.py [--expect-invalid] PATH...
Each PATH is a feed or a folder searched for feed.xml files. For every feed: well-formed XML whose
root is an Atom feed; the feed has exactly one id, title and updated (an RFC 3339 date-time), an
author, and a rel="self" link to itself; every entry has exactly one id (unique in the feed),
title and updated, a link, and an updated no later than the feed's; entries are newest first.
With --expect-invalid it exits 0 only when every file was read and found invalid.
"""
import datetime
import xml.etree.ElementTree as ET

from file_checks import run

ATOM = "{http://www.w3.org/2005/Atom}"


def when(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def problems_of(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"], 0
    if root.tag != ATOM + "feed":
        return [f"the root is {root.tag}, not an Atom feed"], 0
    problems = []

    def one(element, name, where):
        found = element.findall(ATOM + name)
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} <{name}>, not one")
            return None
        return found[0].text or ""

    feed_updated = one(root, "updated", "the feed")
    one(root, "id", "the feed")
    one(root, "title", "the feed")
    if not root.findall(ATOM + "author"):
        problems.append("the feed has no <author>")
    if not any(link.get("rel") == "self" for link in root.findall(ATOM + "link")):
        problems.append("the feed has no rel=\"self\" link")
    try:
        newest = when(feed_updated) if feed_updated else None
    except ValueError:
        problems.append(f"the feed's updated {feed_updated!r} is not a date-time")
        newest = None
    ids, previous = set(), None
    entries = root.findall(ATOM + "entry")
    for number, entry in enumerate(entries, 1):
        where = f"entry {number}"
        entry_id = one(entry, "id", where)
        one(entry, "title", where)
        updated = one(entry, "updated", where)
        if not entry.findall(ATOM + "link"):
            problems.append(f"{where}: no <link>")
        if entry_id in ids:
            problems.append(f"{where}: the id {entry_id} is not unique")
        ids.add(entry_id)
        try:
            moment = when(updated) if updated else None
        except ValueError:
            problems.append(f"{where}: updated {updated!r} is not a date-time")
            continue
        if moment and newest and moment > newest:
            problems.append(f"{where}: updated after the feed's updated")
        if moment and previous and moment > previous:
            problems.append(f"{where}: newer than the entry before it")
        previous = moment or previous
    return problems, len(entries)


run(problems_of, "feed.xml", "*.xml", "entries")
