// The judge replies' JSON-schema subset: each keyword accepting and refusing,
// violations named by JSON pointer (with ~0/~1 escapes), every violation reported,
// and schemas using keywords outside the subset refused at compile time.
#include "core/judging/jsonschema.h"
#include "core/judging/judgeprompt.h"

#include <QTest>

using namespace rag;
using Json = nlohmann::json;

namespace {

const char *kClaimsSchema = R"({"type": "object", "required": ["claims"], "additionalProperties": false,
  "properties": {"claims": {"type": "array", "minItems": 1, "items": {"type": "object",
    "required": ["claim", "verdict"], "properties": {"claim": {"type": "string"},
    "verdict": {"enum": ["supported", "unsupported"]}, "score": {"type": "number", "minimum": 0, "maximum": 1},
    "rank": {"type": "integer"}, "note": {"type": ["string", "null"]}}}}}})";

} // namespace

class TestJsonSchema : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void validates_data()
    {
        QTest::addColumn<QString>("document");
        QTest::addColumn<QString>("violations");  // "pointer|message" joined by "\n"; empty: valid
        QTest::newRow("valid") << R"({"claims": [{"claim": "a", "verdict": "supported"}]})" << "";
        QTest::newRow("valid with optional fields")
            << R"({"claims": [{"claim": "a", "verdict": "unsupported", "score": 1, "rank": 2.0, "note": null}]})" << "";
        QTest::newRow("root not an object") << R"([1, 2])" << "|expected object, got array";
        QTest::newRow("missing required") << R"({})" << "|missing required property \"claims\"";
        QTest::newRow("additional property")
            << R"({"claims": [{"claim": "a", "verdict": "supported"}], "extra": 1})" << "/extra|unexpected property \"extra\"";
        QTest::newRow("wrong type in array item")
            << R"({"claims": [{"claim": "a", "verdict": "supported"}, {"claim": 7, "verdict": "supported"}]})"
            << "/claims/1/claim|expected string, got integer";
        QTest::newRow("enum") << R"({"claims": [{"claim": "a", "verdict": "maybe"}]})"
                              << "/claims/0/verdict|\"maybe\" is not one of [\"supported\",\"unsupported\"]";
        QTest::newRow("minItems") << R"({"claims": []})" << "/claims|expected at least 1 items, got 0";
        QTest::newRow("minimum") << R"({"claims": [{"claim": "a", "verdict": "supported", "score": -0.5}]})"
                                 << "/claims/0/score|-0.5 is below the minimum 0";
        QTest::newRow("maximum") << R"({"claims": [{"claim": "a", "verdict": "supported", "score": 1.5}]})"
                                 << "/claims/0/score|1.5 is above the maximum 1";
        QTest::newRow("integer refuses a fraction")
            << R"({"claims": [{"claim": "a", "verdict": "supported", "rank": 2.5}]})"
            << "/claims/0/rank|expected integer, got number";
        QTest::newRow("type list") << R"({"claims": [{"claim": "a", "verdict": "supported", "note": 3}]})"
                                   << "/claims/0/note|expected string or null, got integer";
        QTest::newRow("several, in document order")
            << R"({"claims": [{"verdict": "no"}, {"claim": "b", "verdict": "supported", "score": 2}]})"
            << "/claims/0|missing required property \"claim\"\n"
               "/claims/0/verdict|\"no\" is not one of [\"supported\",\"unsupported\"]\n"
               "/claims/1/score|2 is above the maximum 1";
    }

    void validates()
    {
        QFETCH(QString, document);
        QFETCH(QString, violations);
        auto schema = JsonSchema::compileText(kClaimsSchema);
        QVERIFY2(schema.has_value(), schema ? "" : schema.error().message().c_str());
        QStringList got;
        for (const SchemaViolation &v : schema->validate(Json::parse(document.toStdString())))
            got << QString::fromStdString(v.pointer + "|" + v.message);
        QCOMPARE(got.join(QLatin1Char('\n')), violations);
    }

    void pointerTokensAreEscaped()
    {
        auto schema = JsonSchema::compileText(R"({"type": "object", "properties": {"a/b": {"type": "object",
            "properties": {"m~n": {"type": "boolean"}}}}})");
        QVERIFY(schema.has_value());
        const auto v = schema->validate(Json::parse(R"({"a/b": {"m~n": "yes"}})"));
        QCOMPARE(v.size(), std::size_t(1));
        QCOMPARE(v[0].pointer, std::string("/a~1b/m~0n"));
        QCOMPARE(v[0].text(), std::string("/a~1b/m~0n: expected boolean, got string"));
        QCOMPARE((SchemaViolation{"", "x"}.text()), std::string("(root): x"));
    }

    void refusesSchemasOutsideTheSubset_data()
    {
        QTest::addColumn<QString>("schema");
        QTest::addColumn<QString>("source");
        QTest::newRow("pattern") << R"({"type": "string", "pattern": "^a"})" << "(schema root)";
        QTest::newRow("nested oneOf") << R"({"properties": {"x": {"oneOf": []}}})" << "/properties/x";
        QTest::newRow("unknown type") << R"({"type": "float"})" << "/type";
        QTest::newRow("schema-valued additionalProperties")
            << R"({"additionalProperties": {"type": "string"}})" << "/additionalProperties";
        QTest::newRow("negative minItems") << R"({"minItems": -1})" << "/minItems";
        QTest::newRow("empty enum") << R"({"enum": []})" << "/enum";
        QTest::newRow("not an object") << R"(true)" << "(schema root)";
    }

    void refusesSchemasOutsideTheSubset()
    {
        QFETCH(QString, schema);
        QFETCH(QString, source);
        auto compiled = JsonSchema::compileText(schema.toStdString());
        QVERIFY(!compiled.has_value());
        QCOMPARE(compiled.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(compiled.error().source), source);
    }

    void everyJudgePromptSchemaCompiles()
    {
        for (const JudgePrompt &p : builtinJudgePrompts()) {
            auto schema = JsonSchema::compileText(p.schemaJson);
            QVERIFY2(schema.has_value(), (p.key() + ": " + (schema ? "" : schema.error().message())).c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
