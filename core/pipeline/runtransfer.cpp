#include "core/pipeline/runtransfer.h"

#include "core/config/pipelineconfig.h"
#include "core/eval/evalreport.h"
#include "core/eval/textfile.h"
#include "core/pipeline/evalsetimport.h"
#include "core/store/evalrepository.h"
#include "core/store/project.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <tuple>

namespace rag {

namespace {

using Json = nlohmann::ordered_json;
constexpr const char *kFormat = "ragworkbench-runs";

Json evalSetJson(const StoredEvalSet &set)
{
    Json queries = Json::array();
    for (const auto &[id, text] : set.queries)
        queries.push_back({id, text});
    Json judgments = Json::array();
    for (const StoredJudgment &j : set.judgments)
        judgments.push_back({j.queryId, j.docKey, j.relevance, j.spanStart ? Json(*j.spanStart) : Json(nullptr),
                             j.spanEnd ? Json(*j.spanEnd) : Json(nullptr)});
    Json out = {{"name", set.name}, {"split", set.split}, {"hash", set.hash}, {"source", set.source},
                {"queries", std::move(queries)}, {"judgments", std::move(judgments)}};
    // Optional, so a set without answers exports exactly as before answers were kept.
    if (!set.referenceAnswers.empty())
        out["reference_answers"] = set.referenceAnswers;
    return out;
}

StoredEvalSet evalSetFromJson(const Json &json)
{
    StoredEvalSet set;
    set.name = json.at("name").get<std::string>();
    set.split = json.at("split").get<std::string>();
    set.hash = json.at("hash").get<std::string>();
    set.source = json.value("source", std::string());
    for (const Json &q : json.at("queries"))
        set.queries.emplace_back(q.at(0).get<std::string>(), q.at(1).get<std::string>());
    for (const Json &j : json.at("judgments")) {
        StoredJudgment judgment{j.at(0).get<std::string>(), j.at(1).get<std::string>(), j.at(2).get<int>(), {}, {}};
        if (!j.at(3).is_null() && !j.at(4).is_null()) {
            judgment.spanStart = j.at(3).get<std::int64_t>();
            judgment.spanEnd = j.at(4).get<std::int64_t>();
        }
        set.judgments.push_back(std::move(judgment));
    }
    // Files written before answers were kept have none; answers are outside the hash.
    if (const auto answers = json.find("reference_answers"); answers != json.end())
        for (const auto &[qid, answer] : answers->items())
            set.referenceAnswers.emplace(qid, answer.get<std::string>());
    return set;
}

using RunKey = std::tuple<std::string, std::string, std::string, std::string>;

RunKey keyOf(const RunRecord &r) { return {r.createdAt, r.configHash, r.evalSetHash, r.label}; }

} // namespace

Result<void> exportRuns(const Project &project, const std::vector<std::int64_t> &runIds, const std::string &path)
{
    EvalRepository evals(project.db());
    std::vector<std::int64_t> ids = runIds;
    if (ids.empty()) {
        auto all = evals.runs();
        if (!all)
            return std::unexpected(all.error());
        for (const RunRecord &r : *all)
            ids.push_back(r.id);
    }
    Json sets = Json::array();
    Json runs = Json::array();
    std::set<std::int64_t> exportedSets;
    for (const std::int64_t id : ids) {
        auto run = evals.run(id);
        if (!run)
            return std::unexpected(run.error());
        if (run->evalSetId > 0 && exportedSets.insert(run->evalSetId).second) {
            auto set = loadEvalSet(project, run->evalSetId);
            if (!set)
                return std::unexpected(set.error());
            sets.push_back(evalSetJson(*set));
        }
        try {
            runs.push_back({{"label", run->label}, {"created_at", run->createdAt},
                            {"config", Json::parse(run->configJson)}, {"config_hash", run->configHash},
                            {"eval_set_hash", run->evalSetHash}, {"engine_version", run->engineVersion},
                            {"metrics", Json::parse(run->metricsJson)}, {"report", Json::parse(run->reportJson)}});
        } catch (const nlohmann::json::exception &e) {
            return fail(ErrorCode::Corrupt, e.what(), "run " + std::to_string(id));
        }
    }
    const Json file = {{"format", kFormat}, {"version", 1}, {"eval_sets", std::move(sets)}, {"runs", std::move(runs)}};
    return evalio::writeTextFile(path, file.dump(1) + "\n");
}

Result<RunImportSummary> importRuns(const Project &project, const std::string &path)
{
    auto text = evalio::readTextFile(path);
    if (!text)
        return std::unexpected(text.error());
    EvalRepository evals(project.db());
    std::vector<StoredEvalSet> sets;
    std::vector<RunRecord> runs;
    try {
        const Json file = Json::parse(*text);
        if (file.value("format", std::string()) != kFormat || file.value("version", 0) != 1)
            return fail(ErrorCode::Unsupported, std::string("not a version 1 ") + kFormat + " file", path);
        for (const Json &s : file.at("eval_sets")) {
            sets.push_back(evalSetFromJson(s));
            if (storedEvalSetHash(sets.back()) != sets.back().hash)
                return fail(ErrorCode::Corrupt, "eval set \"" + sets.back().name + "\" does not match its hash", path);
        }
        for (const Json &r : file.at("runs")) {
            RunRecord run;
            run.label = r.at("label").get<std::string>();
            run.createdAt = r.at("created_at").get<std::string>();
            run.configJson = r.at("config").dump();
            run.configHash = r.at("config_hash").get<std::string>();
            run.evalSetHash = r.at("eval_set_hash").get<std::string>();
            run.engineVersion = r.at("engine_version").get<std::string>();
            run.metricsJson = r.at("metrics").dump();
            run.reportJson = r.at("report").dump();
            const std::string source = path + ": run \"" + run.label + "\"";
            auto config = PipelineConfig::fromJson(run.configJson, source);
            if (!config)
                return std::unexpected(config.error());
            if (config->hash() != run.configHash)
                return fail(ErrorCode::Corrupt, "the config does not match its config_hash", source);
            auto report = EvalReport::fromJsonText(run.reportJson, source);
            if (!report)
                return std::unexpected(report.error());
            if (report->evalSet.hash != run.evalSetHash)
                return fail(ErrorCode::Corrupt, "the report names another eval set than eval_set_hash", source);
            runs.push_back(std::move(run));
        }
    } catch (const nlohmann::json::exception &e) {
        return fail(ErrorCode::Parse, e.what(), path);
    }

    std::map<std::string, std::int64_t> setIdOfHash;
    auto known = evals.evalSets();
    if (!known)
        return std::unexpected(known.error());
    for (const StoredEvalSet &s : *known)
        setIdOfHash.emplace(s.hash, s.id);
    for (const StoredEvalSet &s : sets) {
        auto id = evals.saveEvalSet(s);
        if (!id)
            return std::unexpected(id.error());
        setIdOfHash[s.hash] = *id;
    }
    auto existing = evals.runs();
    if (!existing)
        return std::unexpected(existing.error());
    std::set<RunKey> present;
    for (const RunRecord &r : *existing)
        present.insert(keyOf(r));
    RunImportSummary summary;
    for (RunRecord &run : runs) {
        const auto set = setIdOfHash.find(run.evalSetHash);
        if (set == setIdOfHash.end())
            return fail(ErrorCode::NotFound, "run \"" + run.label + "\" was measured on an eval set that is neither in "
                                             "the file nor in the project", path);
        if (present.contains(keyOf(run))) {
            ++summary.alreadyPresent;
            continue;
        }
        run.evalSetId = set->second;
        auto id = evals.saveRun(run);
        if (!id)
            return std::unexpected(id.error());
        present.insert(keyOf(run));
        summary.imported.push_back(*id);
    }
    return summary;
}

} // namespace rag
