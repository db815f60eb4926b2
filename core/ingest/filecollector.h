#pragma once
// Expands what the user picked (files and folders) into the files to load.
#include "core/common/result.h"

#include <string>
#include <vector>

namespace rag {

// Folders are walked recursively; the result is sorted byte-wise and free of
// duplicates, so the same selection always gives the same list. Hidden files
// and folders (names starting with '.') inside a walked folder are skipped;
// one named explicitly is taken. Symbolic links are followed, except one that
// leads back into a folder being walked (a loop), which is reported. A file
// with an unsupported extension, a path that does not exist and a folder that
// cannot be listed are reported in `skipped` (when given) rather than dropped
// silently. Anything else with a supported extension is returned, even when it
// will not load (a broken link): loadFile then gives that file its own error.
// Thread-safe (touches only the file system).
std::vector<std::string> collectFiles(const std::vector<std::string> &pathsOrFolders,
                                      std::vector<Error> *skipped);

} // namespace rag
