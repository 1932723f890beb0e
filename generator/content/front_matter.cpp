#include "content/front_matter.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <utility>
#include <vector>

#include "core/format.hpp"
#include "core/text.hpp"

namespace plainsight {
namespace {

class FrontMatterReader {
 public:
  FrontMatterReader(const std::string& file, int first_line, Diagnostics& diagnostics)
      : file_(file), first_line_(first_line), diagnostics_(diagnostics) {}

  SourceLocation at(const YAML::Node& node) const { return at(node.Mark()); }
  SourceLocation at(const YAML::Mark& mark) const {
    if (mark.line < 0) return {file_, first_line_, 1};
    return {file_, first_line_ + mark.line, mark.column + 1};
  }
  void error(const YAML::Node& node, std::string message) const { error(node.Mark(), std::move(message)); }
  void error(const YAML::Mark& mark, std::string message) const { diagnostics_.error(at(mark), std::move(message)); }

  std::optional<std::string> scalar(const YAML::Node& node, const std::string& key, const char* expected = "text") const {
    if (!node.IsScalar()) {
      error(node, "\"" + key + "\" must be " + expected);
      return std::nullopt;
    }
    return node.Scalar();
  }

  std::optional<DateTime> date(const YAML::Node& node, const std::string& key) const {
    const auto text = scalar(node, key, "a date");
    if (!text) return std::nullopt;
    auto parsed = parse_iso_date(trim(*text));
    if (!parsed) error(node, "\"" + *text + "\" is not a valid date for \"" + key + "\" (expected YYYY-MM-DD, such as 2022-03-31)");
    return parsed;
  }

  std::optional<bool> boolean(const YAML::Node& node, const std::string& key) const {
    const auto text = scalar(node, key, "true or false");
    if (!text) return std::nullopt;
    if (*text == "true" || *text == "yes") return true;
    if (*text == "false" || *text == "no") return false;
    error(node, "\"" + key + "\" must be true or false, not \"" + *text + "\"");
    return std::nullopt;
  }

  std::vector<std::string> text_list(const YAML::Node& node, const std::string& key) const {
    std::vector<std::string> items;
    if (node.IsScalar()) {
      items.push_back(node.Scalar());
    } else if (node.IsSequence()) {
      for (const auto& item : node)
        if (auto value = scalar(item, key, "a list of text")) items.push_back(*value);
    } else if (!node.IsNull()) {
      error(node, "\"" + key + "\" must be a list, such as [one, two]");
    }
    return items;
  }

 private:
  const std::string& file_;
  int first_line_;
  Diagnostics& diagnostics_;
};

/// The most values front matter may hold once its aliases are expanded: each `*name` repeats
/// all that `&name` holds, so ten short lines of aliases can stand for billions of values.
constexpr std::size_t most_front_matter_values = 100'000;

/// Reads the YAML's parse events before it is loaded, for what the loaded nodes no longer
/// tell: which value is an alias (to count what it repeats, and to refuse one inside what it
/// refers to), keys given twice in a nested map, and a quote that is never closed (yaml-cpp
/// 0.7 takes the rest of the text into it).
class YamlEventCheck : public YAML::EventHandler {
 public:
  YamlEventCheck(std::string_view yaml, const FrontMatterReader& read) : yaml_(yaml), read_(read) {}

  /// True when the problems found make the loaded YAML unsafe or meaningless to read further.
  [[nodiscard]] bool fatal() const { return fatal_; }

