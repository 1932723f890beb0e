#pragma once

#include <string>
#include <vector>

#include "core/dates.hpp"

namespace plainsight {

/// One all-day event of a calendar.
struct CalendarEvent {
  std::string uid;  ///< the same thing keeps the same uid from build to build, so apps update it in place
  DateTime day;     ///< its date; any time of day is ignored
  std::string summary, description;
  std::string url;  ///< where the event is described, absolute
};

struct Calendar {
  std::string name, description;  ///< as calendar apps show the calendar
  DateTime stamp;                 ///< every event's DTSTAMP: when the data was published, never the clock
  std::vector<CalendarEvent> events;
};

/// The calendar as an iCalendar file (RFC 5545): CRLF line ends, lines folded at 75 octets
/// (never inside a UTF-8 character), text escaped, events in the order given.
std::string icalendar(const Calendar& calendar);

}  // namespace plainsight
