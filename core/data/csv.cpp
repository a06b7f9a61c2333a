#include "core/data/csv.hpp"

#include <csv.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <filesystem>
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
  SpreadsheetError,
  SpaceSeparated,
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

// The error values spreadsheets write for a formula that failed (Excel, LibreOffice, Google
// Sheets); "#N/A N/A" is Bloomberg's.
constexpr std::array<std::string_view, 12> kSpreadsheetErrors = {
    "#value!", "#ref!",   "#name?",  "#n/a n/a", "#n/a",   "#div/0!",
    "#num!",   "#null!",  "#spill!", "#calc!",   "#field!", "#getting_data"};

bool isSpreadsheetError(std::string_view s) {
  const std::string l = lower(s);
  return std::find(kSpreadsheetErrors.begin(), kSpreadsheetErrors.end(), l) !=
         kSpreadsheetErrors.end();
}

// A line (blanks trimmed) that starts with '#' is a comment, unless it starts with a spreadsheet
// error value ("#VALUE!,4"), which is a missing value in column 1 and must be reported as one.
bool isCommentLine(std::string_view line) {
  if (line.empty() || line.front() != '#') return false;
  for (const std::string_view e : kSpreadsheetErrors) {
    if (line.size() < e.size() || lower(line.substr(0, e.size())) != e) continue;
    if (line.size() == e.size()) return false;
    const char next = line[e.size()];
    if (next == ',' || next == ';' || next == '\t' || next == ' ' || next == '\r' || next == '\n')
      return false;
  }
  return true;
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
  if (isSpreadsheetError(s)) return {FieldKind::SpreadsheetError};
  if (isMissingToken(s)) return {FieldKind::Missing};
  if (s.find(',') != std::string_view::npos) return {commaKind(s)};
  if (s.find_first_of(" \t") != std::string_view::npos) {
    // "1.7e+02 6.8e+01": numbers separated by blanks (np.savetxt's and R write.table's default).
    std::size_t numbers = 0, i = 0;
    bool all = true;
    while (all && i < s.size()) {
      const std::size_t end = std::min(s.find_first_of(" \t", i), s.size());
      const FieldKind k = classify(s.substr(i, end - i)).kind;
      all = k == FieldKind::Number || k == FieldKind::Overflow;
      ++numbers;
      i = s.find_first_not_of(" \t", end);
      if (i == std::string_view::npos) break;
    }
    if (all && numbers >= 2) return {FieldKind::SpaceSeparated};
  }
  return {FieldKind::Text};
}

