#pragma once
// Test fixtures for ingestion, all generated at test time: raw byte files,
// .docx archives built with libzip, PDFs drawn with QPdfWriter (so the tests
// check that poppler really extracts what was written), and a hand-written
// encrypted PDF. Test-only: links QtGui, which core/ must not.
#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>
#include <string>

namespace ingesttest {

// Writes `bytes` to `path` (creating parent folders); false on failure.
bool writeFile(const QString &path, const QByteArray &bytes);

// A .docx holding exactly these members (name -> content).
bool writeZip(const QString &path, const std::map<std::string, QByteArray> &members);

// The members of a minimal valid .docx around `bodyXml` (the inside of <w:body>).
std::map<std::string, QByteArray> docxMembers(const QString &bodyXml, const QString &stylesXml = {},
                                              const QString &coreTitle = {});

// One QPdfWriter page per entry of `pages`, each line of a page drawn as text.
// An empty `pages` entry draws only a filled rectangle (no text layer).
bool writePdf(const QString &path, const QStringList &pages, const QString &title = {});

// A syntactically valid PDF whose Standard security handler needs a password.
QByteArray encryptedPdf();

// Bytes encoded with a Qt encoder (UTF-16/32 fixtures), optionally with BOM.
QByteArray encodeUtf16(const QString &text, bool bigEndian, bool bom);
QByteArray encodeUtf32(const QString &text, bool bigEndian, bool bom);

// NODE binary for reference scripts; empty when none is installed.
QString nodeExecutable();

} // namespace ingesttest
