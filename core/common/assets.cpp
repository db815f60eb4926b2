#include "core/common/assets.h"

#include <QDir>
#include <QFileInfo>
#include <QtGlobal>

namespace rag {

std::string assetDir()
{
    const QByteArray explicitDir = qgetenv("RAGWB_ASSET_DIR");
    if (!explicitDir.isEmpty())
        return explicitDir.toStdString();
    QByteArray cache = qgetenv("XDG_CACHE_HOME");
    if (cache.isEmpty())
        cache = QDir::homePath().toUtf8() + "/.cache";
    return (cache + "/ragworkbench/assets").toStdString();
}

std::string findAsset(const std::string &relative)
{
    const QString path = QString::fromStdString(assetDir() + "/" + relative);
    return QFileInfo::exists(path) ? path.toStdString() : std::string();
}

} // namespace rag
