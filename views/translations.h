// The workbench's translations: its own strings (transmla_<lang>.qm, embedded under :/i18n) and Qt's
// (qtbase_<lang>.qm from the Qt installation: standard buttons and dialogs), chosen by a locale. The
// GUI's main() and the layout tests load them through this one door.
#pragma once
#include <QLocale>

namespace transmla::views {

// Installs the translators for `locale` into the application (replacing ones installed before);
// returns whether the workbench's own translation was found (English needs none).
bool installTranslations(const QLocale& locale);

} // namespace transmla::views