  /// Reports a quote left open, which can only be the last quoted value: it runs to the end.
  void finish() {
    if (fatal_ || !last_quoted_ || last_quoted_->pos >= static_cast<int>(yaml_.size())) return;
    const auto open = static_cast<std::size_t>(last_quoted_->pos);
    const char quote = yaml_[open];
    if (quote != '"' && quote != '\'') return;  // a block scalar (| or >) or an explicit tag
    for (std::size_t i = open + 1; i < yaml_.size(); ++i) {
      if (quote == '"' && yaml_[i] == '\\')
        ++i;
      else if (quote == '\'' && yaml_[i] == '\'' && i + 1 < yaml_.size() && yaml_[i + 1] == '\'')
        ++i;
      else if (yaml_[i] == quote)
        return;
    }
    problem(*last_quoted_, std::string("this quoted text has no closing ") + quote + " (an open quote takes in the rest of the front matter)");
  }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnAnchor(const YAML::Mark&, const std::string& name) override { pending_anchor_name_ = name; }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { value(mark, anchor, 1, nullptr); }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor, const std::string& text) override {
    if (tag == "!") last_quoted_ = mark;  // quoted, or a block scalar
    value(mark, anchor, 1, &text);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto found = anchors_.find(anchor);
    if (found == anchors_.end()) return;  // yaml-cpp refuses an unknown alias itself
    if (!found->second.size) {
      problem(mark, "the alias *" + found->second.name + " is inside what &" + found->second.name + " names, so it would repeat itself without end");
      return;
    }
    value(mark, 0, *found->second.size, nullptr);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override { open(mark, anchor, true); }
  void OnSequenceEnd() override { close(); }
  void OnMapEnd() override { close(); }

 private:
  struct Anchor {
    std::string name;
    std::optional<std::size_t> size;  ///< values it holds; none while it is still open
  };
  struct Collection {
    YAML::anchor_t anchor = 0;
    std::size_t values_before = 0;
    bool is_map = false;
    std::size_t items = 0;
    std::map<std::string, int> key_lines;  ///< a map's keys so far, with the line of each
  };

  void problem(const YAML::Mark& mark, std::string message) {
    if (!fatal_) read_.error(mark, std::move(message));
    fatal_ = true;
  }

  /// A value of `size` values (1, or what an alias repeats) at the current place.
  void value(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t size, const std::string* scalar) {
    note_anchor(anchor, size);
    if (!open_.empty()) {
      auto& parent = open_.back();
      const bool is_key = parent.is_map && parent.items % 2 == 0;
      ++parent.items;
      // Top-level keys given twice are reported where they are read, with their own message.
      if (is_key && scalar && open_.size() > 1) {
        const auto [first, added] = parent.key_lines.try_emplace(*scalar, read_.at(mark).line);
        if (!added)
          read_.error(mark, "\"" + *scalar + "\" is given twice in this map (first on line " + std::to_string(first->second) + "); keep one of them");
      }
    }
    add(mark, size);
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    value(mark, 0, 1, nullptr);
    if (anchor != 0) anchors_[anchor] = {std::exchange(pending_anchor_name_, {}), std::nullopt};
    open_.push_back({anchor, values_ - 1, is_map, 0, {}});
  }

  void close() {
    if (open_.empty()) return;
    const auto closed = std::move(open_.back());
    open_.pop_back();
    if (closed.anchor != 0) anchors_[closed.anchor].size = values_ - closed.values_before;
  }

  void note_anchor(YAML::anchor_t anchor, std::size_t size) {
    if (anchor != 0) anchors_[anchor] = {std::exchange(pending_anchor_name_, {}), size};
  }

  /// Counts values, stopping short of overflow: sizes multiply with each level of aliases.
  void add(const YAML::Mark& mark, std::size_t size) {
    values_ = std::min(values_ + std::min(size, most_front_matter_values), most_front_matter_values + 1);
    if (values_ > most_front_matter_values)
      problem(mark, "front matter holds more than " + format_number(static_cast<double>(most_front_matter_values)) +
                        " values once its aliases are expanded (an alias such as *name repeats all that &name holds); write fewer, or "
                        "put large data in a data file");
  }

  std::string_view yaml_;
  const FrontMatterReader& read_;
  std::map<YAML::anchor_t, Anchor> anchors_;
  std::vector<Collection> open_;
  std::string pending_anchor_name_;
  std::optional<YAML::Mark> last_quoted_;
  std::size_t values_ = 0;
  bool fatal_ = false;
};

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      auto list = nlohmann::json::array();
      for (const auto& item : node) list.push_back(to_json(item));
      return list;
    }
    case YAML::NodeType::Map: {
      auto object = nlohmann::json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = to_json(entry.second);
      return object;
    }
    default:
      return nullptr;
  }
}