// At most 32 bytes of a field for a message, control characters written as \xNN (a DOS
// end-of-file mark, 0x1A, is otherwise invisible).
std::string shorten(std::string_view s) {
  std::string out;
  for (const char c : s.substr(0, 32)) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  return s.size() > 32 ? out + "…" : out;
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
    case FieldKind::SpreadsheetError:
      return q + " is a missing value (a spreadsheet error: the formula of this cell failed)" +
             missing;
    case FieldKind::SpaceSeparated:
      return q +
             ": fields are separated by spaces; VI Lab reads comma, semicolon or tab: save the "
             "file with one of them (numpy: np.savetxt(..., delimiter=','); R: write.csv)";
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
    case FieldKind::Text: {
      const std::string_view t = trimBlanks(raw);
      const bool word = (t.front() >= 'a' && t.front() <= 'z') || (t.front() >= 'A' && t.front() <= 'Z');
      const bool control = std::any_of(t.begin(), t.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\t';
      });
      return q + " is not a number" +
             (word ? std::string(" (VI Lab reads numbers only: if the column holds class names, "
                                 "write them as numbers 0, 1, 2, … or delete the column)")
              : control ? std::string(" (a control character; \\x1A is an old DOS end-of-file "
                                      "mark: delete it)")
                        : std::string());
    }
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
    if (!started && c == '#') comment = isCommentLine(text.substr(i));
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
  std::vector<int> lines;      // editor line of each row
  std::size_t rows = 0, columns = 0;
  char separator = ',';

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
      // A header names every column: no field a number, none a number with a comma. An empty
      // name is an error of its own (a row-index column, a separator at the end of the line).
      bool names = false, numbers = false;
      std::size_t firstEmpty = n;
      for (std::size_t j = 0; j < n; ++j) {
        const FieldKind kind = classify(m_fields[j]).kind;
        if (kind == FieldKind::Text)
          names = true;
        else if (kind == FieldKind::Empty)
          firstEmpty = std::min(firstEmpty, j);
        else
          numbers = true;
      }
      if (names && numbers && n >= 3 && sklearnHeader(n)) {
        error = "line 1 holds " + shorten(m_fields[0]) + ", " + shorten(m_fields[1]) +
                " and names: scikit-learn's own data-file header (rows, features, class names); "
                "replace it by one name per column, or delete it";
        return;
      }
      if (names && !numbers) {
        // pandas names a saved row index "Unnamed: 0" when the file is read and written again.
        if (n > 1 && lower(trimBlanks(m_fields[0])) == "unnamed: 0") firstEmpty = 0;
        if (firstEmpty < n) {
          error = emptyHeaderName(firstEmpty, n);
          return;
        }
        for (std::size_t j = 0; j < n; ++j) header.emplace_back(trimBlanks(m_fields[j]));
        return;
      }
    } else if (n > 1 && std::all_of(m_fields.begin(), m_fields.begin() + static_cast<std::ptrdiff_t>(n),
                                    [](const std::string& f) { return trimBlanks(f).empty(); })) {
      error = "line " + std::to_string(recordLine) +
              " holds only separators (an empty row as spreadsheets save it): delete the line";
      return;
    } else if (n != columns) {
      error = "line " + std::to_string(recordLine) + " has " + plural(n, "field") + ", expected " +
              std::to_string(columns) + " like the first line" + raggedHint(n);
      return;
    }
    for (std::size_t j = 0; j < n; ++j) {
      const Field f = classify(m_fields[j]);
      if (f.kind != FieldKind::Number) {
        error = where(j) + ": " + reason(f.kind, m_fields[j]);
        if (rows == 0 && header.empty() && f.kind == FieldKind::Text)
          error = where(j) + ": '" + shorten(trimBlanks(m_fields[j])) +
                  "' is not a number (a header line holds names only, no numbers)";
        if (f.kind == FieldKind::Empty && j + 1 == n && n > 1)
          error += "; or a separator at the end of the line: delete it from every line";
        return;
      }
      values.push_back(f.value);
    }
    lines.push_back(static_cast<int>(recordLine));
    ++rows;
  }

  // scikit-learn's data files (iris.csv, wine_data.csv, ...) start "150,4,setosa,...": two counts,
  // then the class names.
  bool sklearnHeader(std::size_t n) const {
    for (std::size_t j = 0; j < n; ++j) {
      const Field f = classify(m_fields[j]);
      if (j < 2 ? f.kind != FieldKind::Number || f.value != std::floor(f.value) || f.value < 1
                : f.kind != FieldKind::Text)
        return false;
    }
    return true;
  }

  // The header (n names) has no name for column `empty` (0-based, the first without one).
  std::string emptyHeaderName(std::size_t empty, std::size_t n) const {
    const std::string at = "line " + std::to_string(recordLine) + ", column " + std::to_string(empty + 1);
    if (empty == 0 && n > 1)
      return at +
             ": the header has an unnamed first column, a row-index column as R and pandas write "
             "it: delete that column (R: write.csv(..., row.names = FALSE); pandas: "
             "to_csv(..., index=False))";
    bool trailing = true;
    for (std::size_t j = empty; j < n; ++j) trailing = trailing && classify(m_fields[j]).kind == FieldKind::Empty;
    if (trailing)
      return at + ": column " + std::to_string(empty + 1) +
             " of the header is empty (a separator at the end of the line?): delete the "
             "separator at the end of every line, or name the column";
    return at + ": column " + std::to_string(empty + 1) +
           " of the header is empty: give every column a name";
  }

  // Why a record may have n fields instead of `columns`: separators at the end of the line, or
  // decimal commas split by the comma separator ("170,6" as 170 and 6).
  std::string raggedHint(std::size_t n) const {
    if (n > columns) {
      bool emptyTail = true;
      for (std::size_t j = columns; j < n; ++j)
        emptyTail = emptyTail && classify(m_fields[j]).kind == FieldKind::Empty;
      if (emptyTail)
        return "; the extra fields are empty: a separator at the end of the line? Delete it "
               "from every line";
    }
    if (separator != ',') return "";
    const auto digits = [](std::string_view f) {
      f = trimBlanks(f);
      if (!f.empty() && (f.front() == '-' || f.front() == '+')) f.remove_prefix(1);
      return !f.empty() && f.find_first_not_of("0123456789") == std::string_view::npos;
    };
    for (std::size_t j = 0; j + 1 < n; ++j) {
      if (!digits(m_fields[j]) || !digits(m_fields[j + 1])) continue;
      const std::string joined =
          std::string(trimBlanks(m_fields[j])) + "," + std::string(trimBlanks(m_fields[j + 1]));
      const FieldKind kind = classify(joined).kind;
      if (kind == FieldKind::DecimalComma || kind == FieldKind::CommaInNumber)
        return "; '" + joined +
               "' looks like a number with a decimal comma, split at the comma: VI Lab reads "
               "decimal points (1.5): save the file with '.' as the decimal separator";
    }
    return "";
  }
};

