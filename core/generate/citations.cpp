#include "core/generate/citations.h"

#include <algorithm>
#include <cctype>

namespace rag {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Numbers of a bracket body such as "1", "1, 3", "2-4", "1;2"; empty when the body is
// anything else (a markdown link text, "[sic]", an array literal with other text).
std::vector<int> numbersIn(std::string_view body)
{
    std::vector<int> numbers;
    std::size_t i = 0;
    const auto skipSpace = [&] {
        while (i < body.size() && body[i] == ' ')
            ++i;
    };
    const auto readNumber = [&](int &value) {
        const std::size_t start = i;
        value = 0;
        while (i < body.size() && isDigit(body[i]) && i - start < 4)
            value = value * 10 + (body[i++] - '0');
        return i > start && !(i < body.size() && isDigit(body[i]));
    };
    skipSpace();
    for (;;) {
        int first = 0;
        if (!readNumber(first))
            return {};
        skipSpace();
        if (i < body.size() && body[i] == '-') {
            ++i;
            skipSpace();
            int last = 0;
            if (!readNumber(last) || last < first || last - first > 50)
                return {};
            for (int n = first; n <= last; ++n)
                numbers.push_back(n);
        } else {
            numbers.push_back(first);
        }
        skipSpace();
        if (i == body.size())
            return numbers;
        if (body[i] != ',' && body[i] != ';')
            return {};
        ++i;
        skipSpace();
    }
}

} // namespace

CitationReport parseCitations(std::string_view answer, const AssembledContext &context)
{
    CitationReport report;
    for (std::size_t open = answer.find('['); open != std::string_view::npos; open = answer.find('[', open + 1)) {
        const std::size_t close = answer.find(']', open + 1);
        if (close == std::string_view::npos)
            break;
        if (close - open > 64)
            continue;
        const std::vector<int> numbers = numbersIn(answer.substr(open + 1, close - open - 1));
        for (int n : numbers) {
            Citation c;
            c.number = n;
            c.offset = open;
            c.length = close - open + 1;
            if (const CitedChunk *chunk = context.cited(n)) {
                c.chunkId = chunk->chunk.chunkId;
                c.valid = true;
                if (std::find(report.citedNumbers.begin(), report.citedNumbers.end(), n) == report.citedNumbers.end())
                    report.citedNumbers.push_back(n);
            } else if (std::find(report.invalidNumbers.begin(), report.invalidNumbers.end(), n)
                       == report.invalidNumbers.end()) {
                report.invalidNumbers.push_back(n);
            }
            report.citations.push_back(c);
        }
    }
    return report;
}

} // namespace rag
