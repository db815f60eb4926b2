#pragma once
// Readers for the Cranfield collection (SMART tagged files cran.qry, cranqrel,
// cran.all.1400; see /work/shared/datasets/cranfield/README.md).
//
// cranqrel numbers queries 1..225 by their POSITION in cran.qry, not by the
// ".I" numbers there (001, 002, 004, ...), so query ids are assigned by
// position. The judgement codes are -1 and 1 (complete answer) .. 4 (minimum
// interest); CranfieldRelevance picks one of the README's three conventions,
// which must be stated with every number. Pure functions, safe on any thread.
#include "core/common/result.h"
#include "core/eval/evalset.h"

#include <string>
#include <vector>

namespace rag {

enum class CranfieldRelevance {
    BinaryAll,            // every listed pair is relevant (1), the -1 code included
    BinaryCodes1To4,      // codes 1..4 -> 1; -1 -> 0 (judged, not relevant)
    GradedFiveMinusCode,  // gain 5 - code (1 -> 4 ... 4 -> 1); -1 -> 0
};

const char *cranfieldRelevanceName(CranfieldRelevance convention);

struct CranfieldDoc {
    std::string id;     // the ".I" number, "1".."1400"
    std::string title;  // ".T", lines joined by single spaces
    std::string text;   // ".W" abstract (repeats the title first); line breaks kept

    bool operator==(const CranfieldDoc &) const = default;
};

// cran.qry + cranqrel from `folder`. Query ids are "1".."225" by position;
// the text is the ".W" lines joined by single spaces. Errors name "file:line":
// Parse for malformed records, unknown codes, or conflicting duplicates;
// Mismatch for a query number outside 1..(number of queries).
// The set is named "cranfield" with an empty split.
Result<EvalSet> readCranfieldEvalSet(const std::string &folder, CranfieldRelevance convention);

// cran.all.1400 from `folder`, in file order. The collection has damaged
// records (doc 240 has stray ".A"/".B" lines inside its abstract; 576 and 578
// have a second ".W"): once ".W" starts, every line up to the next ".I"
// belongs to the abstract and stray tag lines are dropped, so no text is lost
// into the author or source fields.
Result<std::vector<CranfieldDoc>> readCranfieldCorpus(const std::string &folder);

} // namespace rag
