#pragma once
// The scripted judge's rules (tests/reference/llm_test_server.cjs, "LLM judge"),
// re-implemented here so the tests compute the expected scores themselves rather
// than reading them back from the server. Words: lowercase [a-z0-9]+ runs of 4+
// characters; sentences split after . ! ? or at newlines, "[n]" markers removed.
// ASCII test texts only (the server lowercases Unicode, this does not).
#include "core/judging/judgemetrics.h"

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace rag::test {

inline std::vector<std::string> judgeWords(const std::string &text)
{
    std::vector<std::string> words;
    std::string word;
    for (char c : text + " ") {
        const char lower = char(std::tolower(static_cast<unsigned char>(c)));
        if ((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9')) {
            word += lower;
        } else {
            if (word.size() >= 4)
                words.push_back(word);
            word.clear();
        }
    }
    return words;
}

inline std::vector<std::string> judgeSentences(const std::string &text)
{
    const std::string plain = std::regex_replace(text, std::regex(R"(\[\d+(?:\s*[-,]\s*\d+)*\])"), " ");
    std::vector<std::string> out;
    std::string current;
    const auto flush = [&] {
        const auto first = current.find_first_not_of(" \t\r");
        const auto last = current.find_last_not_of(" \t\r");
        const std::string s = first == std::string::npos ? std::string() : current.substr(first, last - first + 1);
        if (!judgeWords(s).empty())
            out.push_back(s);
        current.clear();
    };
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const char c = plain[i];
        if (c == '\n') {
            flush();
            continue;
        }
        current += c;
        const bool endsSentence = c == '.' || c == '!' || c == '?';
        if (endsSentence && i + 1 < plain.size() && std::isspace(static_cast<unsigned char>(plain[i + 1])))
            flush();
    }
    flush();
    return out;
}

inline std::set<std::string> wordSet(const std::vector<std::string> &texts)
{
    std::set<std::string> out;
    for (const std::string &t : texts)
        for (std::string &w : judgeWords(t))
            out.insert(std::move(w));
    return out;
}

inline bool allWordsIn(const std::string &sentence, const std::set<std::string> &words)
{
    const auto ws = judgeWords(sentence);
    return std::all_of(ws.begin(), ws.end(), [&](const std::string &w) { return words.count(w) > 0; });
}

inline double questionShare(const std::string &question, const std::string &text)
{
    const std::set<std::string> q = wordSet({question});
    const std::set<std::string> t = wordSet({text});
    if (q.empty())
        return 0;
    return double(std::count_if(q.begin(), q.end(), [&](const std::string &w) { return t.count(w) > 0; }))
        / double(q.size());
}

inline std::optional<double> expectedFaithfulness(const std::string &answer, const std::vector<std::string> &passages)
{
    const auto context = wordSet(passages);
    std::vector<bool> verdicts;
    for (const std::string &claim : judgeSentences(answer))
        verdicts.push_back(allWordsIn(claim, context));
    return shareTrue(verdicts);
}

inline double expectedRelevance(const std::string &question, const std::string &answer)
{
    const int rating = 1 + int(std::lround(4 * questionShare(question, answer)));
    return double(rating - 1) / 4.0;
}

inline std::optional<double> expectedPrecision(const std::string &question, const std::vector<std::string> &passages)
{
    std::vector<bool> relevant;
    for (const std::string &p : passages)
        relevant.push_back(questionShare(question, p) * 2 >= 1);
    return averagePrecision(relevant);
}

inline std::optional<double> expectedRecall(const std::string &reference, const std::vector<std::string> &passages)
{
    const auto context = wordSet(passages);
    std::vector<bool> attributed;
    for (const std::string &s : judgeSentences(reference))
        attributed.push_back(allWordsIn(s, context));
    return shareTrue(attributed);
}

} // namespace rag::test
