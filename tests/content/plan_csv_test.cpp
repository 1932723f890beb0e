// A plan kept as CSV tables, read into what plan.json would hold and loaded as plan.json is.
#include <doctest/doctest.h>

#include <vector>

#include "content/plan.hpp"
#include "content/plan_csv.hpp"
#include "support/temp_site.hpp"

using namespace plainsight;
using testing::all_messages;
using testing::contains;

namespace {

const std::string folder = "content/plans/p/";

/// The tables of a small plan: two periods, a priority, a deliverable with two updates and a field
/// of its own, a measure with two values, a risk and the council's counts.
std::vector<PlanTableFile> tables() {
  return {
      {folder + "plan.csv",
       "title,department,direction_of_travel,browse_by,source_document,source_page,label_deliverable,label_deliverables\r\n"
       "The plan,Place,ratings,Portfolio,Council Plan report,4,Action,Actions\r\n"},
      {folder + "periods.csv", "id,label,end,heading\r\nq3,Dec 2021,2021-12-31,\r\nq4,Mar 2022,31/03/2022,Latest\r\n"},
      {folder + "priorities.csv", "id,title,summary,kind\r\ngreen,A green county,\"Trees, **parks** and\nrivers.\",\r\n"},
      {folder + "deliverables.csv",
       "id,priority,priority_title,title,lead,department,start,due,council_plan,success_measures,measures,rating,url,field: Portfolio\r\n"
       "plant,green,A green county,Plant trees,Jo Bloggs,Place,2021-04,2022-03-31,TRUE,\"Trees planted\nTrees kept\",co2,strong,"
       "https://x.example/plans/p/deliverables/plant/,Environment\r\n"},
      {folder + "updates.csv", "deliverable,period,rating,text\r\nplant,q3,good,\r\nplant,q4,strong,\"'=Done: \"\"2,000\"\" trees.\"\r\n"},
      {folder + "measures.csv",
       "id,priority,title,unit,direction,last_period_target,last_period_target_as_published,target,rating,note\r\n"
       "co2,green,Emissions,number,lower,,95 or below,,good,Tonnes.\r\n"},
      {folder + "measure-values.csv",
       "measure,period,value,value_as_published,target,target_as_published,rating,published_rating,as_of\r\n"
       "co2,q3,110,,,,,,2021-11\r\nco2,q4,\"1,096\",\"1,096t\",1000,\"1,000t\",review,review,\r\n"},
      {folder + "risks.csv",
       "id,department,priority,title,risk,mitigations,none_identified\r\nflood,Place,green,Flooding,Rivers may flood.,Banks.,\r\n"},
      {folder + "trend.csv",
       "period,label,end,kind,strong,good,review,action,completed,counted_from\r\n"
       "q4,Mar 2022,2022-03-31,deliverables,1,0,0,0,0,published\r\nq3,Dec 2021,2021-12-31,deliverables,0,1,0,0,0,ratings\r\n"},
  };
}

std::optional<Plan> load(const std::vector<PlanTableFile>& files, Diagnostics& diagnostics) {
  const auto source = plan_source_from_csv(files, "https://x.example/", diagnostics);
  if (!source) return std::nullopt;
  return load_plan(*source, {}, diagnostics);
}

std::vector<PlanTableFile> with(std::vector<PlanTableFile> files, const std::string& name, const std::string& bytes) {
  for (auto& file : files)
    if (file.path == folder + name) return file.bytes = bytes, files;
  files.push_back({folder + name, bytes});
  return files;
}

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a plan kept as CSV tables reads every table into the plan plan.json would give") {
    Diagnostics diagnostics;
    const auto plan = load(tables(), diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(all_messages(diagnostics).empty());
    CHECK(plan->title == "The plan");
    CHECK(plan->department == "Place");
    CHECK(plan->source.document == "Council Plan report");
    CHECK(plan->source.page == "4");
    CHECK(plan->labels.deliverables == "Actions");
    CHECK(plan->labels.measure == "Key measure");  // not given: the default
    REQUIRE(plan->periods.size() == 2);
    CHECK(format_date_iso(plan->periods[1].end) == "2022-03-31");  // from a UK date, as Excel saves one
    CHECK(plan->periods[1].heading == "Latest");
    CHECK(plan->priorities[0].summary.text == "Trees, **parks** and\nrivers.");
    const auto& plant = plan->deliverables.at(0);
    CHECK(plant.department.empty());  // the plan's own, as the published table repeats it
    CHECK(plant.start->month_only);
    CHECK(plant.council_plan == true);
    CHECK(plant.success_measures == std::vector<std::string>{"Trees planted", "Trees kept"});
    CHECK(plant.measures == std::vector<std::string>{"co2"});
    CHECK(plant.fields == std::vector<std::pair<std::string, std::string>>{{"Portfolio", "Environment"}});
    REQUIRE(plant.updates.size() == 2);
    CHECK(plant.updates[1].text.text == "=Done: \"2,000\" trees.");  // the spreadsheet-safe quote dropped
    CHECK(plant.rating == Rating::strong);
    CHECK(plan->browse.at(0).name == "Portfolio");
    const auto& co2 = plan->measures.at(0);
    CHECK(co2.note.text == "Tonnes.");
    REQUIRE(co2.target);
    CHECK(co2.target->kind == Target::Kind::at_most);  // "95 or below", the plan's latest period's
    REQUIRE(co2.values.size() == 2);
    CHECK(co2.values[0].as_of == "2021-11");
    CHECK(*co2.values[1].value == 1096);
    CHECK(co2.values[1].value_as_published == "1,096t");
    CHECK(co2.values[1].target->value == 1000);
    CHECK(co2.values[1].target->as_published == "1,000t");
    CHECK(co2.values[1].published_rating == Rating::review);
    CHECK(plan->risks.at(0).text.text == "Rivers may flood.");
    CHECK(plan->risks.at(0).department.empty());
    REQUIRE(plan->trend.size() == 1);  // the row counted from ratings is the site's own, made again
    CHECK(plan->trend[0].ratings[3] == 1);
    // Every value is placed at its cell, for the errors load_plan finds later.
    CHECK(plant.where.file == folder + "deliverables.csv");
    CHECK(plant.where.line == 2);
  }

