#include "core/common/hashing.h"

#include <QCryptographicHash>

namespace rag {

std::string sha256Hex(std::string_view bytes)
{
    const QByteArray digest = QCryptographicHash::hash(
        QByteArrayView(bytes.data(), qsizetype(bytes.size())), QCryptographicHash::Sha256);
    return digest.toHex().toStdString();
}

} // namespace rag
