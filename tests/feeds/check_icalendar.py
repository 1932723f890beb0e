"""A strict reader of iCalendar files (RFC 5545), for the calendars a site publishes.

Usage: python3 check_icalendar.py [--expect-invalid] PATH...
Each PATH is an .ics file or a folder searched for them. Checks, for every file: every line ends
in CRLF and is at most 75 octets; the file is UTF-8; unfolded, every content line is NAME[;PARAM]*:VALUE;
one VCALENDAR with VERSION 2.0 and PRODID, holding only VEVENTs, properly nested; each VEVENT
has exactly one UID (unique in its file), DTSTAMP (a UTC date-time), DTSTART (a date that
exists) and SUMMARY, and a DTEND after its DTSTART; TEXT values escape ";" "," and "\\" and
use no other escape than "\\n". With --expect-invalid it exits 0 only when every file was read and
found invalid, so that a checker that accepts anything cannot pass.
"""
import datetime
import re

from file_checks import run

TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "X-WR-CALNAME", "X-WR-CALDESC", "LOCATION", "COMMENT"}
CONTENT_LINE = re.compile(r"^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:\"[^\"]*\"|[^;:,\"]*)(?:,(?:\"[^\"]*\"|[^;:,\"]*))*)*):(.*)$")


def date_of(value):
    if not re.fullmatch(r"\d{8}", value):
        raise ValueError(f"{value!r} is not a DATE (YYYYMMDD)")
    return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:]))


def check_text(value):
    i = 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            if i + 1 >= len(value) or value[i + 1] not in "\\;,nN":
                raise ValueError(f"a backslash that escapes nothing it may: {value[i:i + 2]!r}")
            i += 2
            continue
        if c in ";,":
            raise ValueError(f"an unescaped {c!r} in a TEXT value")
        i += 1


def problems_of(path):
    data = path.read_bytes()
    problems = []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return [f"not UTF-8: {error}"], 0
    if not data.endswith(b"\r\n"):
        problems.append("the last line does not end in CRLF")
    physical = data.split(b"\r\n")[:-1] if data.endswith(b"\r\n") else data.split(b"\r\n")
    for number, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: a bare LF or CR")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets, more than 75")
    lines = []
    for number, line in enumerate(physical, 1):
        text = line.decode("utf-8", errors="replace")
        if text.startswith((" ", "\t")):
            if not lines:
                problems.append(f"line {number}: a continuation with nothing to continue")
                continue
            lines[-1] = (lines[-1][0], lines[-1][1] + text[1:])
        else:
            lines.append((number, text))

    stack, uids, events = [], set(), 0
    event = None
    calendar_properties = {}
    for number, line in lines:
        match = CONTENT_LINE.match(line)
        if not match:
            problems.append(f"line {number}: not NAME[;PARAM]:VALUE: {line[:60]!r}")
            continue
        name, params, value = match.group(1).upper(), match.group(2), match.group(3)
        if name == "BEGIN":
            if not stack and value != "VCALENDAR" or stack and (stack != ["VCALENDAR"] or value != "VEVENT"):
                problems.append(f"line {number}: BEGIN:{value} inside {'/'.join(stack) or 'nothing'}")
            stack.append(value)
            if value == "VEVENT":
                event = {}
            continue
        if name == "END":
            if not stack or stack[-1] != value:
                problems.append(f"line {number}: END:{value} does not close {stack[-1] if stack else 'anything'}")
            else:
                stack.pop()
            if value == "VEVENT" and event is not None:
                events += 1
                for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
                    if len(event.get(required, [])) != 1:
                        problems.append(f"line {number}: an event with {len(event.get(required, []))} {required}, not one")
                for uid in event.get("UID", []):
                    if uid in uids:
                        problems.append(f"line {number}: UID {uid} is not unique")
                    uids.add(uid)
                try:
                    start = date_of(event["DTSTART"][0])
                    if "DTEND" in event and date_of(event["DTEND"][0]) <= start:
                        problems.append(f"line {number}: DTEND is not after DTSTART")
                except (KeyError, IndexError):
                    pass
                except ValueError as error:
                    problems.append(f"line {number}: {error}")
                event = None
            continue
        if not stack:
            problems.append(f"line {number}: {name} outside the calendar")
            continue
        if name in TEXT_PROPERTIES:
            try:
                check_text(value)
            except ValueError as error:
                problems.append(f"line {number}: {name}: {error}")
        if stack[-1] == "VEVENT":
            event.setdefault(name, []).append(value)
            if name == "DTSTAMP" and not re.fullmatch(r"\d{8}T\d{6}Z", value):
                problems.append(f"line {number}: DTSTAMP {value!r} is not a UTC date-time")
            if name in ("DTSTART", "DTEND") and params.upper() != ";VALUE=DATE":
                problems.append(f"line {number}: {name} is not an all-day date (VALUE=DATE)")
        else:
            calendar_properties.setdefault(name, []).append(value)
    if stack:
        problems.append(f"{'/'.join(stack)} is never closed")
    if calendar_properties.get("VERSION") != ["2.0"]:
        problems.append("VERSION is not 2.0")
    if len(calendar_properties.get("PRODID", [])) != 1:
        problems.append("no single PRODID")
    return problems, events


run(problems_of, "*.ics", "*.ics", "events")
