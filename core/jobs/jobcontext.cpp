#include "core/jobs/jobcontext.h"
// JobContext is header-only; this unit anchors the jobs module until the runner joins it.