  TEST_CASE("a plan's tables may leave out the tables and columns they do not need") {
    Diagnostics diagnostics;
    const auto plan = load({{folder + "plan.csv", "title\nJust periods\n"},
                            {folder + "periods.csv", "id,end\nq4,2022-03-31\n"},
                            {folder + "priorities.csv", "id,title\ngreen,Green\n"}},
                           diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(plan->deliverables.empty());
    CHECK(plan->measures.empty());
  }

  TEST_CASE("CSV UTF-8 with its byte order mark, and Windows-1252 from Excel's plain CSV, are read as written") {
    Diagnostics diagnostics;
    auto files = with(tables(), "priorities.csv",
                      "\xEF\xBB\xBFid,title\ngreen,Caf\xC3\xA9s and \xC2\xA3"
                      "5 tickets\n");
    files = with(files, "updates.csv",
                 "deliverable,period,text\nplant,q4,\x93Quoted\x94 \x96 cost \xA3"
                 "5 \x80"
                 "1\n");
    const auto plan = load(files, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(plan->priorities[0].title == "Cafés and £5 tickets");
    CHECK(plan->deliverables[0].updates.back().text.text == "“Quoted” – cost £5 €1");
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, folder + "updates.csv:1:1: warning: this file is not UTF-8, so it was read as Windows-1252"));
    CHECK(contains(messages, "save it as \"CSV UTF-8 (Comma delimited)\""));
    CHECK_FALSE(contains(messages, "priorities.csv"));
  }

  TEST_CASE("a file in neither encoding is refused at the byte, saying how to save it") {
    Diagnostics diagnostics;
    CHECK_FALSE(load(with(tables(), "updates.csv", "deliverable,period,text\nplant,q4,ab\x81\n"), diagnostics));
    CHECK(contains(all_messages(diagnostics), folder + "updates.csv:2:12: error: this file is neither UTF-8 nor Windows-1252 (byte 0x81): save it "
                                                       "from Excel as \"CSV UTF-8 (Comma delimited)\""));
  }

