#pragma once
// Light and dark palettes for the application (Fusion style so the palette is
// honoured on every platform); System keeps the platform's own palette.
// GUI thread.
#include "ui/appsettings.h"

namespace rag {

void applyTheme(Theme theme);

} // namespace rag
