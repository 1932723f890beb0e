#include <doctest/doctest.h>

#include "content/department.hpp"

using namespace plainsight;

namespace {

std::vector<Department> council() {
  Department ccp;
  ccp.title = "Commissioning, Communities and Policy";
  ccp.short_names = {"CCP"};
  Department adults;
  adults.title = "Adult Social Care and Health";
  adults.other_names = {"Adult Care"};
  adults.divisions = {"Public Health"};
  Department children;
  children.title = "Children's Services";
  return {ccp, adults, children};
}

}  // namespace

TEST_SUITE("content") {
  TEST_CASE("a department is found by its title, short and other names, divisions and site.json aliases, however it is spelt") {
    const DepartmentNames names(council(), {{"Adults and Health", "Adult Social Care and Health"}});
    CHECK(names.find("CCP")->department == 0);
    CHECK(names.find("commissioning,  communities and policy")->department == 0);
    CHECK(names.find("Commissioning, Communities & Policy")->department == 0);
    CHECK(names.find("Adult Care")->department == 1);
    CHECK(names.find("Adults and Health")->department == 1);
    CHECK(names.find("Children\u2019s Services")->department == 2);  // a curly apostrophe
    const auto health = names.find("Public Health");
    REQUIRE(health);
    CHECK(health->department == 1);
    CHECK(health->division == "Public Health");
    CHECK_FALSE(names.find("Childrens Services"));
  }

  TEST_CASE("a field may name several departments, all of them or none, and the names that are no department are returned") {
    const DepartmentNames names(council(), {});
    std::vector<std::string> unknown;
    const auto two = names.find_all("Adult Social Care and Health / Children\u2019s Services", &unknown);
    REQUIRE(two.size() == 2);
    CHECK(two[0].department == 1);
    CHECK(two[1].department == 2);
    CHECK(unknown.empty());
    CHECK(names.find_all("All departments").size() == 3);
    CHECK(names.find_all("None").empty());
    CHECK(names.find_all("CCP / Planning", &unknown).size() == 1);
    CHECK(unknown == std::vector<std::string>{"Planning"});
  }

  TEST_CASE("what a department's overview says about its budget is compared with its budget table's net figure") {
    // 001: ETE's text says "exceeding £76.4m"; its table's net budget is £76,285 thousand.
    CHECK(budget_text_difference("exceeding £76.4m", 76285000) ==
          "the overview says \u201cexceeding £76.4m\u201d, more than £76,400,000; the budget table's net budget is £76,285,000");
    CHECK(budget_text_difference("exceeding £59 million", 59625880).empty());
    CHECK(budget_text_difference("£76,285 thousand", 76285000).empty());
    CHECK(budget_text_difference("£59.6m", 59625880).empty());
    // CCP's text gives £59,625,879, one pound short of its table's total.
    CHECK(budget_text_difference("£59,625,879", 59625880) ==
          "the overview says \u201c£59,625,879\u201d; the budget table's net budget is £59,625,880");
    CHECK(budget_text_difference("less than £50m", 59625880) != "");
    CHECK(budget_text_difference("a large budget", 59625880).empty());  // no figure: nothing to compare
  }
}