  TEST_CASE("every problem in the tables is reported at its file, line and column, all at once") {
    Diagnostics diagnostics;
    auto files = with(tables(), "priorities.csv", "id,summary\ngreen,Green\n");                     // no title column
    files = with(files, "risks.csv", "id,priority,risk,mitigation\nflood,green,Rivers.,Banks.\n");  // a column misspelt
    files = with(files, "updates.csv", "deliverable,period,rating\nplnat,q4,good\nplant,q9,good\n");
    files = with(files, "measure-values.csv", "measure,period,value\nco2,q4,lots\nco3,q4,1\n");
    files = with(files, "periods.csv", "id,label,end\nq3,Dec 2021,2021-12-31\nq3,Mar 2022,2022-03-31\nq5,Jun 2022\n");
    files = with(files, "deliverables.csv", "id,priority,title,council_plan\nplant,green,Plant trees,maybe\n");
    const auto plan = load(files, diagnostics);
    CHECK_FALSE(plan);
    const auto messages = all_messages(diagnostics);
    INFO(messages);
    CHECK(contains(messages, folder + "priorities.csv:1:1: error: missing the column \"title\" (priorities.csv needs id, title)"));
    CHECK(contains(messages, folder + "risks.csv:1:18: error: unknown column \"mitigation\" (did you mean \"mitigations\"?)"));
    CHECK(contains(messages, folder + "periods.csv:4:1: error: row has 2 cells, but the header has 3 columns"));
    CHECK(contains(messages, folder + "deliverables.csv:2:25: error: \"maybe\" is not true or false"));
    CHECK(contains(messages, folder + "measure-values.csv:2:8: error: \"lots\" is not a number"));
    CHECK(contains(messages, folder + "updates.csv:2:1: error: unknown deliverable \"plnat\" (did you mean \"plant\"?)"));
    CHECK(contains(messages, folder + "measure-values.csv:3:1: error: unknown measure \"co3\" (did you mean \"co2\"?)"));
    // Once every table reads, the plan is checked as plan.json is, at the tables' cells.
    Diagnostics second;
    files = with(tables(), "updates.csv", "deliverable,period,rating\nplant,q9,good\n");
    files = with(files, "periods.csv", "id,label,end\nq3,Dec 2021,2021-12-31\nq3,Mar 2022,2022-03-31\nq4,Jun 2022,2022-06-30\n");
    CHECK_FALSE(load(files, second));
    const auto more = all_messages(second);
    CHECK(contains(more, folder + "periods.csv:3:1: error: duplicate period id \"q3\""));
    CHECK(contains(more, folder + "updates.csv:2:7: error: unknown period \"q9\""));
    // A period whose end is not a date is reported there, once: not again at each update of it.
    Diagnostics third;
    files = with(tables(), "updates.csv", "deliverable,period,rating\nplant,q4,good\n");
    files = with(files, "periods.csv", "id,label,end\nq3,Dec 2021,2021-12-31\nq4,Jun 2022,31/06/2022\n");
    CHECK_FALSE(load(files, third));
    const auto once = all_messages(third);
    INFO(once);
    CHECK(contains(once, folder + "periods.csv:3:13: error: \"31/06/2022\" is not a valid date for \"end\""));
    CHECK_FALSE(contains(once, "unknown period"));
    CHECK(third.sorted().size() == 1);
  }

  TEST_CASE("a plan's tables need plan.csv's one row, periods.csv and priorities.csv") {
    Diagnostics diagnostics;
    CHECK_FALSE(load({{folder + "plan.csv", "title\nOne\nTwo\n"}}, diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, folder + "plan.csv:1:1: error: no periods.csv beside plan.csv"));
    CHECK(contains(messages, folder + "plan.csv:1:1: error: no priorities.csv beside plan.csv"));
    Diagnostics rows;
    CHECK_FALSE(load(with(tables(), "plan.csv", "title\nOne\nTwo\n"), rows));
    CHECK(contains(all_messages(rows), folder + "plan.csv:3:1: error: plan.csv has 2 rows (expected one: the plan's title and settings)"));
  }

