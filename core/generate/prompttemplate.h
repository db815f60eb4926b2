#pragma once
// PromptTemplate: a named, versioned system + user prompt with {question} and
// {context} placeholders. Every answer and judgement records the template's key
// ("grounded-answer@v1") and the hash of its text, so a run can be reproduced and a
// changed prompt is never mistaken for the old one. Built-in templates are
// immutable values; callers may define their own. Plain values, thread-safe.
#include "core/common/result.h"
#include "core/generate/chatmodel.h"

#include <span>
#include <string>
#include <utility>
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

// A placeholder and the text that replaces it: {"{question}", question}.
using PromptSlot = std::pair<std::string_view, std::string_view>;

// Replaces every placeholder of `slots` in one pass over `text`: a value that itself
// contains "{question}" or any other placeholder is inserted as it is, never filled
// again; braces that name no slot are left alone. Prompt templates and judge prompts
// are filled with it.
std::string fillPlaceholders(std::string_view text, std::span<const PromptSlot> slots);

// "id@vN" -> {id, N}; "id" -> {id, 0}, meaning its newest version. InvalidArgument,
// naming the key, when the version is not a positive number.
struct VersionedKey {
    std::string_view id;
    int version = 0;
};
Result<VersionedKey> parseVersionedKey(std::string_view key);

// Every built-in template, every version.
const std::vector<PromptTemplate> &builtinPromptTemplates();

// "grounded-answer@v1", or "grounded-answer" for its newest version.
Result<PromptTemplate> findPromptTemplate(std::string_view key);

} // namespace rag
