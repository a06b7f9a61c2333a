#include "core/data/csv.hpp"

#include <csv.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <fstream>
#include <regex>

namespace vilab {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::size_t kSeparatorLines = 10;   // records that must agree on the separator
constexpr std::size_t kHeaderNamesShown = 6;  // in the note

// What one field holds; every kind but Number is refused in a data row.
enum class FieldKind {
  Number,
  Empty,
  Missing,
  DecimalComma,
  Thousands,
  CommaInNumber,
  Overflow,
  NotFinite,
  Text
};

struct Field {
  FieldKind kind = FieldKind::Text;
  double value = 0.0;
};

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trimBlanks(std::string_view s) {
  while (!s.empty() && isBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && isBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return out;
}

// How spreadsheets, R and pandas write a missing value.
bool isMissingToken(std::string_view s) {
  static const std::array<std::string_view, 10> kTokens = {"na",   "n/a", "nan", "null", "none",
                                                           "#n/a", "?",   "-",   ".",    "missing"};
  const std::string l = lower(s);
  return std::find(kTokens.begin(), kTokens.end(), l) != kTokens.end();
}

// Decimal exponent of the leading digit of a number from_chars accepted ("123.4e5" -> 7,
// "0.001" -> -3): tells an overflow from an underflow when the value is out of range.
long decimalOrder(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  long exponent = 0;
  const std::size_t e = s.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::string_view digits = s.substr(e + 1);
    const bool negative = !digits.empty() && digits.front() == '-';
    if (!digits.empty() && (digits.front() == '+' || digits.front() == '-'))
      digits.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), exponent);
    if (ec == std::errc::result_out_of_range) exponent = LONG_MAX / 2;  // beyond any double
    if (negative) exponent = -exponent;
    s = s.substr(0, e);
  }
  const std::size_t point = s.find('.');
  const std::string_view whole = s.substr(0, point);
  const std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : s.substr(point + 1);
  if (const std::size_t i = whole.find_first_not_of('0'); i != std::string_view::npos)
    return exponent + static_cast<long>(whole.size() - i - 1);
  if (const std::size_t j = fraction.find_first_not_of('0'); j != std::string_view::npos)
    return exponent - static_cast<long>(j + 1);
  return LONG_MIN / 2;  // zero
}

// A comma inside something that is otherwise a number: which habit wrote it (only on the error
// path, so a regular expression is fine).
FieldKind commaKind(std::string_view s) {
  // Only short runs of number characters (libstdc++'s regex recurses per character).
  if (s.size() > 64 || s.find_first_not_of("0123456789+-.,eE") != std::string_view::npos)
    return FieldKind::Text;
  static const std::regex thousands(R"([+-]?\d{1,3}(,\d{3})+\.\d*|[+-]?\d{1,3}(,\d{3}){2,})");
  static const std::regex ambiguous(R"([+-]?\d{1,3},\d{3})");
  static const std::regex decimal(R"([+-]?(\d{1,3}(\.\d{3})+|\d*),\d+([eE][+-]?\d+)?)");
  const std::string text(s);
  if (std::regex_match(text, ambiguous)) return FieldKind::CommaInNumber;
  if (std::regex_match(text, thousands)) return FieldKind::Thousands;
  if (std::regex_match(text, decimal)) return FieldKind::DecimalComma;
  return FieldKind::Text;
}

Field classify(std::string_view raw) {
  const std::string_view s = trimBlanks(raw);
  if (s.empty()) return {FieldKind::Empty};
  std::string_view number = s;
  // from_chars takes no '+' sign; "+-1" stays refused.
  if (number.size() > 1 && number[0] == '+' && number[1] != '-' && number[1] != '+')
    number.remove_prefix(1);
  double x = 0.0;
  const auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), x);
  if (ptr == number.data() + number.size()) {
    if (ec == std::errc() && std::isfinite(x)) return {FieldKind::Number, x};
    if (ec == std::errc())
      return {isMissingToken(s) ? FieldKind::Missing : FieldKind::NotFinite};  // nan, inf
    if (ec == std::errc::result_out_of_range) {
      if (decimalOrder(number) >= 0) return {FieldKind::Overflow};
      return {FieldKind::Number, number.front() == '-' ? -0.0 : 0.0};  // underflow, as strtod
    }
  }
  if (isMissingToken(s)) return {FieldKind::Missing};
  if (s.find(',') != std::string_view::npos) return {commaKind(s)};
  return {FieldKind::Text};
}

std::string shorten(std::string_view s) {
  return s.size() > 32 ? std::string(s.substr(0, 32)) + "…" : std::string(s);
}

