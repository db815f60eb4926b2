#pragma once
// PromptTemplate: a named, versioned system + user prompt with {question} and
// {context} placeholders. Every answer and judgement records the template's key
// ("grounded-answer@v1") and the hash of its text, so a run can be reproduced and a
// changed prompt is never mistaken for the old one. Built-in templates are
// immutable values; callers may define their own. Plain values, thread-safe.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"

#include <string>
#include <string_view>
#include <vector>

namespace rag {

struct PromptTemplate {
    std::string id;
    int version = 1;
    std::string system;
    std::string user;

    std::string key() const { return id + "@v" + std::to_string(version); }
    // sha256 of the system and user text: changes whenever the wording does.
    std::string textHash() const;
    // Replaces {question} and {context} (other braces are left alone).
    std::vector<ChatMessage> render(std::string_view question, std::string_view context) const;
};

// Every built-in template, every version.
const std::vector<PromptTemplate> &builtinPromptTemplates();

// "grounded-answer@v1", or "grounded-answer" for its newest version.
Result<PromptTemplate> findPromptTemplate(std::string_view key);

} // namespace rag