  TEST_CASE("a UTF-8 file with one stray byte is refused at the byte, not read as Windows-1252") {
    for (const std::string start : {"", "\xEF\xBB\xBF"}) {
      Diagnostics diagnostics;
      CHECK_FALSE(load(with(tables(), "updates.csv",
                            start + "deliverable,period,text\nplant,q4,\xC2\xA3"
                                    "5m caf\xE9\n"),
                       diagnostics));
      INFO(all_messages(diagnostics));
      CHECK(contains(all_messages(diagnostics), folder + "updates.csv:2:17: error: invalid UTF-8: retype the character here"));
      CHECK_FALSE(contains(all_messages(diagnostics), "Windows-1252"));
    }
  }

  TEST_CASE("numbers may group thousands with commas, but a decimal comma is refused") {
    Diagnostics diagnostics;
    const auto plan = load(with(tables(), "measure-values.csv", "measure,period,value,target\nco2,q3,\"-1,234,567.5\",\"12,000\"\n"), diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(*plan->measures[0].values[0].value == -1234567.5);
    CHECK(plan->measures[0].values[0].target->value == 12000);
    for (const char* number : {"1,5", "1.234,5", "12,34", ",123", "1,2345"}) {
      Diagnostics refused;
      CHECK_FALSE(load(with(tables(), "measure-values.csv", std::string("measure,period,value\nco2,q3,\"") + number + "\"\n"), refused));
      CHECK_MESSAGE(contains(all_messages(refused), "is not a number"), number);
    }
  }

  TEST_CASE("a target's bound or range is read as target_read_as says, in the council's words") {
    Diagnostics diagnostics;
    const auto plan = load(with(tables(), "measure-values.csv",
                                "measure,period,value,target,target_as_published,target_read_as\n"
                                "co2,q3,1,95,at least 95 per cent,95 or above\nco2,q4,1,4,between 4 and 8,4 to 8\n"),
                           diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    const auto& first = *plan->measures[0].values[0].target;
    CHECK(first.kind == Target::Kind::at_least);
    CHECK(first.value == 95);
    CHECK(first.as_published == "at least 95 per cent");
    const auto& second = *plan->measures[0].values[1].target;
    CHECK(second.kind == Target::Kind::range);
    CHECK(second.high == 8);
    CHECK(second.as_published == "between 4 and 8");
    // With the column there but empty, a number is a number, whatever its words say.
    Diagnostics plain;
    const auto number =
        load(with(tables(), "measure-values.csv", "measure,period,target,target_as_published,target_read_as\nco2,q3,95,95% or above,\n"), plain);
    REQUIRE_MESSAGE(number, all_messages(plain));
    CHECK(number->measures[0].values[0].target->kind == Target::Kind::number);
  }

  TEST_CASE("a target_read_as left behind when the target was changed is read past, with a warning at its cell") {
    // The published table's row read "2 or below" from 2 and "2% or less"; the comms team typed a
    // new target in the two columns they see, and the old reading must not stand for it.
    struct Case {
      std::string row;
      Target::Kind kind;
      double value;
    };
    for (const auto& test : std::vector<Case>{{"co2,q3,2.5,3,3% or less,2 or below", Target::Kind::at_most, 3},  // both changed
                                              {"co2,q3,2.5,3,,2 or below", Target::Kind::number, 3},             // the number alone
                                              {"co2,q3,2.5,,5-9%,4 to 8", Target::Kind::range, 5},               // the words alone
                                              {"co2,q3,2.5,,Monitor,4 to 8", Target::Kind::range, 4},            // words that state no number: kept
                                              {"co2,q3,2.5,2,2% or less,2 or below", Target::Kind::at_most, 2}}) {  // as published: kept
      const auto& row = test.row;
      CAPTURE(row);
      Diagnostics diagnostics;
      const auto plan =
          load(with(tables(), "measure-values.csv", "measure,period,value,target,target_as_published,target_read_as\n" + row + "\n"), diagnostics);
      REQUIRE_MESSAGE(plan, all_messages(diagnostics));
      const auto& target = *plan->measures[0].values[0].target;
      CHECK(target.kind == test.kind);
      CHECK(target.value == test.value);
      const bool read_past = row.ends_with("2 or below") ? !row.starts_with("co2,q3,2.5,2,") : row.find("5-9%") != std::string::npos;
      CHECK(diagnostics.warning_count() == (read_past ? 1 : 0));
      if (read_past) CHECK(contains(all_messages(diagnostics), "measure-values.csv:2:"));
    }
    Diagnostics diagnostics;
    CHECK(load(
        with(tables(), "measure-values.csv", "measure,period,value,target,target_as_published,target_read_as\nco2,q3,2.5,3,3% or less,2 or below\n"),
        diagnostics));
    CHECK(contains(all_messages(diagnostics),
                   "measure-values.csv:2:25: warning: target_read_as \"2 or below\" is not how this row's target (3, "
                   "\"3% or less\") reads, so the target is read from them; empty target_read_as"));
  }

  TEST_CASE("a table's word that is no rating is told that none is an empty cell, and a period's label that it is not its id") {
    Diagnostics diagnostics;
    CHECK_FALSE(load(with(tables(), "updates.csv", "deliverable,period,rating,text\nplant,Dec 2021,null,\n"), diagnostics));
    const auto messages = all_messages(diagnostics);
    INFO(messages);
    CHECK(contains(messages, "updates.csv:2:7: error: unknown period \"Dec 2021\": that is the label of the period \"q3\" (expected its id)"));
    CHECK(contains(messages,
                   "\"null\" is not a rating (expected strong, good, review or action; for none, null in plan.json or an empty cell in a table)"));
  }

  TEST_CASE("spaces a spreadsheet leaves around a one-line cell are read past: a rating, a period, an id, a date") {
    Diagnostics diagnostics;
    auto files = with(tables(), "updates.csv", "deliverable,period,rating,text\nplant ,q3, good ,\nplant, q4,strong,Done.  \n");
    files = with(files, "periods.csv", "id,label,end\nq3,Dec 2021,31/12/2021 \nq4,Mar 2022, 2022-03-31\n");
    const auto plan = load(files, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(plan->deliverables[0].updates.size() == 2);
    CHECK(plan->periods[0].end.year == 2021);
    CHECK(plan->periods[0].end.month == 12);
  }

  TEST_CASE("a field's name is kept as written, a slash and all, and a text's leading line break keeps no quote") {
    Diagnostics diagnostics;
    auto files = with(tables(), "deliverables.csv",
                      "id,priority,title,field: Portfolio,field: Lead/Officer,field: a~b,\nplant,green,Plant trees,Place,Jo,x,\n");
    files = with(files, "updates.csv", "deliverable,period,text\nplant,q4,\"'\r\nSecond line\"\n");
    const auto plan = load(files, diagnostics);
    REQUIRE_MESSAGE(plan, all_messages(diagnostics));
    CHECK(plan->deliverables[0].fields ==
          std::vector<std::pair<std::string, std::string>>{{"Portfolio", "Place"}, {"Lead/Officer", "Jo"}, {"a~b", "x"}});
    CHECK(plan->deliverables[0].updates[0].text.text == "\nSecond line");
  }

  TEST_CASE("an unnamed column is read past while it is empty, and is an error once it holds a value") {
    Diagnostics diagnostics;
    CHECK(load(with(tables(), "priorities.csv", "id,title,\ngreen,Green,\n"), diagnostics));
    CHECK_FALSE(load(with(tables(), "priorities.csv", "id,title,\ngreen,Green,oops\n"), diagnostics));
    CHECK(contains(all_messages(diagnostics), folder + "priorities.csv:2:13: error: this column has no name in the header"));
  }

  TEST_CASE("an error in plan.csv does not hide the other tables' errors") {
    Diagnostics diagnostics;
    auto files = with(tables(), "plan.csv", "title,Titel\nP,Q\n");
    files = with(files, "updates.csv", "deliverable,period\nzz,q4\n");
    CHECK_FALSE(load(files, diagnostics));
    const auto messages = all_messages(diagnostics);
    CHECK(contains(messages, folder + "plan.csv:1:7: error: unknown column \"Titel\""));
    CHECK(contains(messages, folder + "updates.csv:2:1: error: unknown deliverable \"zz\""));
  }
}