void read_key(const std::string& key, const YAML::Node& value, const FrontMatterReader& read, FrontMatter& fm) {
  if (key == "title") {
    if (auto text = read.scalar(value, key)) fm.title = std::string(trim(*text));
  } else if (key == "summary") {
    if (auto text = read.scalar(value, key)) fm.summary = std::string(trim(*text));
  } else if (key == "source") {
    if (auto text = read.scalar(value, key)) fm.source = std::string(trim(*text));
  } else if (key == "date") {
    fm.date = read.date(value, key);
  } else if (key == "updated") {
    fm.updated = read.date(value, key);
  } else if (key == "draft") {
    fm.draft = read.boolean(value, key).value_or(false);
  } else if (key == "toc") {
    fm.toc = read.boolean(value, key);
  } else if (key == "weight") {
    if (auto text = read.scalar(value, key, "a number")) {
      try {
        std::size_t used = 0;
        const double weight = std::stod(*text, &used);
        if (used != text->size() || !std::isfinite(weight)) throw std::invalid_argument(key);
        fm.weight = weight;
      } catch (const std::exception&) {
        read.error(value, "\"weight\" must be a number, not \"" + *text + "\"");
      }
    }
  } else if (key == "aliases") {
    fm.aliases = read.text_list(value, key);
  } else if (key == "tags") {
    fm.tags = read.text_list(value, key);
  } else if (key == "type" || key == "layout" || key == "menu") {
    if (auto text = read.scalar(value, key)) {
      auto& target = key == "type" ? fm.type : key == "layout" ? fm.layout : fm.menu;
      target = std::string(trim(*text));
      if (key == "menu" && target != "main") read.error(value, "\"menu\" must be \"main\" (the only menu the site has)");
    }
  } else if (key == "params") {
    if (!value.IsMap())
      read.error(value, "\"params\" must be a map of names to values");
    else
      fm.params = to_json(value);
  }
}

}  // namespace

const std::vector<std::string>& front_matter_keys() {
  static const std::vector<std::string> keys = {"title",   "date", "updated", "summary", "source", "draft", "weight",
                                                "aliases", "type", "layout",  "tags",    "toc",    "menu",  "params"};
  return keys;
}