// Parser state before a record begins (libcsv's ROW_NOT_BEGUN).
constexpr int kRowNotBegun = 0;

// UTF-16 without a byte-order mark: ASCII text with a zero byte after (LE) or before (BE) every
// character, judged on the first bytes.
bool looksUtf16(std::string_view text) {
  const std::size_t n = std::min<std::size_t>(text.size() & ~std::size_t(1), 256);
  if (n < 2) return false;
  bool le = true, be = true;
  for (std::size_t i = 0; i < n; i += 2) {
    le = le && text[i] != '\0' && text[i + 1] == '\0';
    be = be && text[i] == '\0' && text[i + 1] != '\0';
  }
  return le || be;
}

// Offset of the first byte that is not part of valid UTF-8, or npos.
std::size_t invalidUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return i;
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

// "line L, character C" of byte offset `at` (lines counted as an editor counts them, characters
// as UTF-8 characters from 1), for a message about an encoding error.
std::string lineAndCharacter(std::string_view text, std::size_t at, std::size_t firstLine) {
  std::size_t line = firstLine, start = 0;
  for (std::size_t i = 0; i < at; ++i)
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n')))
      ++line, start = i + 1;
  std::size_t character = 1;
  for (std::size_t i = start; i < at; ++i) character += (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
  return "line " + std::to_string(line) + ", character " + std::to_string(character);
}

// Excel's first line "sep=;" (also quoted) names the separator. Returns the separator and the
// length of that line with its end, or 0 when the text does not start with one.
char excelSeparatorLine(std::string_view text, std::size_t& length) {
  std::size_t end = 0;
  while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
  std::string_view line = text.substr(0, end);  // not trimmed: "sep=\t" names the tab
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  if (line.size() >= 2 && line.front() == '"' && line.back() == '"') line = line.substr(1, line.size() - 2);
  if (line.size() != 5 || lower(line.substr(0, 4)) != "sep=") return 0;
  const char sep = line[4];
  if (sep == '"' || sep == '#' || (sep >= '0' && sep <= '9') || sep == '.' || sep == '-') return 0;
  length = end + (text.substr(end, 2) == "\r\n" ? 2 : end < text.size() ? 1 : 0);
  return sep;
}

Status parseText(std::string_view text, CsvData& out, const std::string& source) {
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    return Status::error("the file is UTF-16 text; save it as UTF-8 CSV");
  std::size_t boms = 0;  // spreadsheets that re-save a file may add a second one
  for (; text.substr(0, kUtf8Bom.size()) == kUtf8Bom; ++boms) text.remove_prefix(kUtf8Bom.size());
  const bool bom = boms > 0;
  if (const std::size_t zero = text.find('\0'); zero != std::string_view::npos) {
    if (!bom && looksUtf16(text))
      return Status::error(
          "the file is UTF-16 text (without a byte-order mark); save it as UTF-8 CSV");
    return Status::error("not text (a zero byte at offset " + std::to_string(zero + boms * kUtf8Bom.size()) +
                         "); CSV expected");
  }
  // Not UTF-8 (Latin-1, Windows-1252 from older spreadsheets): refused rather than decoded by
  // guess, since the same bytes are different letters in different code pages.
  if (const std::size_t bad = invalidUtf8(text); bad != std::string_view::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    return Status::error(lineAndCharacter(text, bad, 1) + ": byte " + hex +
                         " is not UTF-8 (Latin-1 or Windows-1252 text?): save the file as UTF-8 "
                         "(Excel: 'CSV UTF-8'; LibreOffice: character set Unicode (UTF-8))");
  }
  std::size_t sepLineLength = 0;
  const char excelSep = excelSeparatorLine(text, sepLineLength);
  if (excelSep) text.remove_prefix(sepLineLength);
  const char sep = excelSep ? excelSep : detectSeparator(text);

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
  reader.separator = sep;
  std::size_t line = excelSep ? 1 : 0, pos = 0, comments = 0;
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
      if (content.empty()) continue;  // blank line
      if (isCommentLine(content)) {
        ++comments;
        continue;
      }
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
  result.lines.assign(reader.lines.begin(), reader.lines.end());
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
  if (reader.columns > 1 || excelSep) note += "; separator " + separatorName(sep);
  if (excelSep) note += " (from the first line, 'sep=" + std::string(1, sep) + "')";
  if (comments) note += "; " + plural(comments, "comment line") + " (starting with '#') skipped";
  if (boms == 1) note += "; UTF-8 byte-order mark skipped";
  if (boms > 1) note += "; " + std::to_string(boms) + " UTF-8 byte-order marks skipped";
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
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return Status::error("data file '" + path + "' is a folder; give a CSV file");
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
