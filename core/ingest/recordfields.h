#pragma once
// The field rules shared by the record formats (CSV columns, JSONL keys), so a
// corpus reads the same whichever format it comes in. Names match without
// regard to case; the first name of each list that is present wins:
//   id:    _id, id, doc_id
//   title: title
//   text:  text, content, body, abstract, passage
// Without a text field, the text is every other non-empty field (not the id)
// as "name: value" lines, so no column's content is lost. Pure functions.
#include <string>
#include <string_view>
#include <vector>

namespace rag {

enum class FieldRole { Id, Title, Text };

// Index into `names` of the field that plays `role`, or -1.
int findField(const std::vector<std::string> &names, FieldRole role);

// One "name: value" line of a text composed from all fields.
void appendFieldLine(std::string &text, std::string_view name, std::string_view value);

} // namespace rag