std::string reason(FieldKind kind, std::string_view raw) {
  const std::string q = "'" + shorten(trimBlanks(raw)) + "'";
  const std::string missing =
      " (VI Lab neither fills in nor drops rows: fill in the value or delete the row)";
  switch (kind) {
    case FieldKind::Number:
      return "";
    case FieldKind::Empty:
      return "empty field, a missing value" + missing;
    case FieldKind::Missing:
      return q + " is a missing value" + missing;
    case FieldKind::DecimalComma:
      return q +
             " has a decimal comma; the file uses decimal commas, VI Lab reads decimal points "
             "(1.5): save it with '.' as the decimal separator";
    case FieldKind::Thousands:
      return q + " has a thousands separator; save the numbers without digit grouping (1234.5)";
    case FieldKind::CommaInNumber:
      return q +
             " has a comma inside a number (a decimal comma or a thousands separator); save the "
             "numbers with a decimal point and no digit grouping";
    case FieldKind::Overflow:
      return q + " overflows: it is beyond the largest number, ±1.8e308";
    case FieldKind::NotFinite:
      return q + " is not a finite number";
    case FieldKind::Text:
      return q + " is not a number";
  }
  return "";
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string separatorName(char sep) {
  return sep == '\t' ? std::string("tab") : "'" + std::string(1, sep) + "'";
}

// The separator: the first of tab, ';', ',' found the same (non-zero) number of times outside
// quotes on each of the first records, so "1,5";"2,0" is two fields and "1,5","2,25" two too.
// When none is consistent, the most frequent (rows of different lengths are then reported).
char detectSeparator(std::string_view text) {
  constexpr std::array<char, 3> kCandidates = {'\t', ';', ','};
  std::vector<std::array<std::size_t, 3>> counts;
  std::array<std::size_t, 3> current{};
  bool inQuotes = false, started = false, comment = false;
  for (std::size_t i = 0; i <= text.size() && counts.size() < kSeparatorLines; ++i) {
    const char c = i < text.size() ? text[i] : '\n';
    if (inQuotes) {
      inQuotes = c != '"';  // a doubled quote closes and reopens: same count
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (started && !comment) counts.push_back(current);
      current = {}, started = comment = false;
      continue;
    }
    if (!started && c == '#') comment = true;
    if (c != ' ' && c != '\t') started = true;
    if (c == '"') inQuotes = true;
    for (std::size_t k = 0; k < kCandidates.size(); ++k) current[k] += c == kCandidates[k];
  }
  std::array<std::size_t, 3> totals{};
  for (std::size_t k = 0; k < kCandidates.size(); ++k) {
    bool consistent = !counts.empty() && counts.front()[k] > 0;
    for (const auto& line : counts)
      consistent = consistent && line[k] == counts.front()[k], totals[k] += line[k];
    if (consistent) return kCandidates[k];
  }
  const auto most = std::max_element(totals.begin(), totals.end());
  return *most == 0 ? ',' : kCandidates[static_cast<std::size_t>(most - totals.begin())];
}

// Receives libcsv's fields and records; the first problem stops the reading.
class Reader {
 public:
  std::size_t recordLine = 1;  // line where the current record starts
  std::string error;
  std::vector<std::string> header;
  std::vector<double> values;  // row-major
  std::size_t rows = 0, columns = 0;

  static void onField(void* data, std::size_t size, void* self) {
    static_cast<Reader*>(self)->field(static_cast<const char*>(data), size);
  }
  static void onRecord(int /*terminator*/, void* self) { static_cast<Reader*>(self)->record(); }

 private:
  std::vector<std::string> m_fields;  // reused from record to record
  std::size_t m_count = 0;
  bool m_first = true;

  std::string where(std::size_t column) const {
    std::string s = "line " + std::to_string(recordLine) + ", column " + std::to_string(column + 1);
    if (column < header.size()) s += " (" + shorten(header[column]) + ")";
    return s;
  }

  void field(const char* data, std::size_t size) {
    if (!error.empty()) return;
    if (m_count == kMaxCsvColumns) {
      error = "line " + std::to_string(recordLine) + " has more than " +
              std::to_string(kMaxCsvColumns) + " columns";
      return;
    }
    const std::string_view text = data ? std::string_view(data, size) : std::string_view();
    if (m_count < m_fields.size())
      m_fields[m_count].assign(text);
    else
      m_fields.emplace_back(text);
    ++m_count;
  }

  void record() {
    const std::size_t n = m_count;
    m_count = 0;
    if (!error.empty()) return;
    if (m_first) {
      m_first = false;
      columns = n;
      // A header names every column: no field a number, none empty, none a number with a comma.
      const bool names =
          std::all_of(m_fields.begin(), m_fields.begin() + static_cast<std::ptrdiff_t>(n),
                      [](const std::string& f) { return classify(f).kind == FieldKind::Text; });
      if (names) {
        for (std::size_t j = 0; j < n; ++j) header.emplace_back(trimBlanks(m_fields[j]));
        return;
      }
    } else if (n != columns) {
      error = "line " + std::to_string(recordLine) + " has " + plural(n, "field") + ", expected " +
              std::to_string(columns) + " like the first line";
      return;
    }
    for (std::size_t j = 0; j < n; ++j) {
      const Field f = classify(m_fields[j]);
      if (f.kind != FieldKind::Number) {
        error = where(j) + ": " + reason(f.kind, m_fields[j]);
        if (rows == 0 && header.empty() && f.kind == FieldKind::Text)
          error += " (a header line holds names only, no numbers)";
        return;
      }
      values.push_back(f.value);
    }
    ++rows;
  }
};

// Parser state before a record begins (libcsv's ROW_NOT_BEGUN).
constexpr int kRowNotBegun = 0;

Status parseText(std::string_view text, CsvData& out, const std::string& source) {
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    return Status::error("the file is UTF-16 text; save it as UTF-8 CSV");
  const bool bom = text.substr(0, kUtf8Bom.size()) == kUtf8Bom;
  if (bom) text.remove_prefix(kUtf8Bom.size());
  if (const std::size_t zero = text.find('\0'); zero != std::string_view::npos)
    return Status::error("not text (a zero byte at offset " + std::to_string(zero + bom * 3) +
                         "); CSV expected");
  const char sep = detectSeparator(text);

  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI) != 0) return Status::error("out of memory");
  csv_set_delim(&parser, static_cast<unsigned char>(sep));
  // Spaces around unquoted fields are not data; a tab is, when it separates.
  if (sep == '\t')
    csv_set_space_func(&parser, [](unsigned char c) { return c == ' ' ? 1 : 0; });
  else
    csv_set_space_func(&parser, [](unsigned char c) { return c == ' ' || c == '\t' ? 1 : 0; });

  // Feed one line at a time (LF, CRLF or CR) to know the line of each record and error.
  Reader reader;
  std::size_t line = 0, pos = 0;
  std::string failure;
  while (pos < text.size() && reader.error.empty()) {
    std::size_t end = pos;  // a plain loop: find_first_of calls memchr once per character
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    if (end < text.size()) end += text.substr(end, 2) == "\r\n" ? 2 : 1;
    const std::string_view chunk = text.substr(pos, end - pos);
    pos = end;
    ++line;
    if (parser.pstate == kRowNotBegun) {
      std::string_view content = chunk;
      while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
        content.remove_suffix(1);
      content = trimBlanks(content);
      if (content.empty() || content.front() == '#') continue;  // blank line or comment
      reader.recordLine = line;
    }
    if (csv_parse(&parser, chunk.data(), chunk.size(), Reader::onField, Reader::onRecord,
                  &reader) != chunk.size()) {
      failure = "line " + std::to_string(line) +
                ": broken quoting (a quote inside an unquoted field, or text after a closing "
                "quote); a field with a quote must be quoted whole, with \"\" for the quote";
      break;
    }
  }
  if (failure.empty() && reader.error.empty() &&
      csv_fini(&parser, Reader::onField, Reader::onRecord, &reader) != 0)
    failure = "line " + std::to_string(reader.recordLine) +
              ": a quoted field opened on this line is never closed";
  csv_free(&parser);
  if (failure.empty()) failure = reader.error;
  if (!failure.empty()) return Status::error(failure);
  if (reader.rows == 0)
    return Status::error(reader.header.empty() ? "no data rows (expected one observation per line)"
                                               : "a header line but no data rows");

  CsvData result;
  result.values =
      Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
          reader.values.data(), static_cast<Eigen::Index>(reader.rows),
          static_cast<Eigen::Index>(reader.columns));
  result.header = std::move(reader.header);
  result.source = source;
  std::string& note = result.note;
  if (!source.empty()) note = source + ": ";
  note += plural(reader.rows, "row") + " × " + plural(reader.columns, "column");
  if (result.header.empty()) {
    note += ", no header";
  } else {
    note += ", header: ";
    for (std::size_t j = 0; j < result.header.size() && j < kHeaderNamesShown; ++j) {
      const std::string name = shorten(result.header[j]);
      // "height, cm" quoted, so the list still reads as one name per column.
      note += (j ? ", " : "") + (name.find(',') == std::string::npos ? name : "\"" + name + "\"");
    }
    if (result.header.size() > kHeaderNamesShown) note += ", …";
  }
  if (reader.columns > 1) note += "; separator " + separatorName(sep);
  if (bom) note += "; UTF-8 byte-order mark skipped";
  out = std::move(result);
  return Status::ok();
}

}  // namespace

Status parseCsv(std::string_view text, CsvData& out, const std::string& source) {
  const Status status = parseText(text, out, source);
  if (!status && !source.empty())
    return Status::error("data file '" + source + "': " + status.message());
  return status;
}

Status loadCsv(const std::string& path, CsvData& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::error("cannot open data file '" + path + "'");
  file.seekg(0, std::ios::end);
  const auto size = file.tellg();
  if (size < 0) return Status::error("cannot read data file '" + path + "'");
  if (static_cast<std::size_t>(size) > kMaxCsvBytes)
    return Status::error("data file '" + path + "' is larger than 512 MiB");
  file.seekg(0);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!file.read(text.data(), size)) return Status::error("cannot read data file '" + path + "'");
  return parseCsv(text, out, path);
}

}  // namespace vilab
