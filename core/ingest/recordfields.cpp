#include "core/ingest/recordfields.h"

#include <algorithm>
#include <array>

namespace rag {

namespace {

using namespace std::string_view_literals;

constexpr std::array kIdNames{"_id"sv, "id"sv, "doc_id"sv};
constexpr std::array kTitleNames{"title"sv};
constexpr std::array kTextNames{"text"sv, "content"sv, "body"sv, "abstract"sv, "passage"sv};

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c + 32) : c; };
               return lower(x) == lower(y);
           });
}

template <std::size_t N>
int findFirst(const std::vector<std::string> &names, const std::array<std::string_view, N> &wanted)
{
    for (const std::string_view candidate : wanted) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (equalsIgnoringCase(names[i], candidate))
                return int(i);
        }
    }
    return -1;
}

} // namespace

int findField(const std::vector<std::string> &names, FieldRole role)
{
    switch (role) {
    case FieldRole::Id: return findFirst(names, kIdNames);
    case FieldRole::Title: return findFirst(names, kTitleNames);
    case FieldRole::Text: return findFirst(names, kTextNames);
    }
    return -1;
}

void appendFieldLine(std::string &text, std::string_view name, std::string_view value)
{
    if (value.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return;
    if (!text.empty())
        text += '\n';
    text.append(name);
    text += ": ";
    text.append(value);
}

} // namespace rag