namespace {

MarkdownDocument split_and_read_front_matter(std::string_view text, const std::string& file, Diagnostics& diagnostics, const TypeKeys& type_keys) {
  MarkdownDocument document;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto lines = split_lines(text);
  if (lines.empty() || trim(lines[0]) != "---") {
    document.body = std::string(text);
    return document;
  }
  std::size_t closing = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i] == "---" || lines[i] == "...") {
      closing = i;
      break;
    }
  }
  if (closing == 0) {
    diagnostics.error({file, 1, 1}, "front matter starts with --- but has no closing --- line");
    return document;
  }
  const auto yaml_start = static_cast<std::size_t>(lines[1].data() - text.data());
  const auto yaml_end = static_cast<std::size_t>(lines[closing].data() - text.data());
  const auto closing_end = text.find('\n', yaml_end);
  const auto body_start = closing_end == std::string_view::npos ? text.size() : closing_end + 1;
  document.body = std::string(text.substr(body_start));
  document.body_line = static_cast<int>(closing) + 2;

  const std::string yaml(text.substr(yaml_start, yaml_end - yaml_start));
  if (const auto tab = yaml.find('\t'); tab != std::string::npos) {
    const auto lc = line_column_at(yaml, tab);
    diagnostics.error({file, lc.line + 1, lc.column}, "tab character in front matter (YAML indents with spaces only)");
    return document;
  }
  FrontMatterReader read(file, 2, diagnostics);
  YAML::Node root;
  try {
    YamlEventCheck check(yaml, read);
    std::istringstream events(yaml);
    YAML::Parser(events).HandleNextDocument(check);
    check.finish();
    if (check.fatal()) return document;
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& error) {
    diagnostics.error(read.at(error.mark), "invalid YAML front matter: " + error.msg);
    return document;
  }
  if (root.IsNull()) return document;
  if (!root.IsMap()) {
    read.error(root, "front matter must be a list of \"key: value\" lines");
    return document;
  }
  auto& fm = document.front_matter;
  auto keys = front_matter_keys();
  const auto type = std::as_const(root)["type"];  // a non-const lookup would add the key
  const auto own_keys = type_keys && type.IsDefined() && type.IsScalar() ? type_keys(trim(type.Scalar())) : std::vector<std::string>{};
  keys.insert(keys.end(), own_keys.begin(), own_keys.end());
  for (const auto& entry : root) {
    const auto key = entry.first.Scalar();
    // YAML keeps the last of two equal keys; one of them is a mistake, so say which.
    if (const auto first = fm.locations.find(key); first != fm.locations.end()) {
      read.error(entry.first, "\"" + key + "\" is given twice (first on line " + std::to_string(first->second.line) + "); keep one of them");
      continue;
    }
    fm.locations.emplace(key, read.at(entry.first));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      read.error(entry.first, "unknown front matter key \"" + key + "\"" + did_you_mean(key, keys) + "; put custom values under \"params\"");
      continue;
    }
    if (std::find(own_keys.begin(), own_keys.end(), key) != own_keys.end())
      fm.fields[key] = to_json(entry.second);
    else
      read_key(key, entry.second, read, fm);
  }
  return document;
}

}  // namespace

MarkdownDocument parse_markdown_document(std::string_view text, const std::string& file, Diagnostics& diagnostics, const TypeKeys& type_keys) {
  auto document = split_and_read_front_matter(text, file, diagnostics, type_keys);
  if (const auto costly = find_costly_markdown(document.body)) {
    const auto line = line_column_at(document.body, costly->offset).line;
    diagnostics.error({file, document.body_line + line - 1, 1}, costly->message);
  }
  return document;
}

