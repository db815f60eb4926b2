#include "core/common/logging.h"

Q_LOGGING_CATEGORY(lcStore, "rag.store", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIngest, "rag.ingest", QtWarningMsg)
Q_LOGGING_CATEGORY(lcChunk, "rag.chunk", QtWarningMsg)
Q_LOGGING_CATEGORY(lcTokenize, "rag.tokenize", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEmbed, "rag.embed", QtWarningMsg)
Q_LOGGING_CATEGORY(lcIndex, "rag.index", QtWarningMsg)
Q_LOGGING_CATEGORY(lcRetrieve, "rag.retrieve", QtWarningMsg)
Q_LOGGING_CATEGORY(lcEval, "rag.eval", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNet, "rag.net", QtWarningMsg)
Q_LOGGING_CATEGORY(lcJobs, "rag.jobs", QtWarningMsg)