namespace {

void write_date(ByteWriter& out, const std::optional<DateTime>& date) {
  out.number(date.has_value());
  if (!date) return;
  for (const int part : {date->year, date->month, date->day, int{date->has_time}, date->hour, date->minute, date->second})
    out.number(static_cast<std::uint64_t>(part));
  out.number(static_cast<std::uint64_t>(static_cast<std::int64_t>(date->offset_minutes)));
}

std::optional<DateTime> read_date(ByteReader& in) {
  if (!in.number()) return std::nullopt;
  auto part = [&] { return static_cast<int>(in.number()); };
  DateTime date;
  date.year = part(), date.month = part(), date.day = part(), date.has_time = part() != 0;
  date.hour = part(), date.minute = part(), date.second = part();
  date.offset_minutes = static_cast<int>(static_cast<std::int64_t>(in.number()));
  return date;
}

/// JSON with each value's exact kind: text would turn a signed 5 into an unsigned one.
void write_json(ByteWriter& out, const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  out.number(static_cast<std::uint64_t>(value.type()));
  switch (value.type()) {
    case Type::object:
      out.number(value.size());
      for (const auto& [key, item] : value.items()) {
        out.text(key);
        write_json(out, item);
      }
      break;
    case Type::array:
      out.number(value.size());
      for (const auto& item : value) write_json(out, item);
      break;
    case Type::string:
      out.text(value.get_ref<const std::string&>());
      break;
    case Type::boolean:
      out.number(value.get<bool>());
      break;
    case Type::number_integer:
      out.number(static_cast<std::uint64_t>(value.get<std::int64_t>()));
      break;
    case Type::number_unsigned:
      out.number(value.get<std::uint64_t>());
      break;
    case Type::number_float: {
      const auto number = value.get<double>();
      std::uint64_t bits = 0;
      std::memcpy(&bits, &number, sizeof bits);
      out.number(bits);
      break;
    }
    default:  // null; front matter has no binary values
      break;
  }
}

bool read_json(ByteReader& in, nlohmann::json& value, int depth = 0) {
  using Type = nlohmann::json::value_t;
  if (depth > 200) return false;
  switch (static_cast<Type>(in.number())) {
    case Type::object: {
      value = nlohmann::json::object();
      for (auto count = in.number(); count > 0 && !in.failed(); --count) {
        const auto key = std::string(in.text());
        if (!read_json(in, value[key], depth + 1)) return false;
      }
      break;
    }
    case Type::array: {
      value = nlohmann::json::array();
      for (auto count = in.number(); count > 0 && !in.failed(); --count)
        if (!read_json(in, value.emplace_back(), depth + 1)) return false;
      break;
    }
    case Type::string:
      value = std::string(in.text());
      break;
    case Type::boolean:
      value = in.number() != 0;
      break;
    case Type::number_integer:
      value = static_cast<std::int64_t>(in.number());
      break;
    case Type::number_unsigned:
      value = in.number();
      break;
    case Type::number_float: {
      const auto bits = in.number();
      double number = 0;
      std::memcpy(&number, &bits, sizeof number);
      value = number;
      break;
    }
    case Type::null:
      value = nullptr;
      break;
    default:
      return false;
  }
  return !in.failed();
}

void write_texts(ByteWriter& out, const std::vector<std::string>& texts) {
  out.number(texts.size());
  for (const auto& text : texts) out.text(text);
}

std::vector<std::string> read_texts(ByteReader& in) {
  std::vector<std::string> texts;
  for (auto count = in.number(); count > 0 && !in.failed(); --count) texts.emplace_back(in.text());
  return texts;
}

}  // namespace

void write_front_matter(ByteWriter& out, const FrontMatter& fm) {
  for (const auto* text : {&fm.title, &fm.summary, &fm.source, &fm.type, &fm.layout, &fm.menu}) out.text(*text);
  write_date(out, fm.date);
  write_date(out, fm.updated);
  out.number(fm.draft);
  out.number(fm.weight.has_value());
  if (fm.weight) write_json(out, *fm.weight);
  write_texts(out, fm.aliases);
  write_texts(out, fm.tags);
  out.number(fm.toc ? 1 + *fm.toc : 0);
  write_json(out, fm.params);
  write_json(out, fm.fields);
  out.number(fm.locations.size());
  for (const auto& [key, where] : fm.locations) {
    out.text(key);
    write_location(out, where);
  }
}

bool read_front_matter(ByteReader& in, FrontMatter& fm) {
  for (auto* text : {&fm.title, &fm.summary, &fm.source, &fm.type, &fm.layout, &fm.menu}) *text = in.text();
  fm.date = read_date(in);
  fm.updated = read_date(in);
  fm.draft = in.number() != 0;
  if (in.number()) {
    nlohmann::json weight;
    if (!read_json(in, weight) || !weight.is_number()) return false;
    fm.weight = weight.get<double>();
  }
  fm.aliases = read_texts(in);
  fm.tags = read_texts(in);
  if (const auto toc = in.number()) fm.toc = toc == 2;
  if (!read_json(in, fm.params) || !read_json(in, fm.fields)) return false;
  for (auto count = in.number(); count > 0 && !in.failed(); --count) {
    auto key = std::string(in.text());
    fm.locations.emplace(std::move(key), read_location(in));
  }
  return !in.failed();
}

}  // namespace plainsight
